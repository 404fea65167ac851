from django.urls import path

from chibo.ratings import report_views as views

app_name = "ratings_report"
urlpatterns = [
    path("org/<str:code>/ratings-report/", views.report_page, name="report"),
    path("org/<str:code>/ratings-report.xlsx", views.report_download, name="report_xlsx"),
]
