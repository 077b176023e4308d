"""Applying: window, quota and eligibility rules, one application per person, the anonymous round trip."""

from datetime import timedelta

import pytest

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from wagtail.contrib.forms.utils import get_field_clean_name

from core.models import Notification
from incubator.recruitment.models import Application, ApplicationDraft, TraineeProfile
from incubator.recruitment.services.applying import is_village_eligible, submit_application
from tests.factories import TownshipFactory, UserFactory, VillageFactory

from .factories import facts, make_application, make_campaign, product

pytestmark = pytest.mark.django_db


def apply_url(campaign):
    return campaign.url + "apply/"


def form_data(village, **extra):
    data = {
        "real_name": "向小梅",
        "phone": "138 0013 8000",
        "village": village.pk,
        "products": [product().pk],
        "products_note": "脐橙两万斤",
        "online_experience": "some",
        "has_smartphone": "on",
    }
    data.update(extra)
    return data


def test_a_signed_in_person_applies_and_is_told_it_was_received(client, django_capture_on_commit_callbacks):
    campaign = make_campaign(questions=[{"label": "为什么想做电商", "field_type": "singleline", "required": True}])
    user = UserFactory()
    client.force_login(user)
    village = VillageFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        answer = {"q_" + get_field_clean_name("为什么想做电商"): "带乡亲致富"}
        response = client.post(apply_url(campaign), form_data(village, **answer))
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/me/applications/{application.pk}/"
    assert application.phone == "+8613800138000"
    assert application.answers == {get_field_clean_name("为什么想做电商"): "带乡亲致富"}
    assert application.answer_rows(campaign.questions.all()) == [("为什么想做电商", "带乡亲致富")]
    assert [p.slug for p in application.products.all()] == ["navel-orange"]
    assert len(callbacks) == 1  # the notification's delivery waits for the commit
    assert Notification.objects.get(recipient=user).title == f"已收到报名：{campaign.title}"
    assert TraineeProfile.objects.get(user=user).stage == TraineeProfile.Stage.APPLICANT


def test_the_form_keeps_what_was_typed_when_a_required_question_is_missing(client):
    campaign = make_campaign(questions=[{"label": "为什么想做电商", "field_type": "singleline", "required": True}])
    client.force_login(UserFactory())
    response = client.post(apply_url(campaign), form_data(VillageFactory()))
    assert response.status_code == 200
    assert "必需字段" in response.content.decode()
    assert 'value="脐橙两万斤"' in response.content.decode()
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("opens", "closes", "message"),
    [
        (timedelta(days=1), timedelta(days=5), "本次招募尚未开始报名。"),
        (timedelta(days=-10), timedelta(days=-1), "本次招募已截止报名。"),
    ],
)
def test_applying_outside_the_window_is_refused_with_a_clear_message(client, opens, closes, message):
    now = timezone.now()
    campaign = make_campaign(opens_at=now + opens, closes_at=now + closes)
    client.force_login(UserFactory())
    response = client.get(apply_url(campaign))
    assert message in response.content.decode()
    assert 'name="real_name"' not in response.content.decode()
    response = client.post(apply_url(campaign), form_data(VillageFactory()))
    assert message in response.content.decode()
    assert not Application.objects.exists()
    with pytest.raises(ValidationError) as error:
        submit_application(campaign=campaign, applicant=UserFactory(), facts=facts())
    assert error.value.messages == [message]


def test_a_full_campaign_refuses_new_applications_and_says_so(client):
    campaign = make_campaign(quota=1)
    make_application(campaign=campaign, status=Application.Status.ACCEPTED)
    page = client.get(campaign.url).content.decode()
    assert "已满员" in page
    with pytest.raises(ValidationError) as error:
        submit_application(campaign=campaign, applicant=UserFactory(), facts=facts())
    assert error.value.messages == ["本次招募名额已满。"]


def test_an_ineligible_village_gets_a_clear_message_and_nothing_is_lost(client):
    town = TownshipFactory()
    campaign = make_campaign(townships=[town])
    client.force_login(UserFactory())
    elsewhere = VillageFactory()
    response = client.post(apply_url(campaign), form_data(elsewhere))
    body = response.content.decode()
    assert "本次招募不面向您所在的村。" in body
    assert 'value="向小梅"' in body
    assert not Application.objects.exists()
    # a village of an eligible township, or a village listed by name, may apply
    assert is_village_eligible(campaign=campaign, village=VillageFactory(township=town))
    listed = VillageFactory()
    campaign.eligible_villages.set([listed])
    assert is_village_eligible(campaign=campaign, village=listed)


def test_the_per_village_quota_is_enforced():
    campaign = make_campaign(quota_per_village=1)
    village = VillageFactory()
    make_application(campaign=campaign, village=village, status=Application.Status.ACCEPTED)
    with pytest.raises(ValidationError) as error:
        submit_application(campaign=campaign, applicant=UserFactory(), facts=facts(village=village))
    assert error.value.messages == ["您所在的村在本次招募中的名额已满。"]
    # another village can still apply
    submit_application(campaign=campaign, applicant=UserFactory(), facts=facts())


def test_one_application_per_person_and_campaign(client):
    campaign = make_campaign()
    user = UserFactory()
    submit_application(campaign=campaign, applicant=user, facts=facts())
    with pytest.raises(ValidationError) as error:
        submit_application(campaign=campaign, applicant=user, facts=facts())
    assert error.value.messages == ["您已经报名过本次招募。"]
    # the database refuses it too, whatever the code path
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(
            campaign=campaign, applicant=user, real_name="x", phone="+8613800138000", village=VillageFactory()
        )
    # and the form sends the person to the application they already have
    client.force_login(user)
    response = client.get(apply_url(campaign))
    assert response["Location"] == f"/me/applications/{Application.objects.get().pk}/"


def test_an_anonymous_visitor_signs_in_and_comes_back_to_the_form_with_nothing_lost(client):
    campaign = make_campaign()
    village = VillageFactory()
    response = client.post(apply_url(campaign), form_data(village, real_name="田桂英"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert apply_url(campaign) in response["Location"].replace("%2F", "/")
    assert not Application.objects.exists()
    user = UserFactory()
    client.force_login(user)  # the session (and the draft in it) survives signing in
    body = client.get(apply_url(campaign)).content.decode()
    assert 'value="田桂英"' in body
    assert 'value="脐橙两万斤"' in body
    assert f'<option value="{village.pk}" selected>' in body
    # now signed in, what was typed is kept on the server as a draft: a later visit still has it
    assert ApplicationDraft.objects.get(applicant=user, campaign=campaign).data["real_name"] == ["田桂英"]
    assert 'value="田桂英"' in client.get(apply_url(campaign)).content.decode()


def test_the_campaign_page_shows_its_state_and_places_left(client):
    campaign = make_campaign(quota=5)
    make_application(campaign=campaign, status=Application.Status.ACCEPTED)
    body = client.get(campaign.url).content.decode()
    assert "正在报名" in body
    assert '<div class="figure"><strong>4</strong>' in body
    upcoming = make_campaign(opens_at=timezone.now() + timedelta(days=3), closes_at=timezone.now() + timedelta(days=9))
    assert "尚未开始" in client.get(upcoming.url).content.decode()


def test_the_form_prefilled_with_the_persons_details_is_never_stored(client):
    campaign = make_campaign()
    client.force_login(UserFactory(real_name="向小梅", phone="+8613800138001"))
    response = client.get(apply_url(campaign))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
