"""Opening a lesson (a GET) completes nothing; a lesson without quiz or task is finished by the
"I have finished this lesson" button (a CSRF-protected POST, which the offline outbox may replay)."""

import pytest

from django.test import Client

from core.notifications import Notification
from courses import services
from courses.models import Enrollment, LessonProgress
from tests.factories import TraineeFactory
from tests.pages_factories import CoursePageFactory, LessonPageFactory, quiz_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_lesson_course(catalogue):
    course = CoursePageFactory(parent=catalogue)
    lesson = LessonPageFactory(parent=course, title="看懂订单")
    trainee = TraineeFactory()
    services.enroll(user=trainee, course=course)
    return course, lesson, trainee


def test_opening_a_lesson_changes_no_learning_state(client, one_lesson_course):
    course, lesson, trainee = one_lesson_course
    client.force_login(trainee)
    page = client.get(lesson.url).content.decode()
    assert 'name="action" value="complete"' in page
    assert LessonProgress.objects.get(user=trainee, lesson=lesson).completed_at is None
    assert Enrollment.objects.get(user=trainee, course=course).completed_at is None
    assert not Notification.objects.filter(recipient=trainee, kind="course-completed").exists()


def test_the_button_finishes_the_lesson_and_the_course_once(client, one_lesson_course):
    course, lesson, trainee = one_lesson_course
    client.force_login(trainee)
    client.get(lesson.url)
    response = client.post(lesson.url, {"action": "complete"})
    assert (response.status_code, response.url) == (302, lesson.url + "#lesson-done")
    done = LessonProgress.objects.get(user=trainee, lesson=lesson).completed_at
    assert done is not None
    assert Enrollment.objects.get(user=trainee, course=course).completed_at is not None
    # A replay from the offline outbox (the same POST, again) changes nothing.
    client.post(lesson.url, {"action": "complete", "offline_queue": "1"})
    assert LessonProgress.objects.get(user=trainee, lesson=lesson).completed_at == done
    assert Notification.objects.filter(recipient=trainee, kind="course-completed").count() == 1
    page = client.get(lesson.url).content.decode()
    assert 'value="complete"' not in page


def test_the_button_needs_the_csrf_token(one_lesson_course):
    _course, lesson, trainee = one_lesson_course
    client = Client(enforce_csrf_checks=True)
    client.force_login(trainee)
    assert client.post(lesson.url, {"action": "complete"}).status_code == 403
    assert not LessonProgress.objects.filter(completed_at__isnull=False).exists()


def test_a_lesson_with_a_quiz_has_no_button_and_refuses_the_post(client, catalogue):
    course = CoursePageFactory(parent=catalogue)
    lesson = LessonPageFactory(parent=course, quiz=[quiz_question()])
    trainee = TraineeFactory()
    services.enroll(user=trainee, course=course)
    client.force_login(trainee)
    assert 'value="complete"' not in client.get(lesson.url).content.decode()
    client.post(lesson.url, {"action": "complete"})
    assert LessonProgress.objects.get(user=trainee, lesson=lesson).completed_at is None


def test_a_guest_is_sent_to_sign_in(client, one_lesson_course):
    _course, lesson, _trainee = one_lesson_course
    response = client.post(lesson.url, {"action": "complete"})
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert not LessonProgress.objects.exists()
