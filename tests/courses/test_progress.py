"""Enrolment, lesson completion and course progress, including the rules for changed courses."""

from datetime import timedelta

import pytest

from django.core.exceptions import ValidationError
from django.utils import timezone

from courses import selectors, services
from courses.models import Enrollment, LessonProgress
from tests.courses.factories import answers_for
from tests.factories import MentorFactory, TraineeFactory
from tests.pages_factories import CoursePageFactory, LessonPageFactory, quiz_question

pytestmark = pytest.mark.django_db


def test_enrol_is_idempotent_and_a_cohort_may_enrol_in_a_cohort_only_course(catalogue):
    course = CoursePageFactory(parent=catalogue, enrolment="cohort")
    trainee = TraineeFactory()
    with pytest.raises(ValidationError) as error:
        services.enroll(user=trainee, course=course, source=Enrollment.Source.SELF)
    assert error.value.messages == ["本课程仅限培训班学员，培训班开班时由县电商办为你报名。"]
    first = services.enroll(user=trainee, course=course, source=Enrollment.Source.COHORT)
    again = services.enroll(user=trainee, course=course, source=Enrollment.Source.COHORT)
    assert first.pk == again.pk and Enrollment.objects.count() == 1


def test_opening_a_plain_lesson_records_the_visit_but_does_not_complete_it(catalogue):
    course = CoursePageFactory(parent=catalogue)
    lesson = LessonPageFactory(parent=course)
    trainee = TraineeFactory()
    services.enroll(user=trainee, course=course)
    first = services.open_lesson(user=trainee, lesson=lesson)
    second = services.open_lesson(user=trainee, lesson=lesson)
    assert LessonProgress.objects.filter(user=trainee, lesson=lesson).count() == 1
    assert first.completed_at is None and second.completed_at is None
    assert Enrollment.objects.get(user=trainee).last_lesson_id == lesson.pk


def test_finishing_a_plain_lesson_twice_completes_it_once(catalogue):
    course = CoursePageFactory(parent=catalogue)
    lesson = LessonPageFactory(parent=course)
    trainee = TraineeFactory()
    services.enroll(user=trainee, course=course)
    first = services.complete_lesson(user=trainee, lesson=lesson)
    second = services.complete_lesson(user=trainee, lesson=lesson)
    assert LessonProgress.objects.filter(user=trainee, lesson=lesson).count() == 1
    assert first.completed_at == second.completed_at is not None


def test_a_lesson_with_a_quiz_is_not_finished_by_the_button(catalogue):
    course = CoursePageFactory(parent=catalogue)
    lesson = LessonPageFactory(parent=course, quiz=[quiz_question()])
    trainee = TraineeFactory()
    services.enroll(user=trainee, course=course)
    with pytest.raises(ValidationError) as error:
        services.complete_lesson(user=trainee, lesson=lesson)
    assert error.value.code == "completed_by_work"
    assert not LessonProgress.objects.filter(completed_at__isnull=False).exists()


def test_opening_without_enrolment_records_nothing(catalogue):
    course = CoursePageFactory(parent=catalogue)
    lesson = LessonPageFactory(parent=course)
    assert services.open_lesson(user=TraineeFactory(), lesson=lesson) is None
    assert not LessonProgress.objects.exists()


def test_a_lesson_with_quiz_and_task_completes_only_when_both_are_done(catalogue):
    course = CoursePageFactory(parent=catalogue)
    lesson = LessonPageFactory(parent=course, quiz=[quiz_question()], task="<p>拍五张照片</p>")
    trainee, mentor = TraineeFactory(), MentorFactory()
    services.enroll(user=trainee, course=course)
    progress = services.open_lesson(user=trainee, lesson=lesson)
    assert progress.completed_at is None
    services.submit_quiz(user=trainee, lesson=lesson, answers=answers_for(lesson))
    submission = services.submit_task(user=trainee, lesson=lesson, text="照片在这里")
    assert LessonProgress.objects.get(pk=progress.pk).completed_at is None
    services.review_submission(submission=submission, reviewer=mentor, approve=True, feedback="很好")
    assert LessonProgress.objects.get(pk=progress.pk).completed_at is not None


def test_course_completion_date_is_recorded_and_the_learner_is_told(catalogue):
    course = CoursePageFactory(parent=catalogue)
    lessons = [LessonPageFactory(parent=course), LessonPageFactory(parent=course)]
    trainee = TraineeFactory()
    services.enroll(user=trainee, course=course)
    services.complete_lesson(user=trainee, lesson=lessons[0])
    assert Enrollment.objects.get(user=trainee).completed_at is None
    services.complete_lesson(user=trainee, lesson=lessons[1])
    enrollment = Enrollment.objects.get(user=trainee)
    assert enrollment.completed_at is not None
    assert trainee.notifications.filter(kind="course-completed").count() == 1
    progress = selectors.course_completion(user_ids=[trainee.pk], course_ids=[course.pk])[(trainee.pk, course.pk)]
    assert (progress.completed, progress.total, progress.percent, progress.is_complete) == (2, 2, 100, True)


def test_unpublished_lessons_do_not_count(catalogue):
    course = CoursePageFactory(parent=catalogue)
    done, hidden = LessonPageFactory(parent=course), LessonPageFactory(parent=course)
    trainee = TraineeFactory()
    services.enroll(user=trainee, course=course)
    services.complete_lesson(user=trainee, lesson=done)
    services.complete_lesson(user=trainee, lesson=hidden)
    LessonPageFactory(parent=course)  # a third lesson: 2 of 3
    hidden.unpublish()  # now 1 of 2: the unpublished lesson counts neither done nor in total
    progress = selectors.course_completion(user_ids=[trainee.pk], course_ids=[course.pk])[(trainee.pk, course.pk)]
    assert (progress.completed, progress.total, progress.percent) == (1, 2, 50)


def test_a_lesson_added_after_completion_keeps_the_course_completed_and_shows_as_to_do(client, catalogue):
    """The rule: a completed course stays completed (its date stands); the new lesson is shown as
    still to do and counts in the progress bar."""
    course = CoursePageFactory(parent=catalogue)
    first = LessonPageFactory(parent=course)
    trainee = TraineeFactory()
    services.enroll(user=trainee, course=course)
    services.complete_lesson(user=trainee, lesson=first)
    completed_at = Enrollment.objects.get(user=trainee).completed_at
    assert completed_at is not None
    added = LessonPageFactory(parent=course, title="新增的一课")
    progress = selectors.course_completion(user_ids=[trainee.pk], course_ids=[course.pk])[(trainee.pk, course.pk)]
    assert progress.is_complete and (progress.completed, progress.total, progress.percent) == (1, 2, 50)
    assert Enrollment.objects.get(user=trainee).completed_at == completed_at
    client.force_login(trainee)
    page = client.get("/me/learning/").content.decode()
    assert "新增的一课" in page and added.url in page
    services.complete_lesson(user=trainee, lesson=added)
    assert Enrollment.objects.get(user=trainee).completed_at == completed_at


def test_selectors_for_mentors(catalogue):
    course = CoursePageFactory(parent=catalogue)
    quiz_lesson = LessonPageFactory(parent=course, quiz=[quiz_question()])
    task_lesson = LessonPageFactory(parent=course, task="<p>贴上店铺链接</p>")
    slow, quick, mentor = TraineeFactory(), TraineeFactory(), MentorFactory()
    for person in (slow, quick):
        services.enroll(user=person, course=course)
    services.submit_quiz(user=slow, lesson=quiz_lesson, answers=answers_for(quiz_lesson, right=False))
    services.submit_quiz(user=slow, lesson=quiz_lesson, answers=answers_for(quiz_lesson, right=False))
    services.submit_quiz(user=quick, lesson=quiz_lesson, answers=answers_for(quiz_lesson, right=False))
    services.submit_quiz(user=quick, lesson=quiz_lesson, answers=answers_for(quiz_lesson))
    submission = services.submit_task(user=quick, lesson=task_lesson, text="链接")
    services.review_submission(submission=submission, reviewer=mentor, approve=True, feedback="")

    assert selectors.quiz_failures(user_ids=[slow.pk, quick.pk]) == {slow.pk: 2}
    tasks = selectors.unapproved_tasks(user_ids=[slow.pk, quick.pk], course_ids=[course.pk])
    assert [lesson.pk for lesson in tasks[slow.pk]] == [task_lesson.pk] and tasks[quick.pk] == []
    activity = selectors.last_activity(user_ids=[slow.pk, quick.pk])
    assert set(activity) == {slow.pk, quick.pk}


def test_course_completion_runs_three_queries_whatever_the_sizes(catalogue, django_assert_num_queries):
    courses = [CoursePageFactory(parent=catalogue) for _ in range(3)]
    people = [TraineeFactory() for _ in range(4)]
    for course in courses:
        LessonPageFactory(parent=course)
        for person in people:
            services.enroll(user=person, course=course)
    with django_assert_num_queries(3):
        result = selectors.course_completion(user_ids=[p.pk for p in people], course_ids=[c.pk for c in courses])
    assert len(result) == 12


def test_reloading_the_same_lesson_soon_after_reads_one_row_and_writes_nothing(catalogue, django_assert_num_queries):
    course = CoursePageFactory(parent=catalogue)
    lesson = LessonPageFactory(parent=course)
    trainee = TraineeFactory()
    services.enroll(user=trainee, course=course)
    services.complete_lesson(user=trainee, lesson=lesson)
    enrollment = Enrollment.objects.get(user=trainee, course=course)
    with django_assert_num_queries(1):
        again = services.open_lesson(user=trainee, lesson=lesson, enrollment=enrollment)
    assert again.completed_at is not None
    assert LessonProgress.objects.filter(user=trainee, lesson=lesson).count() == 1


def test_coming_back_to_a_lesson_later_is_one_update_when_its_row_was_read(catalogue, django_assert_num_queries):
    # The lesson page reads the person's progress row with the lesson: recording a later visit
    # is then the enrolment's one UPDATE (atomic on its own), not a transaction re-reading the row.
    course = CoursePageFactory(parent=catalogue)
    lesson = LessonPageFactory(parent=course)
    trainee = TraineeFactory()
    services.enroll(user=trainee, course=course)
    first = services.open_lesson(user=trainee, lesson=lesson)
    earlier = timezone.now() - services.REOPEN_WINDOW - timedelta(minutes=1)
    Enrollment.objects.filter(user=trainee).update(last_activity_at=earlier)
    enrollment = Enrollment.objects.get(user=trainee, course=course)
    progress = LessonProgress.objects.get(pk=first.pk)
    with django_assert_num_queries(1) as captured:
        again = services.open_lesson(user=trainee, lesson=lesson, enrollment=enrollment, progress=progress)
    assert captured.captured_queries[0]["sql"].startswith("UPDATE")
    assert again == progress
    enrollment.refresh_from_db()
    assert enrollment.last_activity_at > earlier and enrollment.last_lesson_id == lesson.pk
    assert LessonProgress.objects.filter(user=trainee, lesson=lesson).count() == 1


def test_a_lesson_moved_to_another_course_takes_its_learners_progress_with_it(catalogue):
    first, second = CoursePageFactory(parent=catalogue), CoursePageFactory(parent=catalogue)
    moving, staying = LessonPageFactory(parent=first), LessonPageFactory(parent=first)
    learners = [TraineeFactory(), TraineeFactory()]
    for user in learners:
        services.enroll(user=user, course=first)
        services.complete_lesson(user=user, lesson=moving)
        services.complete_lesson(user=user, lesson=staying)

    moving.move(second, pos="last-child")

    assert set(LessonProgress.objects.filter(lesson=moving).values_list("course_id", flat=True)) == {second.pk}
    assert set(LessonProgress.objects.filter(lesson=staying).values_list("course_id", flat=True)) == {first.pk}
    second.refresh_from_db()
    assert selectors.completed_lesson_counts(user_ids=[learners[0].pk], course_ids=[first.pk, second.pk]) == {
        (learners[0].pk, first.pk): 1,
        (learners[0].pk, second.pk): 1,
    }
