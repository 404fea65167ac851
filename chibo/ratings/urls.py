from django.urls import path

from chibo.ratings import views
from chibo.ratings.lists import CAMPAIGN, COMMENDATIONS, RATINGS

app_name = "ratings"
urlpatterns = [
    path("org/<str:code>/ratings/", RATINGS.as_view(), name="list"),
    path("org/<str:code>/ratings/campaign/", CAMPAIGN.as_view(), name="campaign"),
    path("org/<str:code>/ratings/campaign/open/", views.open_campaign, name="open_campaign"),
    path("org/<str:code>/ratings/campaign/<int:year>/close/", views.close_campaign,
         name="close_campaign"),
    path("org/<str:code>/ratings/<int:year>/propose/<str:member_code>/", views.propose,
         name="propose"),
    path("org/<str:code>/ratings/decide/", views.decide, name="decide"),
    path("org/<str:code>/ratings/commendations/", COMMENDATIONS.as_view(),
         name="commendations"),
    path("org/<str:code>/ratings/commendations/print/", views.commendations_print,
         name="commendations_print"),
]
