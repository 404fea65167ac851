from django.urls import path

from chibo.interchange import views
from chibo.interchange.lists import RUNS

app_name = "interchange"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("runs/", RUNS.as_view(), name="runs"),
    path("runs/<int:pk>/", views.run_page, name="run"),
    path("runs/<int:pk>/progress", views.run_progress, name="run_progress"),
    path("runs/<int:pk>/confirm", views.confirm, name="confirm"),
    path("template.xlsx", views.template, name="template"),
]
