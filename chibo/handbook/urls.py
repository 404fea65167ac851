from django.urls import path

from chibo.handbook import views
from chibo.handbook.lists import CELL_REVIEWS

app_name = "handbook"
urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.profile, name="profile"),
    path("me/data.json", views.my_data, name="my_data"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/files/<int:file_pk>/", views.meeting_file, name="meeting_file"),
    path("tasks/<int:pk>/done/", views.task_done, name="task_done"),
    path("documents/", views.document_list, name="documents"),
    path("documents/<int:pk>/", views.document_detail, name="document"),
    path("documents/<int:pk>/file/", views.document_file, name="document_file"),
    path("notifications/", views.notifications, name="notifications"),
    path("review/", views.self_review, name="review"),
    path("review/<int:year>/", views.self_review, name="review_year"),
    path("cell/<str:code>/reviews/<int:year>/", CELL_REVIEWS.as_view(), name="cell_reviews"),
    path("cell/<str:code>/reviews/<int:year>/<str:member_code>/", views.cell_review,
         name="cell_review"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("offline/", views.offline, name="offline"),
]
