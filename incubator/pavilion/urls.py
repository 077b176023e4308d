from django.urls import path

from . import views

app_name = "pavilion"

urlpatterns = [
    path("me/pavilion/", views.my_proposals, name="my_proposals"),
    path("me/pavilion/propose/", views.propose, name="propose"),
]
