from django.urls import path

from chibo.documents import views
from chibo.documents.lists import DOCUMENTS

app_name = "documents"
urlpatterns = [
    path("", DOCUMENTS.as_view(), name="list"),
    path("new/", views.publish, name="publish"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/file/", views.download, name="file"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
