from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("language/", views.set_language, name="set_language"),
    path("me/", views.me, name="me"),
    path("me/profile/", views.profile, name="profile"),
    path("me/notifications/", views.notification_list, name="notifications"),
    path("me/notifications/read/", views.notifications_mark_read, name="notifications_mark_read"),
]
