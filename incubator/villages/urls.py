from django.urls import path

from . import views

app_name = "villages"

urlpatterns = [
    path("me/station/", views.my_station, name="my_station"),
    path("me/station/<int:pk>/log/", views.station_log, name="station_log"),
    path("me/campaigns/", views.my_campaigns, name="my_campaigns"),
    path("me/campaigns/<int:pk>/", views.campaign_figures, name="campaign_figures"),
]
