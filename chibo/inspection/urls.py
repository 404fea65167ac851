from django.urls import path

from chibo.inspection import views
from chibo.inspection.lists import DISCIPLINES, FOLLOW_UPS, INSPECTIONS, PROGRAMMES

app_name = "inspection"
urlpatterns = [
    path("org/<str:code>/inspections/", INSPECTIONS.as_view(), name="list"),
    path("org/<str:code>/inspections/new/", views.open_inspection, name="open"),
    path("org/<str:code>/inspections/follow-ups/", FOLLOW_UPS.as_view(), name="follow_ups"),
    path("org/<str:code>/inspection-programmes/", PROGRAMMES.as_view(), name="programmes"),
    path("org/<str:code>/inspection-programmes/new/", views.new_programme,
         name="new_programme"),
    path("org/<str:code>/discipline/", DISCIPLINES.as_view(), name="disciplines"),
    path("org/<str:code>/discipline/new/", views.decide, name="decide"),
    path("inspection-programmes/<int:pk>/", views.programme, name="programme"),
    path("inspections/<str:code>/", views.detail, name="detail"),
    path("inspections/<str:code>/subjects/new/", views.add_subject, name="add_subject"),
    path("inspections/<str:code>/subjects/<int:pk>/conclusion/", views.conclusion,
         name="conclusion"),
    path("inspections/<str:code>/subjects/<int:pk>/follow-up/", views.follow_up_done,
         name="follow_up_done"),
    path("inspections/<str:code>/subjects/<int:pk>/remove/", views.remove_subject,
         name="remove_subject"),
    path("inspections/<str:code>/close/", views.close, name="close"),
    path("discipline/<str:code>/", views.discipline, name="discipline"),
    path("discipline/<str:code>/appeal/", views.appeal, name="appeal"),
    path("discipline/<str:code>/appeal/decision/", views.appeal_decision,
         name="appeal_decision"),
]
