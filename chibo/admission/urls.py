from django.urls import path

from chibo.admission import views
from chibo.admission.lists import CANDIDATES, NO_ADMISSION

app_name = "admission"
urlpatterns = [
    path("org/<str:code>/candidates/", CANDIDATES.as_view(), name="list"),
    path("org/<str:code>/candidates/new/", views.new, name="new"),
    path("org/<str:code>/candidates/readmit/", views.readmit, name="readmit"),
    path("org/<str:code>/candidates/no-admission/", NO_ADMISSION.as_view(),
         name="no_admission"),
    path("candidates/<str:code>/", views.detail, name="detail"),
    path("candidates/<str:code>/print/", views.print_checklist, name="print"),
    path("candidates/<str:code>/<str:step>/", views.step, name="step"),
]
