from django.urls import path

from chibo.interchange import views

app_name = "interchange"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("template.xlsx", views.template, name="template"),
]
