"""State changes by the wrong person are refused and change nothing.

Each case is a valid POST (the owner's or the right role's would be accepted) sent by someone who
may not make it: another trainee, another mentor, a trainee in the admin, an anonymous visitor.
The answer is a 404 (another person's object: its existence is not confirmed), the login page,
or a refusal, and the database is exactly as before.
"""

import pytest

from django.urls import reverse
from django.utils import timezone

from tests.security.matrix import LOGIN, NF, outcome

pytestmark = pytest.mark.django_db


def snapshot(model, pk, *fields):
    return model.objects.filter(pk=pk).values(*fields).first()


def _refused(response, allowed):
    got = outcome(response)
    assert got in allowed, f"{response.request['PATH_INFO']}: answered {got}"


@pytest.mark.parametrize("persona", ["trainee_b", "mentor_a", "office"])
def test_marking_another_persons_notification_read_changes_nothing(persona, world, as_persona):
    from core.models import Notification

    as_persona(persona).post(reverse("core:notifications_mark_read"), {"id": [world.notification_a.pk]})
    assert Notification.objects.get(pk=world.notification_a.pk).read_at is None


@pytest.mark.parametrize("persona", ["anonymous", "trainee_b", "mentor_a", "office", "superuser"])
def test_only_the_owner_reports_a_shops_sales(persona, world, as_persona):
    from incubator.merchants.models import SalesReport

    before = SalesReport.objects.filter(shop=world.shop_a).count()
    month = timezone.localdate().replace(day=1)  # open for reporting, and not reported yet
    response = as_persona(persona).post(
        reverse("merchants:report_create", args=[world.shop_a.pk]),
        {"month": f"{month:%Y-%m}", "orders": "1", "sales": "1.00"},
    )
    _refused(response, {LOGIN, NF})
    assert SalesReport.objects.filter(shop=world.shop_a).count() == before


@pytest.mark.parametrize("persona", ["trainee_b", "mentor_a", "office", "superuser"])
def test_only_the_owner_edits_a_shop_or_its_reports(persona, world, as_persona):
    from incubator.merchants.models import SalesReport, Shop

    client = as_persona(persona)
    shop_before = snapshot(Shop, world.shop_a.pk, "name", "url", "in_directory")
    report_before = snapshot(SalesReport, world.report_a.pk, "orders", "sales")
    response = client.post(
        reverse("merchants:shop_edit", args=[world.shop_a.pk]),
        {"platform": "taobao", "name": "被改名的店", "url": "https://evil.example.com/", "opened_on": "2024-01-01"},
    )
    _refused(response, {NF})
    response = client.post(
        reverse("merchants:report_edit", args=[world.shop_a.pk, world.report_a.pk]),
        {"month": f"{world.report_a.month:%Y-%m}", "orders": "999", "sales": "99999.00"},
    )
    _refused(response, {NF})
    assert snapshot(Shop, world.shop_a.pk, "name", "url", "in_directory") == shop_before
    assert snapshot(SalesReport, world.report_a.pk, "orders", "sales") == report_before


def test_a_report_cannot_be_reached_through_ones_own_shop(world, as_persona):
    """B's shop id with A's report id: the report is looked up within the shop, so a 404."""
    from incubator.merchants.models import SalesReport

    before = snapshot(SalesReport, world.report_a.pk, "orders", "sales")
    url = reverse("merchants:report_edit", args=[world.shop_b.pk, world.report_a.pk])
    client = as_persona("trainee_b")
    assert client.get(url).status_code == 404
    response = client.post(url, {"month": f"{world.report_a.month:%Y-%m}", "orders": "999", "sales": "1.00"})
    assert response.status_code == 404
    assert snapshot(SalesReport, world.report_a.pk, "orders", "sales") == before


@pytest.mark.parametrize("persona", ["trainee_b", "mentor_a", "office"])
def test_only_the_applicant_edits_or_withdraws_an_application(persona, world, as_persona):
    from incubator.recruitment.models import Application

    client = as_persona(persona)
    before = snapshot(Application, world.application_a.pk, "status", "real_name", "products_note")
    _refused(
        client.post(
            reverse("recruitment:edit_application", args=[world.application_a.pk]),
            {"real_name": "冒名顶替", "phone": "13800138000", "village": world.application_a.village_id},
        ),
        {NF},
    )
    _refused(client.post(reverse("recruitment:withdraw_application", args=[world.application_a.pk])), {NF})
    assert snapshot(Application, world.application_a.pk, "status", "real_name", "products_note") == before
    # Nor discards their draft.
    from incubator.recruitment.models import ApplicationDraft

    _refused(client.post(reverse("recruitment:discard_draft", args=[world.draft_a.pk])), {NF})
    assert ApplicationDraft.objects.filter(pk=world.draft_a.pk).exists()


@pytest.mark.parametrize("persona", ["mentor_other", "trainee_a", "trainee_b", "office", "superuser"])
def test_only_the_current_mentor_records_check_ins_and_recommendations(persona, world, as_persona):
    from mentors.models import CheckIn, GraduationRecommendation

    client = as_persona(persona)
    checkins = CheckIn.objects.filter(trainee=world.trainee_a).count()
    recommendations = list(GraduationRecommendation.objects.filter(trainee=world.trainee_a).values())
    trainee = world.trainee_a.pk
    today = timezone.localdate().isoformat()
    _refused(
        client.post(reverse("mentors:checkin", args=[trainee]), {"date": today, "channel": "phone", "notes": "我来了"}),
        {NF},
    )
    _refused(client.post(reverse("mentors:recommend", args=[trainee]), {"note": "推荐结业"}), {NF})
    _refused(client.post(reverse("mentors:withdraw", args=[world.recommendation_a.pk]), {"reason": "撤回"}), {NF})
    assert CheckIn.objects.filter(trainee=world.trainee_a).count() == checkins
    assert list(GraduationRecommendation.objects.filter(trainee=world.trainee_a).values()) == recommendations


@pytest.mark.parametrize("persona", ["mentor_other", "trainee_a", "trainee_b", "office"])
def test_only_the_current_mentor_reviews_a_submission(persona, world, as_persona):
    from courses.models import TaskSubmission

    before = snapshot(TaskSubmission, world.submission_a.pk, "status", "feedback", "reviewer")
    response = as_persona(persona).post(
        reverse("mentors:submission", args=[world.submission_a.pk]), {"decision": "approve", "feedback": "很好"}
    )
    _refused(response, {NF})
    assert snapshot(TaskSubmission, world.submission_a.pk, "status", "feedback", "reviewer") == before


def test_an_anonymous_visitor_cannot_submit_work_on_a_lesson(world, as_persona):
    from courses.models import TaskSubmission

    count = TaskSubmission.objects.count()
    response = as_persona("anonymous").post(world.lesson.url, {"action": "task", "text": "匿名提交"})
    assert outcome(response) == LOGIN
    assert TaskSubmission.objects.count() == count


@pytest.mark.parametrize("persona", ["anonymous", "trainee_a", "mentor_a"])
def test_admin_actions_are_refused_to_people_without_admin_access(persona, world, as_persona):
    from core.models import Export
    from incubator.merchants.models import Certificate
    from incubator.recruitment.models import TraineeProfile
    from mentors.models import MentorAssignment

    client = as_persona(persona)
    exports = Export.objects.count()
    assignments = list(MentorAssignment.objects.values())
    stage = TraineeProfile.objects.get(pk=world.profile_b.pk).stage
    posts = [
        (reverse("merchants_admin:certificate_revoke", args=[world.certificate_a.pk]), {"reason": "伪造"}),
        (reverse("merchants_admin:graduation_cohort", args=[world.cohort.pk]), {"profile": [world.profile_b.pk]}),
        (reverse("exports:request"), {"table": "sales_reports"}),
        (reverse("mentor_assignment:assign", args=[world.trainee_a.pk]), {"end": "1", "reason": "换人"}),
        (reverse("recruitment_admin:application_detail", args=[world.application_b.pk]), {"status": "accepted"}),
    ]
    for url, data in posts:
        assert outcome(client.post(url, data)) == LOGIN, url
    assert Certificate.objects.get(pk=world.certificate_a.pk).revoked_at is None
    assert Export.objects.count() == exports
    assert list(MentorAssignment.objects.values()) == assignments
    assert TraineeProfile.objects.get(pk=world.profile_b.pk).stage == stage
