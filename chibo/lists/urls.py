from django.urls import path

from chibo.lists import views

app_name = "lists"
urlpatterns = [
    path("<int:pk>/", views.export_page, name="export"),
    path("<int:pk>/progress", views.export_progress, name="export_progress"),
    path("<int:pk>/file", views.export_file, name="export_file"),
]
