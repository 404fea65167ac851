from django.urls import path

from chibo.meetings import views
from chibo.meetings.lists import FINDINGS, MEETINGS

app_name = "meetings"
urlpatterns = [
    path("org/<str:code>/meetings/", MEETINGS.as_view(), name="list"),
    path("org/<str:code>/meetings/new/", views.schedule, name="schedule"),
    path("org/<str:code>/meetings/findings/", FINDINGS.as_view(), name="findings"),
    path("meetings/<str:code>/", views.detail, name="detail"),
    path("meetings/<str:code>/edit/", views.edit, name="edit"),
    path("meetings/<str:code>/close/", views.close, name="close"),
    path("meetings/<str:code>/guests/new/", views.add_guest, name="add_guest"),
    path("meetings/<str:code>/absence/", views.report_absence, name="absence"),
    path("meetings/<str:code>/documents/new/", views.add_attachment, name="add_attachment"),
    path("meetings/<str:code>/documents/<int:pk>/", views.download, name="download"),
    path("meetings/<str:code>/documents/<int:pk>/publish/", views.publish_attachment,
         name="publish"),
]
