from django.urls import path

from chibo.courses import views
from chibo.courses.lists import COURSES

app_name = "courses"
urlpatterns = [
    path("org/<str:code>/courses/", COURSES.as_view(), name="list"),
    path("org/<str:code>/courses/new/", views.open_course, name="open"),
    path("courses/<str:code>/", views.detail, name="detail"),
    path("courses/<str:code>/learners/new/", views.enroll, name="enroll"),
    path("courses/<str:code>/learners/<int:pk>/result/", views.record_result, name="result"),
]
