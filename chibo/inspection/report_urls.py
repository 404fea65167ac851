from django.urls import path

from chibo.inspection import report_views as views

app_name = "inspection_report"
urlpatterns = [
    path("org/<str:code>/inspection-report/", views.report_page, name="report"),
    path("org/<str:code>/inspection-report.xlsx", views.report_download, {"kind": "xlsx"},
         name="report_xlsx"),
    path("org/<str:code>/inspection-report.docx", views.report_download, {"kind": "docx"},
         name="report_docx"),
]
