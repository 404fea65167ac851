from django.urls import path

from chibo.liaison import views

app_name = "liaison"
urlpatterns = [
    path("org/<str:code>/liaison/", views.working, name="working"),
    path("org/<str:code>/liaison/introduce/", views.introduce, name="introduce"),
    path("org/<str:code>/liaison/<int:pk>/end/", views.end, name="end"),
    path("org/<str:code>/liaison/<int:pk>/1-213.docx", views.letter, name="letter"),
    path("org/<str:code>/liaison/residents/", views.residents, name="residents"),
    path("org/<str:code>/liaison/residents/<int:pk>/feedback/", views.feedback,
         name="feedback"),
]
