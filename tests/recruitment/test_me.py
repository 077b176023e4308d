"""/me/applications/: a person's own applications, their history, editing until reviewed, withdrawing."""

from datetime import timedelta

import pytest

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from incubator.recruitment.models import Application, RecruitmentCampaignPage
from incubator.recruitment.services.applying import (
    EDITS_CLOSED,
    ApplicantFacts,
    save_draft,
    submit_application,
    update_application,
    withdraw_application,
)
from incubator.recruitment.services.review import change_application_status
from incubator.recruitment.services.transitions import InvalidTransition
from tests.factories import UserFactory, VillageFactory

from .factories import facts, make_application, make_campaign

pytestmark = pytest.mark.django_db
Status = Application.Status


def test_my_applications_list_and_history(client, office, django_assert_num_queries):
    user = UserFactory()
    first = submit_application(campaign=make_campaign(), applicant=user, facts=facts())
    change_application_status(application=first, to=Status.SHORTLISTED, by=office)
    save_draft(campaign=make_campaign(), applicant=user, data={"real_name": ["向小梅"]})
    client.force_login(user)
    client.get("/me/applications/")
    # the person with their roles and unread count (one query), applications, drafts, the site
    # (for the drafts' links) (the session comes from the cache)
    with django_assert_num_queries(4):
        body = client.get("/me/applications/").content.decode()
    assert first.campaign.title in body and "初选通过" in body
    for _ in range(4):
        make_application(applicant=user)
    for _ in range(3):
        save_draft(campaign=make_campaign(), applicant=user, data={"real_name": ["向小梅"]})
    client.get("/me/applications/")
    with django_assert_num_queries(4):
        client.get("/me/applications/")
    body = client.get(f"/me/applications/{first.pk}/").content.decode()
    assert "初选通过" in body and "已提交" in body


def test_another_persons_application_is_a_404(client):
    application = make_application()
    client.force_login(UserFactory())
    for suffix in ("", "edit/", "withdraw/"):
        assert client.get(f"/me/applications/{application.pk}/{suffix}").status_code == 404


def test_edit_until_reviewed(client, office):
    user = UserFactory()
    campaign = make_campaign()
    application = make_application(applicant=user, campaign=campaign)
    client.force_login(user)
    village = VillageFactory()
    response = client.post(
        f"/me/applications/{application.pk}/edit/",
        {"real_name": "向晓梅", "phone": "13900001111", "village": village.pk, "online_experience": "shop"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.real_name, application.phone, application.village) == ("向晓梅", "+8613900001111", village)
    assert application.events.filter(kind="edited").count() == 1
    change_application_status(application=application, to=Status.SHORTLISTED, by=office)
    response = client.get(f"/me/applications/{application.pk}/edit/", follow=True)
    assert "这份报名已经审核，不能再修改。" in response.content.decode()
    with pytest.raises(Exception) as error:
        update_application(
            application=application,
            by=user,
            facts=ApplicantFacts(real_name="x", phone="+8613900001111", village=village),
        )
    assert error.value.messages == ["这份报名已经审核，不能再修改。"]


def test_no_changes_once_the_campaign_has_closed(client):
    user = UserFactory(preferred_language="en")
    campaign = make_campaign()
    application = make_application(applicant=user, campaign=campaign, real_name="向小梅")
    RecruitmentCampaignPage.objects.filter(pk=campaign.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    village = VillageFactory()
    with pytest.raises(ValidationError) as error:
        update_application(
            application=application,
            by=user,
            facts=ApplicantFacts(real_name="向晓梅", phone="+8613900001111", village=village),
        )
    assert error.value.code == "campaign_closed"
    assert error.value.messages == [str(EDITS_CLOSED)]

    # The form was open when the campaign closed: sending it keeps what was typed and says why,
    # in the person's own language.
    client.force_login(user)
    edit_url = reverse("recruitment:edit_application", args=[application.pk])
    typed = {"real_name": "向晓梅", "phone": "13900001111", "village": village.pk, "online_experience": "shop"}
    response = client.post(edit_url, typed)
    assert response.status_code == 200
    body = response.content.decode()
    with translation.override("en"):
        assert str(EDITS_CLOSED) in body
    assert 'value="向晓梅"' in body
    application.refresh_from_db()
    assert application.real_name == "向小梅" and not application.events.filter(kind="edited").exists()

    # Later visits: no way into the form, and the application's page says why.
    response = client.get(edit_url)
    assert response["Location"] == reverse("recruitment:my_application", args=[application.pk])
    page = client.get(response["Location"]).content.decode()
    assert edit_url not in page
    with translation.override("en"):
        assert str(EDITS_CLOSED) in page


def test_withdraw(client):
    application = make_application()
    client.force_login(application.applicant)
    assert "确定要撤回" in client.get(f"/me/applications/{application.pk}/withdraw/").content.decode()
    client.post(f"/me/applications/{application.pk}/withdraw/")
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    body = client.get(f"/me/applications/{application.pk}/").content.decode()
    assert "已撤回" in body
    assert "/withdraw/" not in body
    with pytest.raises(InvalidTransition):
        withdraw_application(application=application, by=application.applicant)
