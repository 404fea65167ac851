from django.urls import path

from chibo.audit.lists import TRAIL

app_name = "audit"
urlpatterns = [path("", TRAIL.as_view(), name="trail")]
