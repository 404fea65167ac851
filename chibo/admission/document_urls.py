from django.urls import path

from chibo.admission import document_views as views

app_name = "admission_documents"
urlpatterns = [
    path("candidates/<str:code>/forms/", views.candidate_forms, name="forms"),
    path("candidates/<str:code>/forms/<slug:form>.docx", views.form_download, name="form"),
    path("org/<str:code>/candidates/report/", views.report_page, name="report"),
    path("org/<str:code>/candidates/report.xlsx", views.report_download, name="report_xlsx"),
]
