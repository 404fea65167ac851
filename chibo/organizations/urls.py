from django.urls import path

from chibo.organizations import views

app_name = "organizations"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("tree/<str:code>/children/", views.tree_children, name="tree_children"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/new/", views.create_child, name="create_child"),
    path("<str:code>/edit/", views.edit, name="edit"),
    path("<str:code>/villages/new/", views.create_village, name="create_village"),
    path("<str:code>/change/<str:change>/", views.reorganize, name="reorganize"),
]
