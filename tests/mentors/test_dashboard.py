"""The mentor's "My trainees": progress, activity, pending reviews, at-risk flags, sorting, query count."""

from datetime import timedelta

import pytest

from django.urls import reverse
from django.utils import timezone

from courses.models import Enrollment, QuizAttempt, TaskSubmission
from mentors.selectors.mentor_area import trainee_rows
from tests.factories import TraineeFactory
from tests.pages_factories import course_with_lessons

from .factories import assign, enroll, lessons_of, make_mentor

pytestmark = pytest.mark.django_db


def set_activity(trainee, course, days_ago):
    Enrollment.objects.filter(user=trainee, course=course).update(
        last_activity_at=timezone.now() - timedelta(days=days_ago)
    )


def fail_quiz(trainee, lesson, times, passed_after=False):
    for number in range(1, times + 1):
        QuizAttempt.objects.create(
            user=trainee, lesson=lesson, number=number, score=20, correct_count=1, question_count=5, passed=False
        )
    if passed_after:
        QuizAttempt.objects.create(
            user=trainee, lesson=lesson, number=times + 1, score=100, correct_count=5, question_count=5, passed=True
        )


def changes_requested(trainee, lesson, days_ago):
    now = timezone.now()
    return TaskSubmission.objects.create(
        user=trainee,
        lesson=lesson,
        status=TaskSubmission.Status.CHANGES_REQUESTED,
        submitted_at=now - timedelta(days=days_ago + 1),
        reviewed_at=now - timedelta(days=days_ago),
        feedback="请补充照片",
    )


@pytest.fixture
def setup():
    mentor = make_mentor()
    course = course_with_lessons(lessons=3)
    return mentor, course, lessons_of(course)


def row_for(mentor, trainee):
    return next(row for row in trainee_rows(mentor=mentor) if row.trainee.pk == trainee.pk)


@pytest.mark.parametrize(("days", "at_risk"), [(13, False), (14, True)])
def test_no_activity_for_14_days(setup, days, at_risk):
    mentor, course, _lessons = setup
    trainee = TraineeFactory()
    assign(mentor, trainee, days_ago=30)
    enroll(trainee, course)
    set_activity(trainee, course, days)

    row = row_for(mentor, trainee)

    assert row.at_risk is at_risk
    assert row.risks == (["已 14 天没有学习活动"] if at_risk else [])


@pytest.mark.parametrize(("days", "at_risk"), [(13, False), (14, True)])
def test_never_active_counts_from_the_assignment(setup, days, at_risk):
    mentor, _course, _lessons = setup
    trainee = TraineeFactory()
    assign(mentor, trainee, days_ago=days)

    row = row_for(mentor, trainee)

    assert row.risks == ([f"分配后 {days} 天没有任何学习活动"] if at_risk else [])


@pytest.mark.parametrize(
    ("failures", "passed_after", "at_risk"), [(2, False, False), (3, False, True), (3, True, False)]
)
def test_quiz_failed_repeatedly(setup, failures, passed_after, at_risk):
    mentor, course, lessons = setup
    trainee = TraineeFactory()
    assign(mentor, trainee)
    enroll(trainee, course)
    fail_quiz(trainee, lessons[0], failures, passed_after=passed_after)

    row = row_for(mentor, trainee)

    assert row.risks == (["测验已失败 3 次仍未通过"] if at_risk else [])


@pytest.mark.parametrize(("days", "at_risk"), [(6, False), (7, True)])
def test_changes_requested_and_not_answered_for_7_days(setup, days, at_risk):
    mentor, course, lessons = setup
    trainee = TraineeFactory()
    assign(mentor, trainee)
    enroll(trainee, course)
    changes_requested(trainee, lessons[0], days)

    row = row_for(mentor, trainee)

    assert row.risks == (["1 个任务被要求修改，7 天以上未回应"] if at_risk else [])


def test_progress_pending_and_sorting(setup, client):
    mentor, course, lessons = setup
    calm, stuck, busy = (TraineeFactory(real_name=f"学员{n}") for n in (1, 2, 3))
    for trainee in (calm, stuck, busy):
        assign(mentor, trainee, days_ago=20)
        enroll(trainee, course)
    enroll(calm, course_with_lessons(lessons=1), source="self")  # not a required course: not shown
    from courses.models import LessonProgress

    LessonProgress.objects.create(user=calm, lesson=lessons[0], course=course, completed_at=timezone.now())
    set_activity(stuck, course, 20)
    now = timezone.now()
    for lesson in lessons[:2]:
        TaskSubmission.objects.create(user=busy, lesson=lesson, submitted_at=now - timedelta(days=2))

    rows = trainee_rows(mentor=mentor)
    assert [row.trainee for row in rows] == [stuck, busy, calm]  # those who need help first
    by_name = {row.trainee.pk: row for row in rows}
    assert [(c.course.pk, c.completed, c.total, c.percent) for c in by_name[calm.pk].courses] == [(course.pk, 1, 3, 33)]
    assert by_name[busy.pk].pending_count == 2
    assert [row.trainee for row in trainee_rows(mentor=mentor, sort="progress")][-1] == calm
    assert [row.trainee for row in trainee_rows(mentor=mentor, sort="pending")][0] == busy

    client.force_login(mentor)
    page = client.get(reverse("mentors:dashboard"), {"sort": "name"}).content.decode()
    assert page.index("学员1") < page.index("学员2") < page.index("学员3")
    assert "需要帮助" in page and "2 份待批阅" in page


def build(mentor, count, courses):
    now = timezone.now()
    for index in range(count):
        trainee = TraineeFactory()
        assign(mentor, trainee, days_ago=index % 20)
        for course in courses:
            enroll(trainee, course)
            lessons = lessons_of(course)
            TaskSubmission.objects.create(user=trainee, lesson=lessons[0], submitted_at=now - timedelta(hours=index))
            fail_quiz(trainee, lessons[1], 1 + index % 4)


def dashboard_queries(client, mentor, django_assert_num_queries, expected):
    client.force_login(mentor)
    client.get(reverse("mentors:dashboard"))  # warm the role and badge caches, as in steady use
    with django_assert_num_queries(expected):
        response = client.get(reverse("mentors:dashboard"))
    assert response.status_code == 200
    return response


# the person with their roles and unread badge (one query: core/backends.py); assignments (with the mentor's
# profile and the recommendations), enrolments (with the last activity, their courses and the
# lessons completed in each), quiz failures with submissions (one round trip), the registered
# risk rules' one each (outreach: missed classes), former trainees (the session comes from the
# cache; the Wagtail user bar is shown to staff only).
DASHBOARD_QUERIES = 6
# the person with their roles and unread badge, the queue (the session cached)
REVIEW_QUEUE_QUERIES = 2


def test_dashboard_queries_do_not_grow_with_trainees_or_submissions(client, django_assert_num_queries):
    courses = [course_with_lessons(lessons=2), course_with_lessons(lessons=2)]
    small, large = make_mentor(), make_mentor(capacity=60)
    build(small, 2, courses[:1])
    build(large, 50, courses)
    former = TraineeFactory()
    assign(large, former, days_ago=40, ended_days_ago=10)
    assign(small, TraineeFactory(), days_ago=40, ended_days_ago=10)
    for _ in range(15):
        assign(large, TraineeFactory(), days_ago=90, ended_days_ago=60)

    dashboard_queries(client, small, django_assert_num_queries, DASHBOARD_QUERIES)
    response = dashboard_queries(client, large, django_assert_num_queries, DASHBOARD_QUERIES)

    assert response.context["trainee_count"] == 50 and len(response.context["rows"]) == 25
    assert response.context["pending_count"] == 100
    assert former.display_name in response.content.decode()
    assert "第 1 页，共 2 页" in response.content.decode()
    with django_assert_num_queries(DASHBOARD_QUERIES):
        second = client.get(reverse("mentors:dashboard"), {"page": 2, "sort": "name"})
    names = [row.trainee.display_name for row in second.context["rows"]]
    assert len(names) == 25 and names == sorted(names)


def test_review_queue_queries_are_fixed(client, django_assert_num_queries):
    course = course_with_lessons(lessons=2)
    mentor = make_mentor(capacity=60)
    build(mentor, 3, [course])
    client.force_login(mentor)
    client.get(reverse("mentors:reviews"))  # warm the role and badge caches, as in steady use
    with django_assert_num_queries(REVIEW_QUEUE_QUERIES):
        small = client.get(reverse("mentors:reviews"))
    build(mentor, 30, [course])
    with django_assert_num_queries(REVIEW_QUEUE_QUERIES):
        large = client.get(reverse("mentors:reviews"))
    assert len(small.context["submissions"]) == 3 and len(large.context["submissions"]) == 33
    submitted = [s.submitted_at for s in large.context["submissions"]]
    assert submitted == sorted(submitted)  # oldest first


def test_trainee_page_queries_are_fixed(client, django_assert_num_queries):
    courses = [course_with_lessons(lessons=2), course_with_lessons(lessons=4)]
    mentor = make_mentor()
    small_trainee, big_trainee = TraineeFactory(), TraineeFactory()
    for trainee, lesson_count in ((small_trainee, 1), (big_trainee, 2)):
        assign(mentor, trainee)
        for course in courses[:lesson_count]:
            enroll(trainee, course)
            for lesson in lessons_of(course):
                fail_quiz(trainee, lesson, 2)
                TaskSubmission.objects.create(user=trainee, lesson=lesson, submitted_at=timezone.now())
    client.force_login(mentor)
    client.get(reverse("mentors:trainee", args=[small_trainee.pk]))  # warm the session and role caches
    counts = []
    for trainee in (small_trainee, big_trainee):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("mentors:trainee", args=[trainee.pk])).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_the_latest_former_trainees_are_listed_and_all_of_them_on_request(client):
    mentor = make_mentor()
    former = [TraineeFactory() for _ in range(12)]
    for days, trainee in enumerate(former):
        assign(mentor, trainee, days_ago=100, ended_days_ago=days + 1)
    client.force_login(mentor)
    page = client.get(reverse("mentors:dashboard")).content.decode()
    assert former[0].display_name in page and former[9].display_name in page  # the latest ten
    assert former[11].display_name not in page
    assert "再显示 2 位以前的学员" in page
    everything = client.get(reverse("mentors:dashboard"), {"former": "all"}).content.decode()
    assert all(trainee.display_name in everything for trainee in former)


def test_each_trainee_row_lists_their_courses_with_progress_in_the_readers_language(setup, client):
    mentor, course, lessons = setup
    course.title, course.title_en = "开网店<第一课>", "Open a shop <1>"
    course.save()
    learner, newcomer = TraineeFactory(real_name="学员甲"), TraineeFactory(real_name="学员乙")
    for trainee in (learner, newcomer):
        assign(mentor, trainee, days_ago=1)
    enroll(learner, course)
    from courses.models import LessonProgress

    LessonProgress.objects.create(user=learner, lesson=lessons[0], course=course, completed_at=timezone.now())
    client.force_login(mentor)
    page = client.get(reverse("mentors:dashboard"), {"sort": "name"}).content.decode()
    bar = '<progress class="progress" max="100" value="33" aria-label="{}">33%</progress><span class="progress-text">33%</span>'
    title = "开网店&lt;第一课&gt;"  # escaped, in the text and in the bar's label
    assert f'<div class="course-progress"><span class="meta">{title}</span> {bar.format(title)}</div>' in page
    assert page.count('class="course-progress"') == 1
    assert '<p class="meta">还没有必修课程。</p>' in page.split("学员乙")[1]  # the newcomer has none yet
    client.cookies["django_language"] = "en"
    mentor.preferred_language = "en"
    mentor.save()
    english = client.get(reverse("mentors:dashboard")).content.decode()
    assert f'<span class="meta">Open a shop &lt;1&gt;</span> {bar.format("Open a shop &lt;1&gt;")}' in english


def test_a_mentors_assignments_come_as_the_querysets_own_and_only_theirs(setup):
    """trainee_rows reads the mentor's assignments through SQL built once per process
    (mentor_area._MENTORS_ASSIGNMENTS): the same objects, field for field, with the same relations."""
    from mentors.models import GraduationRecommendation
    from mentors.selectors import mentor_area
    from tests.factories import VillageFactory

    mentor, course, _lessons = setup
    other_mentor = make_mentor()
    unplaced = TraineeFactory(village=None)
    placed = TraineeFactory(village=VillageFactory())
    for trainee in (placed, unplaced):
        assign(mentor, trainee, days_ago=3)
    assign(other_mentor, TraineeFactory(), days_ago=1)
    GraduationRecommendation.objects.create(trainee=placed, mentor=mentor, note="可以毕业")

    def described(assignment):
        trainee = assignment.trainee
        village = trainee.village
        return (
            loaded(assignment),
            loaded(trainee),
            loaded(village) if village else None,
            loaded(village.township) if village else None,
            loaded(assignment.mentor),
            loaded(assignment.mentor.mentor_profile),
            assignment.recommended,
            assignment.last_activity,
        )

    for who in (mentor, other_mentor):
        ours = mentor_area._MENTORS_ASSIGNMENTS(who.pk)
        theirs = list(mentor_area._mentors_assignments_query(who.pk))
        assert [described(a) for a in ours] == [described(a) for a in theirs]
        assert {a.mentor_id for a in ours} == {who.pk}
    assert [a.recommended for a in mentor_area._MENTORS_ASSIGNMENTS(mentor.pk)] == [
        a.trainee == placed for a in mentor_area._MENTORS_ASSIGNMENTS(mentor.pk)
    ]


def loaded(instance):
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_a_mentors_former_trainees_come_as_the_querysets_own_rows(setup):
    """former_trainees reads plain values through SQL built once per process (mentor_area._FORMER,
    a values_list through core.rows.CompiledQuery): the queryset's rows, tuple for tuple."""
    from mentors.models import MentorAssignment
    from mentors.selectors import mentor_area

    mentor, _course, _lessons = setup
    other_mentor = make_mentor()
    left, back, elsewhere = TraineeFactory(real_name="离开"), TraineeFactory(real_name="回来"), TraineeFactory()
    for trainee in (left, back, elsewhere):
        assign(mentor, trainee, days_ago=30)
    MentorAssignment.objects.filter(mentor=mentor).update(ended_at=timezone.now() - timedelta(days=5))
    assign(mentor, back, days_ago=2)  # theirs again: not former
    assign(other_mentor, elsewhere, days_ago=4)
    for who in (mentor, other_mentor):
        assert mentor_area._FORMER(who.pk) == list(mentor_area._former_query(who.pk))
    former, count = mentor_area.former_trainees(mentor=mentor)
    assert count == 2 and {a.trainee_id for a in former} == {left.pk, elsewhere.pk}
    assert {a.trainee.real_name for a in former} >= {"离开"}
    assert mentor_area.former_trainees(mentor=other_mentor) == ([], 0)


def test_a_mentors_enrolments_and_learning_counts_come_as_the_querysets_own_rows(setup):
    """trainee_rows reads the enrolments and the learning counts of the mentor's current
    trainees through SQL built once per process (mentor_area._MENTORS_ENROLLMENTS and
    _MENTORS_COUNTS, the trainees found by the mentor's id in the query): the querysets' rows,
    tuple for tuple, only the mentor's current trainees', the changes' cut-off given each time."""
    from mentors.models import MentorAssignment
    from mentors.selectors import mentor_area

    mentor, course, lessons = setup
    other_mentor = make_mentor()
    current, former, elsewhere = TraineeFactory(), TraineeFactory(), TraineeFactory()
    assign(mentor, former, days_ago=30)
    MentorAssignment.objects.filter(mentor=mentor).update(ended_at=timezone.now() - timedelta(days=5))
    assign(mentor, current, days_ago=3)
    assign(other_mentor, elsewhere, days_ago=3)
    for trainee in (current, former, elsewhere):
        enroll(trainee, course)
        fail_quiz(trainee, lessons[0], 2)
        changes_requested(trainee, lessons[1], days_ago=8)
    changes_requested(current, lessons[2], days_ago=3)
    now = timezone.now()
    for who in (mentor, other_mentor):
        trainees = mentor_area.mentor_trainee_ids(mentor=who.pk)
        assert mentor_area._MENTORS_ENROLLMENTS(who.pk) == list(mentor_area._enrollment_values(trainees))
        for days in (0, 5, 10):
            cut_off = now - timedelta(days=days)
            expected = list(mentor_area._learning_counts(trainees, cut_off))
            assert sorted(mentor_area._MENTORS_COUNTS(who.pk, cut_off), key=repr) == sorted(expected, key=repr)
    assert {row[0] for row in mentor_area._MENTORS_ENROLLMENTS(mentor.pk)} == {current.pk}
    # Both requests for changes were answered by nobody: older than today both, than 5 days one.
    for days, expected_stale in ((0, 2), (5, 1), (10, 0)):
        [task_row] = [r for r in mentor_area._MENTORS_COUNTS(mentor.pk, now - timedelta(days=days)) if r[0] == "task"]
        assert task_row[1:4] == (current.pk, 0, expected_stale)


def test_the_last_activity_is_the_latest_in_any_course_shown_or_not(setup):
    mentor, course, _lessons = setup
    trainee, idle = TraineeFactory(), TraineeFactory()
    for person in (trainee, idle):
        assign(mentor, person, days_ago=30)
        enroll(person, course)
        set_activity(person, course, days_ago=20)
    chosen = course_with_lessons(lessons=1)
    enroll(trainee, chosen, source="self")  # a course of their own choosing: not a bar, but activity
    set_activity(trainee, chosen, days_ago=2)
    row, idle_row = row_for(mentor, trainee), row_for(mentor, idle)
    assert [bar.course.pk for bar in row.courses] == [course.pk]
    assert (timezone.now() - row.last_activity).days == 2 and row.risks == []
    assert (timezone.now() - idle_row.last_activity).days == 20
    assert idle_row.risk_codes == ["inactive"]
