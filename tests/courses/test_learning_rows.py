"""My learning's rows come from one query built once per process (courses.selectors._LEARNING,
core.rows.CompiledQuery): the same objects as the queryset gives, field for field, and the
rows a person reads: their own progress only, live lessons and courses only, in order."""

import datetime

import pytest

from django.utils import timezone

from courses import selectors, services
from courses.models import Enrollment
from tests.courses.factories import courses_with_lessons, loaded_fields
from tests.factories import TraineeFactory
from tests.pages_factories import LessonPageFactory, quiz_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def courses(catalogue):
    return courses_with_lessons(catalogue, courses=3)


def test_the_same_enrolments_courses_lessons_and_progress_as_the_orm(courses):
    reader, other = TraineeFactory(), TraineeFactory()
    (first, first_lessons), (second, second_lessons), _third = courses
    for user in (reader, other):
        services.enroll(user=user, course=first)
        services.enroll(user=user, course=second)
    services.complete_lesson(user=reader, lesson=first_lessons[0])
    services.complete_lesson(user=reader, lesson=first_lessons[2])
    services.complete_lesson(user=other, lesson=second_lessons[1])
    services.open_lesson(user=other, lesson=first_lessons[1])
    compared = 0
    for user in (reader, other, TraineeFactory()):
        found = selectors._LEARNING(user.pk)
        expected = list(selectors._learning_query(user.pk))
        assert [e.pk for e in found] == [e.pk for e in expected]
        for ours, theirs in zip(found, expected, strict=True):
            assert loaded_fields(ours) == loaded_fields(theirs)
            assert loaded_fields(ours.course) == loaded_fields(theirs.course)
            assert ours.lesson_rows == theirs.lesson_rows
            assert ours.done_ids == theirs.done_ids
            compared += 1
    assert compared == 4


def test_each_row_counts_the_persons_own_live_lessons_and_names_the_next(courses):
    reader, other = TraineeFactory(), TraineeFactory()
    (first, first_lessons), (second, second_lessons), (third, _third_lessons) = courses
    for course in (first, second, third):
        services.enroll(user=reader, course=course)
    services.enroll(user=other, course=first)
    services.complete_lesson(user=reader, lesson=first_lessons[0])
    for lesson in first_lessons:
        services.complete_lesson(user=other, lesson=lesson)  # someone else's progress counts for nobody else
    second_lessons[2].unpublish()  # not counted, not offered
    for lesson in second_lessons[:2]:
        services.complete_lesson(user=reader, lesson=lesson)
    third.unpublish()  # the course is gone from the list
    # Most recently active first: the second course, then the first.
    Enrollment.objects.filter(user=reader, course=first).update(
        last_activity_at=timezone.now() - datetime.timedelta(days=2)
    )
    Enrollment.objects.filter(user=reader, course=second).update(last_activity_at=timezone.now())
    rows = selectors.learning_rows(user=reader)
    assert [row["course"].pk for row in rows] == [second.pk, first.pk]
    by_course = {row["course"].pk: row for row in rows}
    done_second = by_course[second.pk]["completion"]
    assert (done_second.completed, done_second.total, done_second.is_complete) == (2, 2, True)
    assert by_course[second.pk]["next_lesson"] is None
    done_first = by_course[first.pk]["completion"]
    assert (done_first.completed, done_first.total, done_first.percent) == (1, 3, 33)
    upcoming = by_course[first.pk]["next_lesson"]
    assert upcoming.pk == first_lessons[1].pk and upcoming.title == first_lessons[1].title
    assert upcoming.url == first_lessons[1].url
    assert by_course[first.pk]["course"].title == first.title
    assert selectors.learning_rows(user=TraineeFactory()) == []


def test_the_open_tasks_and_quiz_results_are_the_querysets_own_and_the_readers_only(courses):
    from courses.models import TaskSubmission
    from tests.courses.factories import answers_for

    reader, other = TraineeFactory(), TraineeFactory()
    (first, _), (second, _), _third = courses
    lessons = [
        LessonPageFactory(parent=course, title=f"有测验的一讲{n}", quiz=[quiz_question()], task="<p>上传照片</p>")
        for n, course in enumerate((first, second))
    ]
    for user in (reader, other):
        for course, lesson in zip((first, second), lessons, strict=True):
            services.enroll(user=user, course=course)
            services.submit_quiz(user=user, lesson=lesson, answers=answers_for(lesson, right=user == reader))
            services.submit_task(user=user, lesson=lesson, text="作业")
    TaskSubmission.objects.filter(user=reader, lesson=lessons[0]).update(status="changes_requested")
    for user in (reader, other, TraineeFactory()):
        tasks, expected_tasks = selectors.open_tasks(user=user), list(selectors._open_tasks_query(user.pk))
        assert [loaded_fields(t) for t in tasks] == [loaded_fields(t) for t in expected_tasks]
        assert [loaded_fields(t.lesson) for t in tasks] == [loaded_fields(t.lesson) for t in expected_tasks]
        results, expected = (
            selectors.recent_quiz_results(user=user),
            list(selectors._recent_quiz_results_query(user.pk)),
        )
        assert [loaded_fields(a) for a in results] == [loaded_fields(a) for a in expected]
        assert [loaded_fields(a.lesson) for a in results] == [loaded_fields(a.lesson) for a in expected]
        assert all(t.user_id == user.pk for t in tasks) and all(a.user_id == user.pk for a in results)
    assert {t.status for t in selectors.open_tasks(user=reader)} == {"changes_requested", "submitted"}
    assert len(selectors.recent_quiz_results(user=reader)) == 2
    assert {a.lesson.title for a in selectors.recent_quiz_results(user=reader)} == {lesson.title for lesson in lessons}
