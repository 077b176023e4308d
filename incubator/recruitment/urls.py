from django.urls import path

from incubator.recruitment import views

app_name = "recruitment"

urlpatterns = [
    path("me/applications/", views.my_applications, name="my_applications"),
    path("me/applications/<int:pk>/", views.my_application, name="my_application"),
    path("me/applications/<int:pk>/edit/", views.edit_application, name="edit_application"),
    path("me/applications/<int:pk>/withdraw/", views.withdraw_application, name="withdraw_application"),
    path("me/applications/drafts/<int:pk>/discard/", views.discard_draft, name="discard_draft"),
]
