"""Reviewers (issue 19): the office assigns reviewers, one by one or in bulk; each reviewer keeps
their own score set (a database constraint); the listing shows the mean and filters "assigned to
me"; and every bulk decision says what it will do before doing it, and what is missing."""

import pytest

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from core.models import Notification
from incubator.recruitment.forms import NO_ROWS
from incubator.recruitment.models import Application, ReviewerAssignment, ReviewScore
from incubator.recruitment.services.reviewers import NOT_OFFICE, assign_reviewers, score_application
from tests.factories import MentorFactory, OfficeFactory

from .factories import CohortFactory, make_application, make_campaign

pytestmark = pytest.mark.django_db
Status = Application.Status
LIST_URL = "/admin/recruitment/applications/"


def test_each_reviewer_keeps_their_own_scores_and_the_listing_shows_the_mean(office_client, office):
    colleague = OfficeFactory()
    application = make_application()
    other = make_application(campaign=application.campaign)
    score_application(application=application, scores={"products": 5, "skills": 5}, by=office)
    score_application(application=application, scores={"products": 2, "skills": 1}, by=colleague)
    score_application(application=application, scores={"products": 4, "skills": 5}, by=office)  # a correction
    assert sorted(ReviewScore.objects.values_list("reviewer_id", "total")) == sorted(
        [(office.pk, 9), (colleague.pk, 3)]
    )
    score_application(application=other, scores={"products": 1}, by=office)
    response = office_client.get(LIST_URL, {"ordering": "-score"})
    rows = list(response.context["applications"])
    assert [(a.pk, float(a.mean_score), a.score_count) for a in rows] == [(application.pk, 6.0, 2), (other.pk, 1.0, 1)]
    assert "6.0" in response.content.decode()
    # the detail page shows every reviewer's scores to the office (the office decides together)
    detail = office_client.get(f"{LIST_URL}{application.pk}/")
    assert [s.reviewer for s in detail.context["review_scores"]] == [colleague, office]
    assert detail.context["mean_score"] == 6


def test_one_score_set_per_reviewer_and_application_in_the_database(office):
    application = make_application()
    ReviewScore.objects.create(application=application, reviewer=office, scores={}, total=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewScore.objects.create(application=application, reviewer=office, scores={}, total=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewScore.objects.create(application=application, reviewer=OfficeFactory(), scores={}, total=99)


def test_only_office_staff_review(office):
    application = make_application()
    mentor = MentorFactory()
    with pytest.raises(ValidationError) as error:
        assign_reviewers(applications=[application], reviewers=[mentor], by=office)
    assert error.value.messages == [str(NOT_OFFICE)]
    with pytest.raises(ValidationError):
        score_application(application=application, scores={"products": 3}, by=mentor)


def test_assigned_to_me_and_the_reviewers_are_told(office_client, office):
    colleague = OfficeFactory()
    mine = [make_application() for _ in range(2)]
    theirs = make_application()
    assign_reviewers(applications=mine, reviewers=[office, colleague], by=office)
    assign_reviewers(applications=[theirs], reviewers=[colleague], by=office)
    listed = {a.pk for a in office_client.get(LIST_URL, {"mine": "true"}).context["applications"]}
    assert listed == {a.pk for a in mine}
    # The colleague hears once per assignment, not once per application; the assigner never.
    assert Notification.objects.filter(recipient=colleague, kind="applications-to-review").count() == 2
    assert not Notification.objects.filter(recipient=office, kind="applications-to-review").exists()
    # A second assignment of the same people changes nothing and says so.
    result = assign_reviewers(applications=mine, reviewers=[office], by=office)
    assert (result.assigned, len(result.refused)) == ([], 2)
    assert ReviewerAssignment.objects.count() == 5


def test_the_applicant_never_sees_scores_or_reviewers(client, office):
    application = make_application()
    assign_reviewers(applications=[application], reviewers=[office], by=office)
    score_application(application=application, scores={"products": 5}, by=office)
    client.force_login(application.applicant)
    response = client.get(f"/me/applications/{application.pk}/")
    kinds = {event.kind for event in response.context["history"]}
    assert kinds == {"imported"}  # the factory's office import; no "scored", no "reviewers"
    assert office.display_name not in response.content.decode()


# --- bulk decisions ------------------------------------------------------------------------------


def test_nothing_ticked_is_said_in_the_page(office_client):
    make_application()
    response = office_client.post(LIST_URL, {"action": "reject"})
    assert response.status_code == 200
    assert str(NO_ROWS) in response.content.decode()
    assert 'id="bulk-errors"' in response.content.decode()


def test_a_missing_cohort_is_said_in_the_page_and_the_rows_stay_ticked(office_client):
    cohort = CohortFactory()
    chosen = make_application(campaign=cohort.campaign, status=Status.ACCEPTED)
    response = office_client.post(LIST_URL, {"action": "cohort", "ids": [chosen.pk]})
    body = response.content.decode()
    assert gettext("Choose the cohort to add the selected applicants to.") in body
    assert f'name="ids" value="{chosen.pk}" aria-label="{chosen.real_name}" checked' in body
    assert '<option value="cohort" selected>' in body
    response = office_client.post(LIST_URL, {"action": "assign", "ids": [chosen.pk]})
    assert gettext("Choose at least one reviewer.") in response.content.decode()
    response = office_client.post(LIST_URL, {"ids": [chosen.pk]})
    assert gettext("Choose an action.") in response.content.decode()


def test_bulk_assign_reviewers_asks_then_reports(office_client, office):
    colleague = OfficeFactory()
    rows = [make_application() for _ in range(3)]
    assign_reviewers(applications=rows[:1], reviewers=[colleague], by=office)
    chosen = {"action": "assign", "ids": [a.pk for a in rows], "reviewers": [colleague.pk]}
    preview = office_client.post(LIST_URL, chosen)
    assert (len(preview.context["preview"].done), len(preview.context["preview"].skipped)) == (2, 1)
    assert ReviewerAssignment.objects.count() == 1  # nothing done yet
    # the dry run sent nothing: only the first assignment's notice is there
    assert Notification.objects.filter(kind="applications-to-review", recipient=colleague).count() == 1
    response = office_client.post(LIST_URL, {**chosen, "step": "confirm"}, follow=True)
    assert ReviewerAssignment.objects.filter(reviewer=colleague).count() == 3
    texts = " ".join(str(m) for m in response.context["messages"])
    assert "2" in texts and rows[0].real_name in texts


def test_accepting_into_a_cohort_fills_the_places_and_skips_the_rest_with_the_reason(office_client):
    campaign = make_campaign(quota=2)
    cohort = CohortFactory(campaign=campaign)
    rows = [make_application(campaign=campaign) for _ in range(3)]
    chosen = {"action": "accept", "cohort": cohort.pk, "ids": [a.pk for a in rows], "step": "confirm"}
    response = office_client.post(LIST_URL, chosen, follow=True)
    statuses = dict(Application.objects.values_list("pk", "status"))
    assert [statuses[a.pk] for a in rows] == [Status.ACCEPTED, Status.ACCEPTED, Status.SUBMITTED]  # first come
    assert all(a.applicant.trainee_profile.cohort == cohort for a in Application.objects.filter(status="accepted"))
    texts = [str(m) for m in response.context["messages"]]
    assert (
        gettext("%(action)s: %(done)d done, %(skipped)d skipped (of %(total)d selected).")
        % {
            "action": gettext("Accept"),
            "done": 2,
            "skipped": 1,
            "total": 3,
        }
        in texts
    )
    assert any(gettext("the campaign's places are all taken") in t and rows[2].real_name in t for t in texts)


def test_a_trainee_or_mentor_cannot_post_a_bulk_decision(client):
    application = make_application()
    client.force_login(MentorFactory())
    response = client.post(LIST_URL, {"action": "reject", "ids": [application.pk], "step": "confirm"})
    assert response.status_code == 302  # no admin access
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_the_detail_page_query_count_does_not_grow_with_reviewers(office_client, office, django_assert_max_num_queries):
    application = make_application()
    url = f"{LIST_URL}{application.pk}/"
    office_client.get(url)
    with django_assert_max_num_queries(DETAIL_QUERIES) as captured:
        office_client.get(url)
    first = len(captured.captured_queries)
    reviewers = [OfficeFactory() for _ in range(4)]
    assign_reviewers(applications=[application], reviewers=reviewers, by=office)
    for reviewer in reviewers:
        score_application(application=application, scores={"products": 3}, by=reviewer)
    office_client.get(url)
    with django_assert_max_num_queries(first):
        office_client.get(url)


DETAIL_QUERIES = 30
