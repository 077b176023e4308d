from django.urls import path

from . import views

app_name = "cooperatives"

urlpatterns = [
    path("me/cooperative/", views.cooperative_list, name="list"),
    path("me/cooperative/<int:pk>/", views.ledger, name="ledger"),
    path("me/cooperative/<int:pk>/households/<int:household_pk>/", views.household, name="household"),
    path("me/cooperative/<int:pk>/members/new/", views.member_new, name="member_new"),
    path("me/cooperative/<int:pk>/members/<int:membership_pk>/leave/", views.member_leave, name="member_leave"),
    path("me/cooperative/<int:pk>/<str:kind>/new/", views.entry_new, name="entry_new"),
    path("me/cooperative/<int:pk>/<str:kind>/<int:entry_pk>/correct/", views.entry_correct, name="entry_correct"),
]
