from django.urls import path

from tests.sample_domain import views

app_name = "sample"
urlpatterns = [
    path("<str:code>/visits/", views.visits, name="visits"),
]
