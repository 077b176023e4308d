"""A signed-in reader's lesson surroundings come from SQL built once per process
(courses.selectors._SURROUNDINGS, core.rows.CompiledQuery): the same objects as the queryset
gives, field for field, for every reader and lesson, and never another reader's rows."""

import pytest

from django.contrib.auth.models import AnonymousUser

from courses import selectors, services
from courses.models import LessonPage
from tests.courses.factories import courses_with_lessons, loaded_fields
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db


def through_the_orm(user, lesson):
    course = selectors._surroundings_query(lesson.path[: -LessonPage.steplen], lesson.depth, user.pk, lesson.pk).get()
    return course, getattr(course, "mine", None), getattr(course, "here", None)


@pytest.fixture
def courses(catalogue):
    return courses_with_lessons(catalogue, courses=2)


def test_the_same_course_enrolment_progress_and_lessons_as_the_orm(courses):
    reader, other = TraineeFactory(), TraineeFactory()
    (first, first_lessons), (second, second_lessons) = courses
    services.enroll(user=reader, course=first)
    services.complete_lesson(user=reader, lesson=first_lessons[1])
    services.enroll(user=other, course=second)
    services.open_lesson(user=other, lesson=second_lessons[0])
    for user in (reader, other):
        for lesson in first_lessons + second_lessons:
            found = selectors.lesson_surroundings(user=user, lesson=lesson)
            course, enrollment, progress = through_the_orm(user, lesson)
            assert loaded_fields(found.course) == loaded_fields(course)
            assert found.course.lesson_rows == course.lesson_rows
            assert loaded_fields(found.enrollment) == loaded_fields(enrollment)
            assert loaded_fields(found.progress) == loaded_fields(progress)
            assert [s.pk for s in found.siblings] == [
                x.pk for x in (first_lessons if course == first else second_lessons)
            ]
    here = selectors.lesson_surroundings(user=reader, lesson=first_lessons[1])
    assert here.enrollment.user_id == reader.pk and here.progress.completed_at is not None
    assert selectors.lesson_surroundings(user=reader, lesson=second_lessons[0]).enrollment is None
    elsewhere = selectors.lesson_surroundings(user=reader, lesson=first_lessons[0])
    assert elsewhere.enrollment is not None and elsewhere.progress is None


def test_a_reader_who_is_not_signed_in_has_no_enrolment(courses):
    (course, lessons), _ = courses
    found = selectors.lesson_surroundings(user=AnonymousUser(), lesson=lessons[0])
    assert found.course == course and found.enrollment is None and found.progress is None


def test_an_unpublished_lesson_is_left_out_of_the_list(courses):
    (course, lessons), _ = courses
    lessons[2].unpublish()
    found = selectors.lesson_surroundings(user=TraineeFactory(), lesson=lessons[0])
    assert [s.pk for s in found.siblings] == [lessons[0].pk, lessons[1].pk]


def test_a_stand_in_the_orm_does_not_pass_as_a_parameter_is_refused(courses):
    from core.rows import CompiledQuery
    from courses.models import CoursePage

    # A stand-in the compiled query does not hold (here, not used at all; an out-of-range one
    # makes Django compile the condition away or refuse the query) would ignore its value.
    broken = CompiledQuery(lambda pk: CoursePage.objects.filter(depth__gte=1), 2_000_000_001)
    with pytest.raises(RuntimeError, match="not among the query's parameters"):
        broken(3)
    ok = CompiledQuery(
        lambda depth, path: CoursePage.objects.filter(depth=depth, path__startswith=path), 2_000_000_001, "x:y"
    )
    (course, _lessons), _ = courses
    assert [c.pk for c in ok(course.depth, course.path[:-4])] == list(
        CoursePage.objects.filter(depth=course.depth, path__startswith=course.path[:-4]).values_list("pk", flat=True)
    )


def test_a_compiled_values_list_gives_the_querysets_tuples_in_its_own_order(courses):
    from django.db.models.functions import Upper

    from core.rows import CompiledQuery
    from courses.models import CoursePage

    def build(depth):
        return CoursePage.objects.filter(depth=depth).order_by("path").values_list("title", Upper("slug"), "depth")

    (course, _lessons), _ = courses
    compiled = CompiledQuery(build, 2_000_000_029)
    assert compiled(course.depth) == list(build(course.depth)) and len(compiled(course.depth)) == 2
    flat = CompiledQuery(
        lambda depth: CoursePage.objects.filter(depth=depth).values_list("pk", flat=True), 2_000_000_031
    )
    with pytest.raises(RuntimeError, match="neither flat nor named"):
        flat(course.depth)
