from django.urls import path

from core import views
from core.sms import receipts as sms_receipts

app_name = "core"

urlpatterns = [
    # /healthz answers as readiness, as it did before the split (bench, drills, older balancers).
    path("healthz", views.healthz_ready, name="healthz"),
    path("healthz/live", views.healthz_live, name="healthz_live"),
    path("healthz/ready", views.healthz_ready, name="healthz_ready"),
    path("healthz/floor", views.floor, name="floor"),
    path("language/", views.set_language, name="set_language"),
    path("sms/receipts/<slug:provider>/<str:token>/", sms_receipts.receipt, name="sms_receipt"),
    path("me/", views.me, name="me"),
    path("me/profile/", views.profile, name="profile"),
    path("me/notifications/", views.notification_list, name="notifications"),
    path("me/notifications/read/", views.notifications_mark_read, name="notifications_mark_read"),
]
