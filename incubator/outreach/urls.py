from django.urls import path

from . import views

app_name = "outreach"

urlpatterns = [
    path("mentor/classes/", views.mentor_classes, name="mentor_classes"),
    path("mentor/classes/<int:pk>/", views.mentor_attendance, name="mentor_attendance"),
    path("mentor/messages/", views.mentor_messages, name="mentor_messages"),
    path("mentor/messages/new/", views.mentor_message_new, name="mentor_message_new"),
    path("mentor/messages/<int:pk>/", views.mentor_message, name="mentor_message"),
    path("me/classes/", views.my_classes, name="my_classes"),
]
