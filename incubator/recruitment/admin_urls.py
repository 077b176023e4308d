from django.urls import path

from incubator.recruitment import admin_views

urlpatterns = [
    path("applications/", admin_views.application_index, name="application_index"),
    path("applications/<int:pk>/", admin_views.application_detail, name="application_detail"),
    path("applications/suggest/<str:kind>/", admin_views.application_filter_suggestions, name="suggest"),
    path("campaigns/", admin_views.campaign_index, name="campaign_index"),
    path("campaigns/<int:pk>/figures/", admin_views.campaign_figures, name="campaign_figures"),
    path("import/", admin_views.import_sheet, name="import"),
]
