from django.urls import path

from . import views

app_name = "merchants"

urlpatterns = [
    path("me/shops/", views.shop_list, name="shops"),
    path("me/shops/new/", views.shop_create, name="shop_create"),
    path("me/shops/<int:pk>/", views.shop_detail, name="shop_detail"),
    path("me/shops/<int:pk>/edit/", views.shop_edit, name="shop_edit"),
    path("me/shops/<int:pk>/reports/new/", views.report_create, name="report_create"),
    path("me/shops/<int:pk>/reports/<int:report_pk>/edit/", views.report_edit, name="report_edit"),
    path("me/shops/<int:pk>/reports/<int:report_pk>/evidence/", views.report_evidence, name="report_evidence"),
    path("me/shops/<int:pk>/orders/", views.order_file_upload, name="order_file_upload"),
    path("me/sales-evidence/<int:pk>/", views.evidence_file, name="evidence_file"),
    path("me/order-exports/<int:pk>/", views.order_export_file, name="order_export_file"),
    path("mentor/sales/", views.mentor_reports, name="mentor_reports"),
    path("mentor/sales/<int:pk>/", views.mentor_report, name="mentor_report"),
    path("me/certificates/", views.my_certificates, name="my_certificates"),
    path("me/certificates/<str:code>.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("certificates/", views.certificate_lookup, name="certificate_lookup"),
    path("certificates/<str:code>/", views.certificate_verify, name="certificate_verify"),
    path("merchants/", views.directory, name="directory"),
]
