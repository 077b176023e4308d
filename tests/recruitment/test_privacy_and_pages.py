"""Household status and phone numbers never reach public pages or other people; public pages stay cheap."""

from datetime import timedelta

import pytest

from django.utils import timezone

from incubator.recruitment.models import Application
from tests.factories import MentorFactory, TraineeFactory
from tests.pages_factories import recruitment_index

from .factories import make_application, make_campaign

pytestmark = pytest.mark.django_db
PHONE = "+8613912345678"


@pytest.fixture
def poor_application():
    return make_application(poor_household=True, phone=PHONE, real_name="覃秀兰", status=Application.Status.ACCEPTED)


def _public_pages(campaign):
    return [campaign.url, recruitment_index().url, campaign.url + "apply/"]


@pytest.mark.parametrize("who", ["anonymous", "trainee", "mentor"])
def test_no_one_but_the_office_sees_household_status_or_phone(client, poor_application, who):
    if who == "trainee":
        client.force_login(TraineeFactory())
    elif who == "mentor":
        client.force_login(MentorFactory())
    for url in _public_pages(poor_application.campaign):
        body = client.get(url).content.decode()
        assert "覃秀兰" not in body
        assert "139 1234 5678" not in body and "13912345678" not in body
    assert client.get(f"/me/applications/{poor_application.pk}/").status_code == (302 if who == "anonymous" else 404)
    assert (
        client.get(f"/admin/recruitment/applications/{poor_application.pk}/").status_code == 302
    )  # no admin access: Wagtail sends them to its login
    assert (
        client.get("/admin/recruitment/applications/?export=csv").status_code == 302
    )  # no admin access: Wagtail sends them to its login


def test_the_office_sees_them(office_client, poor_application):
    body = office_client.get(f"/admin/recruitment/applications/{poor_application.pk}/").content.decode()
    assert "139 1234 5678" in body
    assert "建档立卡贫困户</dt><dd>是</dd>" in body


def test_the_applicant_sees_their_own(client, poor_application):
    client.force_login(poor_application.applicant)
    body = client.get(f"/me/applications/{poor_application.pk}/").content.decode()
    assert "139 1234 5678" in body


def test_the_index_lists_open_upcoming_and_past_campaigns_in_a_fixed_number_of_queries(
    client, django_assert_num_queries
):
    now = timezone.now()
    make_campaign(title="正在招")
    make_campaign(title="快开始", opens_at=now + timedelta(days=2), closes_at=now + timedelta(days=9))
    make_campaign(title="已结束", opens_at=now - timedelta(days=20), closes_at=now - timedelta(days=2))
    url = recruitment_index().url
    client.get(url)
    with django_assert_num_queries(QUERIES_INDEX) as captured:
        body = client.get(url).content.decode()
    assert body.index("正在招") < body.index("快开始") < body.index("已结束")
    for n in range(4):
        make_campaign(title=f"更多{n}")
    with django_assert_num_queries(len(captured.captured_queries)):
        client.get(url)


QUERIES_INDEX = 6  # + the view restrictions of the index, read anew on every request (issue 13)


def test_open_campaigns_appear_on_the_home_page(client):
    from incubator.recruitment.wagtail_hooks import open_campaigns_section

    make_campaign(title="村级合伙人招募")
    make_campaign(
        title="已结束的", opens_at=timezone.now() - timedelta(days=9), closes_at=timezone.now() - timedelta(days=1)
    )
    section = open_campaigns_section(None)
    assert [c.title for c in section.context["campaigns"]] == ["村级合伙人招募"]


def test_my_applications_card_on_me(client):
    application = make_application()
    client.force_login(application.applicant)
    body = client.get("/me/").content.decode()
    assert "/me/applications/" in body
