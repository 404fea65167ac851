from django.urls import path

from chibo.organizations import calendar_views

app_name = "calendar"
urlpatterns = [
    path("", calendar_views.year, name="year"),
    path("<str:day>/remove/", calendar_views.remove, name="remove"),
]
