from django.urls import path

from chibo.ratings import views
from chibo.ratings.lists import CAMPAIGN, RATINGS

app_name = "ratings"
urlpatterns = [
    path("org/<str:code>/ratings/", RATINGS.as_view(), name="list"),
    path("org/<str:code>/ratings/campaign/", CAMPAIGN.as_view(), name="campaign"),
    path("org/<str:code>/ratings/decide/", views.decide, name="decide"),
]
