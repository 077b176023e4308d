"""Who may open which mentor page or file: own trainee, former trainee, another mentor's, trainee, anonymous.

A former trainee is closed to the mentor like anyone else's: when the assignment ends, only the
mentor's own check-in notes stay readable to them (/mentor/check-ins/)."""

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import SubmissionFile, TaskSubmission
from mentors.models import CheckIn
from tests.factories import TraineeFactory
from tests.pages_factories import course_with_lessons

from .factories import assign, enroll, lessons_of, make_mentor

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def world():
    mentor, other = make_mentor(), make_mentor()
    course = course_with_lessons(lessons=1)
    lesson = lessons_of(course)[0]
    people = {}
    for name, owner, ended in (("own", mentor, None), ("former", mentor, 1), ("others", other, None)):
        trainee = TraineeFactory()
        assign(owner, trainee, days_ago=10, ended_days_ago=ended)
        if ended:
            assign(other, trainee)
        enroll(trainee, course)
        submission = TaskSubmission.objects.create(user=trainee, lesson=lesson, submitted_at=timezone.now())
        stored = SubmissionFile(
            submission=submission, original_name="a.png", content_type="image/png", extension="png", size=len(PNG)
        )
        stored.file.save("a.png", SimpleUploadedFile("a.png", PNG), save=False)
        stored.save()
        people[name] = (trainee, submission, stored)
    return mentor, other, people


def urls(people, name):
    trainee, submission, stored = people[name]
    return {
        "trainee": reverse("mentors:trainee", args=[trainee.pk]),
        "checkin": reverse("mentors:checkin", args=[trainee.pk]),
        "recommend": reverse("mentors:recommend", args=[trainee.pk]),
        "submission": reverse("mentors:submission", args=[submission.pk]),
        "file": reverse("courses:submission_file", args=[stored.pk]),
    }


# what the mentor gets for each page of each kind of trainee
EXPECTED = {
    "own": {"trainee": 200, "checkin": 200, "recommend": 200, "submission": 200, "file": 200},
    "former": {"trainee": 404, "checkin": 404, "recommend": 404, "submission": 404, "file": 404},
    "others": {"trainee": 404, "checkin": 404, "recommend": 404, "submission": 404, "file": 404},
}


@pytest.mark.parametrize("kind", ["own", "former", "others"])
@pytest.mark.parametrize("page", ["trainee", "checkin", "recommend", "submission", "file"])
def test_mentor_sees_own_and_former_trainees_only(client, world, kind, page):
    mentor, _other, people = world
    client.force_login(mentor)
    assert client.get(urls(people, kind)[page]).status_code == EXPECTED[kind][page]


def test_a_former_mentor_keeps_their_own_checkin_notes_and_nothing_else(client, world):
    mentor, other, people = world
    trainee, submission, _stored = people["former"]
    mine = CheckIn.objects.create(
        mentor=mentor, trainee=trainee, notes="去店里看过，主图要重拍", next_steps="下周再打电话"
    )
    trainee.phone = "+8613912345678"
    trainee.save(update_fields=["phone"])
    theirs = CheckIn.objects.create(mentor=other, trainee=trainee, notes="新导师的记录")
    current = CheckIn.objects.create(mentor=mentor, trainee=people["own"][0], notes="现在的学员的记录")
    client.force_login(mentor)
    response = client.get(reverse("mentors:past_checkins"))
    assert response.status_code == 200
    assert [c.pk for c in response.context["page_obj"]] == [mine.pk]
    page = response.content.decode()
    assert mine.notes in page and mine.next_steps in page and trainee.real_name in page
    assert theirs.notes not in page and current.notes not in page
    assert "12345678" not in page and "1234 5678" not in page and trainee.email not in page
    assert reverse("mentors:trainee", args=[trainee.pk]) not in page
    # The dashboard's former trainees lead to those notes, not to the person's page.
    dashboard = client.get(reverse("mentors:dashboard")).content.decode()
    assert f"{reverse('mentors:past_checkins')}?trainee={trainee.pk}" in dashboard
    assert reverse("mentors:trainee", args=[trainee.pk]) not in dashboard
    filtered = client.get(reverse("mentors:past_checkins"), {"trainee": trainee.pk})
    assert [c.pk for c in filtered.context["page_obj"]] == [mine.pk]
    # Another trainee's id filters the mentor's own notes only: nothing of anyone else appears.
    assert not client.get(reverse("mentors:past_checkins"), {"trainee": people["others"][0].pk}).context["page_obj"]
    assert client.post(reverse("mentors:submission", args=[submission.pk]), {"decision": "approve"}).status_code == 404
    submission.refresh_from_db()
    assert submission.status == TaskSubmission.Status.SUBMITTED
    client.force_login(other)  # the other mentor never sees the first mentor's past notes
    assert mine.notes not in client.get(reverse("mentors:past_checkins")).content.decode()


def test_past_checkins_take_two_queries_however_many(client, world):
    """The count and the page of check-ins, with the people's names joined in. Not counted: the
    signed-in user's own row (it may come from the cache or not) and the one query of their roles
    and unread badge (core/person.py, read on every request), both read from their row."""
    mentor, _other, people = world
    trainee = people["former"][0]
    client.force_login(mentor)
    url = reverse("mentors:past_checkins")
    client.get(url)
    for extra in (1, 10):
        for n in range(extra):
            CheckIn.objects.create(mentor=mentor, trainee=trainee, notes=f"记录{n}")
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        own_row = f'FROM "core_user" WHERE "core_user"."id" = {mentor.pk}'
        assert len([q for q in captured.captured_queries if own_row not in q["sql"]]) == 2, captured.captured_queries


@pytest.mark.parametrize("page", ["trainee", "checkin", "recommend", "submission"])
def test_a_trainee_and_anonymous_people_get_nothing(client, world, page):
    _mentor, _other, people = world
    trainee, _submission, _stored = people["own"]
    url = urls(people, "own")[page]
    assert client.get(url).status_code == 302  # anonymous: to the login page
    assert client.get(url)["Location"].startswith(reverse("account_login"))
    client.force_login(trainee)
    assert client.get(url).status_code == 404
    assert client.get(reverse("mentors:dashboard")).status_code == 404
    assert client.get(reverse("mentors:reviews")).status_code == 404


def test_lists_show_only_own_trainees(client, world):
    mentor, _other, people = world
    client.force_login(mentor)
    queue = client.get(reverse("mentors:reviews"))
    assert [s.pk for s in queue.context["submissions"]] == [people["own"][1].pk]
    dashboard = client.get(reverse("mentors:dashboard"))
    assert [row.trainee.pk for row in dashboard.context["rows"]] == [people["own"][0].pk]
    assert [a.trainee_id for a in dashboard.context["former"]] == [people["former"][0].pk]


def test_trainee_sees_their_mentor_page(client, world):
    mentor, _other, people = world
    trainee = people["own"][0]
    client.force_login(trainee)
    page = client.get(reverse("mentors:my_mentor"))
    assert page.status_code == 200 and mentor.display_name in page.content.decode()
    client.force_login(TraineeFactory())
    assert client.get(reverse("mentors:my_mentor")).status_code == 404
