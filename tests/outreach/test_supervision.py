"""The office's supervision across all mentors: trainees at risk with filters, and mentors'
contacts (trainees not contacted for N days, per mentor), with pinned query counts."""

from datetime import timedelta

import pytest

from django.urls import reverse
from django.utils import timezone

from incubator.outreach.selectors.classes import MISSED_CLASSES
from mentors.risks import INACTIVE
from tests.factories import OfficeFactory, TownshipFactory, VillageFactory
from tests.mentors.factories import CheckInFactory, assign
from tests.outreach.factories import cohort_with, mark, session, trainee_in

pytestmark = pytest.mark.django_db


def _missed_twice(cohort, mentor, trainee):
    for days_ago in (8, 1):
        mark(session(cohort, led_by=mentor, days_ago=days_ago, topic=f"课{days_ago}"), trainee, "absent")


def _county():
    """Two townships, two cohorts, two mentors; at risk: A (missed classes), B (inactive, backdated)."""
    north = VillageFactory(code="north-1", township=TownshipFactory(code="north"))
    south = VillageFactory(code="south-1", township=TownshipFactory(code="south"))
    first, mentor_1, (a, calm) = cohort_with(2, village=north)
    second, mentor_2, _none = cohort_with(0)
    b = trainee_in(second, village=south)
    assign(mentor_2, b, days_ago=30)
    _missed_twice(first, mentor_1, a)
    return {
        "north": north.township,
        "south": south.township,
        "first": first,
        "second": second,
        "mentor_1": mentor_1,
        "mentor_2": mentor_2,
        "a": a,
        "b": b,
        "calm": calm,
    }


def _listed(client, **params):
    response = client.get(reverse("outreach_admin:at_risk"), params)
    assert response.status_code == 200
    return {row.trainee.pk for row in response.context["page_obj"].object_list}


def test_the_office_sees_every_mentors_trainees_at_risk_and_filters_them(client):
    w = _county()
    client.force_login(OfficeFactory())
    assert _listed(client) == {w["a"].pk, w["b"].pk}
    assert _listed(client, township=w["north"].pk) == {w["a"].pk}
    assert _listed(client, cohort=w["second"].pk) == {w["b"].pk}
    assert _listed(client, mentor=w["mentor_1"].pk) == {w["a"].pk}
    assert _listed(client, reason=MISSED_CLASSES) == {w["a"].pk}
    assert _listed(client, reason=INACTIVE) == {w["b"].pk}


def test_mentors_and_trainees_do_not_reach_the_office_views(client):
    w = _county()
    for person in (w["mentor_1"], w["a"]):
        client.force_login(person)
        for name in ("outreach_admin:at_risk", "outreach_admin:contacts"):
            response = client.get(reverse(name))
            assert response.status_code == 302 and "/login" in response["Location"]


def test_trainees_not_contacted_for_n_days_per_mentor_and_the_office_contact_does_not_count(client):
    cohort, mentor, (seen, unseen, office_only) = cohort_with(3)
    for trainee in (seen, unseen, office_only):
        trainee.mentor_assignments.update(started_at=timezone.now() - timedelta(days=40))
    today = timezone.localdate()
    CheckInFactory(mentor=mentor, trainee=seen, date=today - timedelta(days=3))
    CheckInFactory(mentor=mentor, trainee=unseen, date=today - timedelta(days=20))
    CheckInFactory(mentor=OfficeFactory(), trainee=office_only, date=today, by_office=True)
    client.force_login(OfficeFactory())
    groups = client.get(reverse("outreach_admin:contacts"), {"days": 14}).context["groups"]
    (group,) = [g for g in groups if g.mentor == mentor]
    assert group.trainee_count == 3
    assert {line.trainee.pk for line in group.overdue} == {unseen.pk, office_only.pk}
    office_line = next(line for line in group.lines if line.trainee == office_only)
    assert office_line.last_contact is None and office_line.last_office_contact == today
    groups = client.get(reverse("outreach_admin:contacts"), {"days": 30}).context["groups"]
    assert {line.trainee.pk for g in groups for line in g.overdue} == {office_only.pk}


# at risk: session, user, roles, the form's choice lists (townships, cohorts, mentors), the
# assignments, the mentors app's rows (enrolments, courses, completions, quiz failures,
# submissions, recommendations), missed classes, the cohorts of those listed, the admin's own.
SUPERVISION_PAGES = {"outreach_admin:at_risk": 11, "outreach_admin:contacts": 7}


@pytest.mark.parametrize("name", SUPERVISION_PAGES)
def test_supervision_pages_ask_the_database_the_same_at_county_scale(name, client, django_assert_num_queries):
    _county()
    client.force_login(OfficeFactory())
    with django_assert_num_queries(SUPERVISION_PAGES[name]):
        assert client.get(reverse(name)).status_code == 200
    for _ in range(3):
        cohort, mentor, trainees = cohort_with(4)
        for trainee in trainees:
            if trainee.pk % 2:
                _missed_twice(cohort, mentor, trainee)
            else:
                CheckInFactory(mentor=mentor, trainee=trainee)
    with django_assert_num_queries(SUPERVISION_PAGES[name]):
        assert client.get(reverse(name)).status_code == 200
