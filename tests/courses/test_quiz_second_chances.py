"""Second chances at a quiz (issue 19): after the last failed attempt the trainee is told to ask
their mentor; the mentor (their own trainees only) and the office can give more attempts, kept
in the history (who, when, how many, why) and announced to the trainee. A required course then
no longer blocks graduation forever."""

import pytest

from django.core.exceptions import ValidationError
from django.urls import reverse

from core import history
from core.models import Notification
from courses import selectors, services
from courses.models import LessonProgress
from incubator.merchants.selectors.graduation import graduation_statuses
from mentors.models import MentorAssignment
from tests.courses.factories import answers_for
from tests.factories import MentorFactory, OfficeFactory, TraineeFactory
from tests.merchants.factories import make_cohort, make_profile
from tests.pages_factories import CoursePageFactory, LessonPageFactory, quiz_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def stuck(catalogue):
    """A trainee who failed the course's only lesson's quiz twice, its maximum."""
    course = CoursePageFactory(parent=catalogue, title="冷链发货")
    lesson = LessonPageFactory(parent=course, title="包装规则", quiz=[quiz_question()], quiz_max_attempts=2)
    course.refresh_from_db()
    trainee = TraineeFactory(real_name="向阿香")
    services.enroll(user=trainee, course=course, source="cohort")
    for _ in range(2):
        services.submit_quiz(user=trainee, lesson=lesson, answers=answers_for(lesson, right=False))
    mentor = MentorFactory(real_name="田老师")
    MentorAssignment.objects.create(mentor=mentor, trainee=trainee)
    return course, lesson, trainee, mentor


def test_out_of_attempts_the_trainee_is_told_to_ask_the_mentor(client, stuck):
    _course, lesson, trainee, _mentor = stuck
    with pytest.raises(ValidationError) as error:
        services.submit_quiz(user=trainee, lesson=lesson, answers=answers_for(lesson))
    assert error.value.code == "no_attempts_left"
    client.force_login(trainee)
    page = client.get(lesson.url).content.decode()
    assert 'value="quiz"' not in page


def test_the_mentor_gives_more_attempts_recorded_and_announced(client, stuck):
    _course, lesson, trainee, mentor = stuck
    client.force_login(mentor)
    trainee_page = client.get(reverse("mentors:trainee", args=[trainee.pk])).content.decode()
    url = reverse("mentors:grant_attempts", args=[trainee.pk, lesson.pk])
    assert url in trainee_page
    assert client.get(url).status_code == 200
    response = client.post(url, {"count": "1", "reason": "我们一起复习了包装规则"})
    assert response.status_code == 302

    progress = LessonProgress.objects.get(user=trainee, lesson=lesson)
    assert progress.extra_quiz_attempts == 1
    [entry] = history.entries(progress)
    assert (entry.actor, entry.reason) == (mentor, "我们一起复习了包装规则")
    assert entry.change.changes == {"extra_quiz_attempts": [0, 1]}
    note = Notification.objects.get(recipient=trainee, kind="quiz-attempts-granted")
    assert "包装规则" in note.title and note.body == "我们一起复习了包装规则" and note.url == lesson.url

    attempt = services.submit_quiz(user=trainee, lesson=lesson, answers=answers_for(lesson, right=False))
    assert attempt.number == 3
    with pytest.raises(ValidationError):  # one more was given, not unlimited
        services.submit_quiz(user=trainee, lesson=lesson, answers=answers_for(lesson))


def test_a_mentor_cannot_give_attempts_to_someone_elses_trainee(client, stuck):
    _course, lesson, trainee, _mentor = stuck
    other = MentorFactory()
    client.force_login(other)
    url = reverse("mentors:grant_attempts", args=[trainee.pk, lesson.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"count": "3", "reason": "试试"}).status_code == 404
    assert LessonProgress.objects.get(user=trainee, lesson=lesson).extra_quiz_attempts == 0


def test_a_trainee_cannot_give_themselves_attempts(client, stuck):
    _course, lesson, trainee, _mentor = stuck
    client.force_login(trainee)
    assert (
        client.post(reverse("mentors:grant_attempts", args=[trainee.pk, lesson.pk]), {"count": "3"}).status_code == 404
    )
    response = client.post(reverse("courses_grant_attempts", args=[trainee.pk, lesson.pk]), {"count": "3"})
    assert response.status_code == 302 and "login" in response.url
    assert LessonProgress.objects.get(user=trainee, lesson=lesson).extra_quiz_attempts == 0


def test_the_office_lists_those_out_of_attempts_and_gives_more(client, stuck, django_assert_max_num_queries):
    _course, lesson, trainee, _mentor = stuck
    office = OfficeFactory()
    client.force_login(office)
    with django_assert_max_num_queries(20):
        listing = client.get(reverse("courses_quiz_attempts")).content.decode()
    url = reverse("courses_grant_attempts", args=[trainee.pk, lesson.pk])
    assert url in listing and "向阿香" in listing
    refused = client.post(url, {"count": "1", "reason": ""})
    assert refused.status_code == 400
    response = client.post(url, {"count": "2", "reason": "县里统一补考"})
    assert response.status_code == 302
    progress = LessonProgress.objects.get(user=trainee, lesson=lesson)
    assert progress.extra_quiz_attempts == 2
    assert history.entries(progress)[0].actor == office
    assert selectors.out_of_attempts() == []


def test_the_out_of_attempts_listing_does_not_grow_in_queries(catalogue, stuck, django_assert_num_queries):
    _course, lesson, _trainee, _mentor = stuck
    for _ in range(3):
        person = TraineeFactory()
        services.enroll(user=person, course=lesson.get_parent().specific)
        for _ in range(2):
            services.submit_quiz(user=person, lesson=lesson, answers=answers_for(lesson, right=False))
    with django_assert_num_queries(3):
        rows = selectors.out_of_attempts()
    assert len(rows) == 4 and all(row.used == row.allowed == 2 for row in rows)


def test_no_grant_without_a_reason_or_beyond_the_limit_or_after_passing(stuck):
    _course, lesson, trainee, mentor = stuck
    with pytest.raises(ValidationError) as error:
        services.grant_quiz_attempts(trainee=trainee, lesson=lesson, count=1, reason=" ", by=mentor)
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.grant_quiz_attempts(
            trainee=trainee, lesson=lesson, count=services.MAX_GRANTED_ATTEMPTS + 1, reason="多给", by=mentor
        )
    assert "count" in error.value.message_dict
    services.grant_quiz_attempts(trainee=trainee, lesson=lesson, count=1, reason="再试一次", by=mentor)
    services.submit_quiz(user=trainee, lesson=lesson, answers=answers_for(lesson))
    with pytest.raises(ValidationError) as error:
        services.grant_quiz_attempts(trainee=trainee, lesson=lesson, count=1, reason="再试一次", by=mentor)
    assert error.value.code == "already_passed"


def test_a_required_course_no_longer_blocks_graduation_forever(stuck):
    course, lesson, trainee, mentor = stuck
    profile = make_profile(user=trainee, cohort=make_cohort(courses=[course], requires_shop=False))
    missing = graduation_statuses(profiles=[profile])[profile.pk].missing
    assert any("冷链发货" in line for line in missing)

    services.grant_quiz_attempts(trainee=trainee, lesson=lesson, count=1, reason="复习后再考", by=mentor)
    services.submit_quiz(user=trainee, lesson=lesson, answers=answers_for(lesson))

    missing = graduation_statuses(profiles=[profile])[profile.pk].missing
    assert not any("冷链发货" in line for line in missing)
