from django.urls import path

from chibo.badges import views
from chibo.badges.lists import AWARDED, DUE, PROPOSALS

app_name = "badges"
urlpatterns = [
    path("org/<str:code>/badges/awarded/", AWARDED.as_view(), name="list"),
    path("org/<str:code>/badges/due/", DUE.as_view(), name="due"),
    path("org/<str:code>/badges/proposals/", PROPOSALS.as_view(), name="proposals"),
    path("org/<str:code>/badges/propose/", views.propose, name="propose"),
    path("org/<str:code>/badges/decide/", views.decide, name="decide"),
    path("org/<str:code>/badges/ceremony/", views.ceremony, name="ceremony"),
]
