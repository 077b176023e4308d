from django.urls import path

from incubator.outreach import admin_views

urlpatterns = [
    path("at-risk/", admin_views.at_risk, name="at_risk"),
    path("check-ins/", admin_views.contacts, name="contacts"),
    path("people/<int:person_id>/", admin_views.person, name="person"),
    path("people/<int:person_id>/check-in/", admin_views.office_checkin, name="checkin"),
    path("people/<int:person_id>/correct/", admin_views.correct_profile, name="correct_profile"),
    path("messages/", admin_views.message_index, name="message_index"),
    path("messages/new/", admin_views.message_new, name="message_new"),
    path("messages/<int:pk>/", admin_views.message_detail, name="message"),
    path("classes/", admin_views.class_index, name="class_index"),
    path("classes/new/", admin_views.class_new, name="class_new"),
    path("classes/<int:pk>/", admin_views.class_edit, name="class_edit"),
    path("classes/<int:pk>/attendance/", admin_views.class_attendance, name="class_attendance"),
]
