"""Two requests completing the same lesson at once still make one progress row (PostgreSQL)."""

import threading

import pytest

from django.db import connection, connections

from courses import services
from courses.models import LessonProgress, QuizAttempt
from tests.courses.factories import answers_for
from tests.factories import TraineeFactory
from tests.pages_factories import CoursePageFactory, LessonPageFactory, course_catalogue, quiz_question

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrency"),
]


def _race(target, count=2):
    barrier = threading.Barrier(count)
    errors = []

    def run():
        try:
            barrier.wait()
            target()
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_concurrent_presses_of_the_finish_button_make_one_row_and_one_completion():
    course = CoursePageFactory(parent=course_catalogue())
    lesson = LessonPageFactory(parent=course)
    trainee = TraineeFactory()
    services.enroll(user=trainee, course=course)
    for _round in range(5):
        LessonProgress.objects.all().delete()
        errors = _race(lambda: services.complete_lesson(user=trainee, lesson=lesson), count=4)
        assert errors == []
        assert LessonProgress.objects.filter(user=trainee, lesson=lesson).count() == 1
        assert LessonProgress.objects.get(user=trainee, lesson=lesson).completed_at is not None


def test_a_double_posted_quiz_counts_as_one_attempt_each_with_its_own_number():
    course = CoursePageFactory(parent=course_catalogue())
    lesson = LessonPageFactory(parent=course, quiz=[quiz_question()], quiz_max_attempts=5)
    trainee = TraineeFactory()
    services.enroll(user=trainee, course=course)
    errors = _race(lambda: services.submit_quiz(user=trainee, lesson=lesson, answers=answers_for(lesson, right=False)))
    assert errors == []
    assert sorted(QuizAttempt.objects.values_list("number", flat=True)) == [1, 2]
