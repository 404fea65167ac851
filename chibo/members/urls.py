from django.urls import path

from chibo.members import views
from chibo.members.lists import BADGES, FILE_READS, MEMBERS

app_name = "members"
urlpatterns = [
    path("file-reads/", FILE_READS.as_view(), name="file_reads"),
    path("members/<str:code>/", views.detail, name="detail"),
    path("members/<str:code>/edit/", views.edit, name="edit"),
    path("members/<str:code>/photo", views.photo, name="photo"),
    path("members/<str:code>/events/<str:event>/", views.record_event, name="event"),
    path("members/<str:code>/posts/new/", views.add_post, name="add_post"),
    path("members/<str:code>/posts/<int:pk>/end/", views.end_post, name="end_post"),
    # lists of an organization's subtree
    path("org/<str:code>/members/", MEMBERS.as_view(), name="list"),
    path("org/<str:code>/members/new/", views.admit, name="admit"),
    path("org/<str:code>/badges/", BADGES.as_view(), name="badges"),
]
