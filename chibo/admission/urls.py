from django.urls import path, re_path

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
    # only the steps' names, so that the other pages of a candidate (its forms) are not taken
    # for a step
    re_path(rf"^candidates/(?P<code>[^/]+)/(?P<step>{'|'.join(views.STEPS)})/$", views.step,
            name="step"),
]
