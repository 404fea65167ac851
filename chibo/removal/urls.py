from django.urls import path

from chibo.removal import views
from chibo.removal.lists import REMOVALS

app_name = "removal"
urlpatterns = [
    path("org/<str:code>/removals/", REMOVALS.as_view(), name="list"),
    path("members/<str:code>/removal/", views.propose, name="propose"),
    path("removals/<int:pk>/", views.detail, name="detail"),
]
