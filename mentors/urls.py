from django.urls import path

from . import views

app_name = "mentors"

urlpatterns = [
    path("mentor/", views.dashboard, name="dashboard"),
    path("mentor/trainees/<int:trainee_id>/", views.trainee_detail, name="trainee"),
    path("mentor/trainees/<int:trainee_id>/check-in/", views.checkin_create, name="checkin"),
    path("mentor/trainees/<int:trainee_id>/recommend/", views.recommend, name="recommend"),
    path(
        "mentor/trainees/<int:trainee_id>/quizzes/<int:lesson_id>/attempts/",
        views.grant_attempts,
        name="grant_attempts",
    ),
    path("mentor/recommendations/<int:pk>/withdraw/", views.withdraw_recommendation, name="withdraw"),
    path("mentor/check-ins/", views.past_checkins, name="past_checkins"),
    path("mentor/reviews/", views.review_queue, name="reviews"),
    path("mentor/submissions/<int:pk>/", views.submission_detail, name="submission"),
    path("mentor/invitation/<slug:token>/", views.invitation, name="invitation"),
    path("me/mentor/", views.my_mentor, name="my_mentor"),
]
