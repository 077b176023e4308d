from django.urls import path

from courses import views

app_name = "courses"

urlpatterns = [
    path("me/learning/", views.my_learning, name="my_learning"),
    path("learning/files/<int:pk>/", views.submission_file, name="submission_file"),
]
