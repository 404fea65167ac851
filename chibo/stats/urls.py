from django.urls import path

from chibo.stats import views

app_name = "stats"
urlpatterns = [
    path("<str:code>/", views.page, name="page"),
    path("<str:code>/children/", views.children, name="children"),
    path("<str:code>/records/<str:key>/", views.records, name="records"),
    path("<str:code>/reports/<slug:name>/", views.report_page, name="report"),
    path("<str:code>/reports/<slug:name>.<str:kind>", views.download, name="download"),
    path("<str:code>/dashboard.json", views.dashboard_data, name="dashboard"),
    path("<str:code>/dashboard/<slug:key>.json", views.dashboard_data,
         name="dashboard_chart"),
]
