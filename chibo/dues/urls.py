from django.urls import path

from chibo.dues import views

app_name = "dues"
urlpatterns = [
    path("org/<str:code>/dues/", views.sheet, name="sheet"),
    path("org/<str:code>/dues/pay/", views.pay, name="pay"),
    path("org/<str:code>/dues/import/", views.import_sheet, name="import"),
    path("org/<str:code>/dues/report/", views.report_page, name="report"),
    path("org/<str:code>/dues/report.xlsx", views.report_download, name="report_xlsx"),
    path("org/<str:code>/dues/receipts/<int:pk>/", views.receipt, name="receipt"),
]
