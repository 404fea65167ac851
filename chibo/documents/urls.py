from django.urls import path

from chibo.documents import views

app_name = "documents"
urlpatterns = [
    path("", views.document_list, name="list"),
    path("new/", views.publish, name="publish"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/file/", views.download, name="file"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
