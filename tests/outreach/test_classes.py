"""Offline classes: who takes attendance, what a trainee sees, and missing two in a row as a risk."""

import pytest

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import ngettext

from incubator.outreach.models import Attendance
from incubator.outreach.selectors.classes import MISSED_CLASSES
from incubator.outreach.services.classes import NOT_ON_ROSTER, NOT_YET, NOT_YOURS, record_attendance
from mentors.selectors.mentor_area import trainee_rows
from tests.factories import OfficeFactory, TraineeFactory
from tests.mentors.factories import make_mentor
from tests.outreach.factories import cohort_with, mark, session, trainee_in

pytestmark = pytest.mark.django_db


def test_the_mentor_who_runs_the_class_and_the_office_take_attendance_nobody_else():
    cohort, mentor, (a, b) = cohort_with(2)
    today = session(cohort, led_by=mentor)
    assert record_attendance(session=today, by=mentor, statuses={a.pk: "present", b.pk: "absent"}) == 2
    # The office corrects one; the unchanged one is not rewritten.
    assert record_attendance(session=today, by=OfficeFactory(), statuses={a.pk: "present", b.pk: "excused"}) == 1
    assert dict(Attendance.objects.values_list("trainee_id", "status")) == {a.pk: "present", b.pk: "excused"}
    for stranger in (make_mentor(), a):
        with pytest.raises(ValidationError) as refused:
            record_attendance(session=today, by=stranger, statuses={a.pk: "absent"})
        assert refused.value.messages == [str(NOT_YOURS)]
    assert Attendance.objects.get(trainee=a).status == "present"


def test_attendance_is_refused_for_someone_off_the_roster_and_for_a_class_still_to_come():
    cohort, mentor, (a,) = cohort_with(1)
    with pytest.raises(ValidationError) as refused:
        record_attendance(session=session(cohort, led_by=mentor), by=mentor, statuses={TraineeFactory().pk: "present"})
    assert refused.value.messages == [str(NOT_ON_ROSTER)]
    with pytest.raises(ValidationError) as refused:
        record_attendance(session=session(cohort, led_by=mentor, days_ago=-2), by=mentor, statuses={a.pk: "present"})
    assert refused.value.messages == [str(NOT_YET)]
    assert not Attendance.objects.exists()


def _row(mentor, trainee):
    return next(row for row in trainee_rows(mentor=mentor) if row.trainee.pk == trainee.pk)


@pytest.mark.parametrize(
    ("statuses", "at_risk"),
    [
        (["absent", "absent"], True),
        (["present", "absent", "absent"], True),
        (["absent", "present"], False),  # oldest first: came to the latest
        (["absent", "excused"], False),
        (["absent"], False),
        (["absent", "absent", "present"], False),
    ],
)
def test_missing_the_last_two_classes_in_a_row_puts_a_trainee_at_risk(statuses, at_risk):
    cohort, mentor, (trainee,) = cohort_with(1)
    for days_ago, status in zip(range(len(statuses) * 7, 0, -7), statuses, strict=True):
        mark(session(cohort, led_by=mentor, days_ago=days_ago), trainee, status)
    row = _row(mentor, trainee)
    assert (MISSED_CLASSES in row.risk_codes) is at_risk
    if at_risk:
        assert len(row.risks) == len(row.risk_codes)


def test_the_mentor_takes_attendance_on_the_class_page_and_another_mentor_finds_nothing(client):
    cohort, mentor, (a, b) = cohort_with(2)
    today = session(cohort, led_by=mentor)
    client.force_login(mentor)
    url = reverse("outreach:mentor_attendance", args=[today.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    response = client.post(url, {f"t{a.pk}": "present", f"t{b.pk}": "absent"})
    assert response.status_code == 302
    assert dict(Attendance.objects.values_list("trainee_id", "status")) == {a.pk: "present", b.pk: "absent"}
    client.force_login(make_mentor())
    assert client.get(url).status_code == 404
    assert client.post(url, {f"t{a.pk}": "absent"}).status_code == 404
    assert Attendance.objects.get(trainee=a).status == "present"


def test_a_bad_choice_keeps_what_was_typed_and_says_why(client):
    cohort, mentor, (a, b) = cohort_with(2)
    today = session(cohort, led_by=mentor)
    client.force_login(mentor)
    page = client.post(
        reverse("outreach:mentor_attendance", args=[today.pk]), {f"t{a.pk}": "late", f"t{b.pk}": "present"}
    )
    assert page.status_code == 200
    assert page.context["form"].errors[f"t{a.pk}"]
    assert page.context["form"][f"t{b.pk}"].value() == "present"
    assert not Attendance.objects.exists()


def test_a_trainee_sees_their_own_attendance_on_their_page(client):
    cohort, mentor, (a, b) = cohort_with(2)
    first, second = (
        session(cohort, led_by=mentor, days_ago=7, topic="开店"),
        session(cohort, led_by=mentor, topic="直播"),
    )
    mark(first, a, "present")
    mark(second, a, "absent")
    mark(second, b, "present")
    client.force_login(a)
    me = client.get(reverse("core:me"))
    assert reverse("outreach:my_classes") in me.content.decode()
    page = client.get(reverse("outreach:my_classes"))
    assert [(s.topic, status) for s, status, _label in page.context["attendance"]] == [
        ("直播", "absent"),
        ("开店", "present"),
    ]
    assert "no-store" in page["Cache-Control"]


def _add_sessions(cohort, mentor, trainees, n):
    for i in range(n):
        s = session(cohort, led_by=mentor, days_ago=i + 1, topic=f"课{i}")
        for trainee in trainees:
            mark(s, trainee, "absent" if i % 2 else "present")


CLASS_PAGES = {
    # name: (who, url builder, queries)
    "mentor_classes": ("mentor", lambda today: reverse("outreach:mentor_classes"), 2),
    "mentor_attendance": ("mentor", lambda today: reverse("outreach:mentor_attendance", args=[today.pk]), 4),
    "my_classes": ("trainee", lambda today: reverse("outreach:my_classes"), 4),
    "class_index": ("office", lambda today: reverse("outreach_admin:class_index"), 5),
    "class_attendance": ("office", lambda today: reverse("outreach_admin:class_attendance", args=[today.pk]), 6),
}


@pytest.mark.parametrize("name", CLASS_PAGES)
def test_class_pages_ask_the_database_the_same_whatever_their_size(name, client, django_assert_num_queries):
    who, url_of, queries = CLASS_PAGES[name]
    cohort, mentor, trainees = cohort_with(2)
    _add_sessions(cohort, mentor, trainees, 2)
    today = session(cohort, led_by=mentor)
    people = {"mentor": mentor, "trainee": trainees[0], "office": OfficeFactory()}
    client.force_login(people[who])
    url = url_of(today)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    more = [trainee_in(cohort) for _ in range(5)]
    _add_sessions(cohort, mentor, trainees + more, 6)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


# The mentor's page of a trainee with the other apps' panels: this app's adds the trainee's
# cohort, their attendance and the cohort's classes (three queries, whatever their number).
TRAINEE_PAGE_QUERIES = 11


def test_the_mentor_sees_the_trainees_attendance_on_their_page_in_the_same_queries(client, django_assert_num_queries):
    cohort, mentor, (trainee,) = cohort_with(1)
    url = reverse("mentors:trainee", args=[trainee.pk])
    client.force_login(mentor)
    assert "trainee-classes-heading" not in client.get(url).content.decode()  # no class yet: no panel
    first, second = (
        session(cohort, led_by=mentor, days_ago=7, topic="开网店"),
        session(cohort, led_by=mentor, topic="直播带货"),
    )
    mark(first, trainee, "absent")
    mark(second, trainee, "absent")
    with django_assert_num_queries(TRAINEE_PAGE_QUERIES):
        page = client.get(url).content.decode()
    missed = ngettext(
        "Missed %(counter)s of the last %(total)s classes.", "Missed %(counter)s of the last %(total)s classes.", 2
    ) % {"counter": 2, "total": 2}
    assert "开网店" in page and "直播带货" in page and missed in page
    _add_sessions(cohort, mentor, [trainee], 12)
    with django_assert_num_queries(TRAINEE_PAGE_QUERIES):
        response = client.get(url)
    assert response.content.decode().count('class="status status-') == 10  # the latest ten classes


def test_the_latest_classes_come_as_the_querysets_own_rows_whatever_the_number_of_trainees():
    """missed_in_a_row reads each trainee's latest classes through SQL built once per process
    (classes._LATEST_ATTENDANCE, the ids one parameter): the queryset's rows, for none, one or
    many trainees, and only theirs."""
    from incubator.outreach.selectors import classes

    cohort, mentor, trainees = cohort_with(3)
    for days_ago, status in ((21, "present"), (14, "absent"), (7, "absent")):
        held = session(cohort, led_by=mentor, days_ago=days_ago)
        for trainee in trainees:
            mark(held, trainee, status)
    for ids in ([], [trainees[0].pk], [t.pk for t in trainees], [trainees[2].pk, 10**9]):
        ours = classes._LATEST_ATTENDANCE(ids)
        assert sorted(ours) == sorted(classes._latest_attendance(ids))
        assert {row[0] for row in ours} == {pk for pk in ids if pk != 10**9}
        assert len(ours) == classes.MISSED_IN_A_ROW * len({row[0] for row in ours})
    assert set(classes.missed_in_a_row(trainee_ids=[trainees[1].pk])) == {trainees[1].pk}
