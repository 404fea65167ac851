from django.urls import path

from chibo.admission import document_views as views

app_name = "admission_documents"
urlpatterns = [
    path("org/<str:code>/admission/candidates/<int:pk>/forms/", views.candidate_forms,
         name="forms"),
    path("org/<str:code>/admission/candidates/<int:pk>/forms/<slug:form>.docx",
         views.form_download, name="form"),
    path("org/<str:code>/admission/report/", views.report_page, name="report"),
    path("org/<str:code>/admission/report.xlsx", views.report_download, name="report_xlsx"),
]
