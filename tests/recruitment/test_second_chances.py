"""Second chances (issue 19): more information requested and the applicant's resubmission, drafts
kept on the server, applying again after a withdrawal, and name and phone never asked twice."""

import pytest

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from core import history
from core.models import Notification
from incubator.recruitment.models import Application, ApplicationDraft, InformationRequest
from incubator.recruitment.services.applying import NOT_EDITABLE, submit_application, withdraw_application
from incubator.recruitment.services.information import (
    NO_ANSWER,
    request_information,
    resubmit_application,
)
from incubator.recruitment.services.review import change_application_status
from incubator.recruitment.services.reviewers import assign_reviewers
from incubator.recruitment.services.transitions import InvalidTransition
from tests.factories import OfficeFactory, UserFactory, VillageFactory

from .factories import facts, make_application, make_campaign, product

pytestmark = pytest.mark.django_db
Status = Application.Status


def apply_url(campaign):
    return campaign.url + "apply/"


def form_data(village, **values):
    data = {
        "real_name": "田桂英",
        "phone": "138 0013 8000",
        "village": village.pk,
        "products_note": "脐橙两万斤",
        "online_experience": "none",
        "has_smartphone": "on",
    }
    data.update(values)
    return data


# --- more information requested ----------------------------------------------------------------


def test_a_question_reopens_the_application_and_the_answer_sends_it_back(office, client):
    reviewer = OfficeFactory()
    application = make_application(status=Status.SHORTLISTED, products_note="脐橙")
    assign_reviewers(applications=[application], reviewers=[reviewer], by=office)
    round_ = request_information(application=application, question="请说明家里脐橙树的数量。", by=office)
    application.refresh_from_db()
    assert application.status == Status.INFO_REQUESTED and application.is_editable_by_applicant
    assert (round_.from_status, round_.asked_by, round_.is_open) == (Status.SHORTLISTED, office, True)
    told = Notification.objects.filter(recipient=application.applicant, kind="application-status").latest("id")
    assert "请说明家里脐橙树的数量。" in told.body

    # The applicant sees the question on their page and answers through the edit form.
    client.force_login(application.applicant)
    page = client.get(f"/me/applications/{application.pk}/")
    assert page.context["open_question"] == round_
    assert "请说明家里脐橙树的数量。" in page.content.decode()
    data = form_data(application.village, real_name=application.real_name, products_note="脐橙200棵")
    response = client.post(f"/me/applications/{application.pk}/edit/", data)  # no answer yet
    assert response.status_code == 200
    assert response.context["form"].errors["answer"]
    response = client.post(f"/me/applications/{application.pk}/edit/", {**data, "answer": "一共200棵，年产2万斤。"})
    assert response.status_code == 302

    application.refresh_from_db()
    round_.refresh_from_db()
    assert application.status == Status.SHORTLISTED  # back where it stood
    assert application.products_note == "脐橙200棵"
    assert round_.answer == "一共200棵，年产2万斤。" and round_.answered_at and not round_.is_open
    # The field changes are kept in the one history, with the answer as the reason.
    change = history.entries(application)[0]
    assert change.actor == application.applicant and change.reason == "一共200棵，年产2万斤。"
    assert ("其他产品", "脐橙", "脐橙200棵") in [(str(label), old, new) for label, old, new in change.lines]
    # The reviewers are told, the office that asked is not (it has reviewers).
    news = Notification.objects.get(kind="application-resubmitted")
    assert news.recipient == reviewer and news.body == "一共200棵，年产2万斤。"
    # Once sent, it is closed to the applicant again.
    with pytest.raises(ValidationError) as error:
        resubmit_application(application=application, by=application.applicant, facts=facts(), answer="再改")
    assert error.value.messages == [gettext("The office has not asked you anything about this application.")]


def test_every_round_is_kept_and_without_reviewers_the_asker_hears_the_answer(office):
    application = make_application()
    applicant = application.applicant
    for n in range(2):
        request_information(application=application, question=f"问题{n}", by=office)
        resubmit_application(
            application=application, by=applicant, facts=facts(village=application.village), answer=f"回答{n}"
        )
    rounds = list(InformationRequest.objects.filter(application=application))
    assert [(r.question, r.answer) for r in rounds] == [("问题0", "回答0"), ("问题1", "回答1")]
    assert Notification.objects.filter(kind="application-resubmitted", recipient=office).count() == 2


def test_the_answer_is_required_and_only_the_applicant_may_resubmit(office):
    application = make_application()
    request_information(application=application, question="哪个村？", by=office)
    with pytest.raises(ValidationError) as error:
        resubmit_application(application=application, by=application.applicant, facts=facts(), answer="  ")
    assert error.value.message_dict["answer"] == [str(NO_ANSWER)]
    with pytest.raises(ValidationError):
        resubmit_application(application=application, by=UserFactory(), facts=facts(), answer="不是我")


def test_only_one_round_is_open_at_a_time(office):
    application = make_application()
    request_information(application=application, question="第一个问题", by=office)
    with pytest.raises(InvalidTransition):
        request_information(application=application, question="第二个问题", by=office)
    with pytest.raises(IntegrityError), transaction.atomic():
        InformationRequest.objects.create(application=application, question="绕过", from_status=Status.SUBMITTED)


def test_moving_on_without_an_answer_closes_the_round(office):
    application = make_application()
    round_ = request_information(application=application, question="还在吗？", by=office)
    change_application_status(application=application, to=Status.REJECTED, by=office)
    round_.refresh_from_db()
    assert round_.closed_at is not None and not round_.answered_at


def test_the_office_asks_from_the_detail_page_and_sees_the_answer(office_client, office):
    application = make_application()
    url = f"/admin/recruitment/applications/{application.pk}/"
    response = office_client.post(url, {"action": "question", "question": ""})
    assert response.status_code == 200 and response.context["question_form"].errors
    office_client.post(url, {"action": "question", "question": "有没有营业执照？"})
    resubmit_application(
        application=application, by=application.applicant, facts=facts(village=application.village), answer="有"
    )
    body = office_client.get(url).content.decode()
    assert "有没有营业执照？" in body and "rec-round" in body


# --- drafts ------------------------------------------------------------------------------------


def test_a_draft_keeps_everything_typed_and_is_listed_in_my_applications(client):
    campaign = make_campaign()
    village, oranges = VillageFactory(), product()
    user = UserFactory()
    client.force_login(user)
    data = form_data(village, real_name="", products=[oranges.pk], save_draft="1")  # not complete: still saved
    response = client.post(apply_url(campaign), data)
    assert response.status_code == 302 and not Application.objects.exists()
    draft = ApplicationDraft.objects.get(applicant=user, campaign=campaign)
    assert draft.data["village"] == [str(village.pk)] and "save_draft" not in draft.data
    # A reload brings back village, products and answers, without errors shown.
    page = client.get(apply_url(campaign))
    form = page.context["form"]
    assert not form.is_bound
    assert (str(form.initial["village"]), form.initial["products"]) == (str(village.pk), [str(oranges.pk)])
    assert 'value="脐橙两万斤"' in page.content.decode()
    listing = client.get("/me/applications/").content.decode()
    assert campaign.title in listing and f"/me/applications/drafts/{draft.pk}/discard/" in listing
    # Sending the application drops the draft.
    client.post(apply_url(campaign), form_data(village))
    assert Application.objects.filter(applicant=user).count() == 1
    assert not ApplicationDraft.objects.exists()


def test_a_draft_is_discarded_by_its_owner_only(client):
    campaign = make_campaign()
    owner, other = UserFactory(), UserFactory()
    draft = ApplicationDraft.objects.create(campaign=campaign, applicant=owner, data={"real_name": ["甲"]})
    client.force_login(other)
    assert client.post(f"/me/applications/drafts/{draft.pk}/discard/").status_code == 404
    assert client.get(f"/me/applications/drafts/{draft.pk}/discard/").status_code == 405
    client.force_login(owner)
    assert client.post(f"/me/applications/drafts/{draft.pk}/discard/").status_code == 302
    assert not ApplicationDraft.objects.exists()


# --- name and phone are not asked again ------------------------------------------------------


def test_name_and_phone_come_from_the_profile_or_the_last_application(client):
    user = UserFactory(real_name="")
    first = submit_application(
        campaign=make_campaign(), applicant=user, facts=facts(real_name="向小梅", phone="+8613800138000")
    )
    user.refresh_from_db()
    assert user.real_name == "向小梅"  # saved to the profile
    client.force_login(user)
    initial = client.get(apply_url(make_campaign())).context["form"].initial
    assert (initial["real_name"], initial["phone"], initial["village"]) == ("向小梅", "138 0013 8000", first.village_id)


# --- applying again after a withdrawal -------------------------------------------------------


def test_applying_again_after_a_withdrawal_while_the_campaign_is_open(client):
    campaign = make_campaign()
    user = UserFactory()
    first = make_application(campaign=campaign, applicant=user, products_note="蜂蜜")
    withdraw_application(application=first, by=user)
    client.force_login(user)
    assert client.get(f"/me/applications/{first.pk}/").context["can_apply_again"]
    page = client.get(apply_url(campaign))
    assert page.status_code == 200
    assert page.context["form"].initial["products_note"] == "蜂蜜"  # from the withdrawn one
    response = client.post(apply_url(campaign), form_data(first.village))
    again = Application.objects.exclude(pk=first.pk).get(applicant=user)
    assert response["Location"] == f"/me/applications/{again.pk}/"
    assert again.status == Status.SUBMITTED
    # Now live again: a third one is refused, by the service and by the database.
    with pytest.raises(ValidationError):
        submit_application(campaign=campaign, applicant=user, facts=facts())
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(
            campaign=campaign, applicant=user, real_name="x", phone="+8613800138000", village=VillageFactory()
        )


def test_two_withdrawn_applications_may_stand_beside_a_live_one():
    campaign = make_campaign()
    user = UserFactory()
    for _ in range(2):
        withdraw_application(application=make_application(campaign=campaign, applicant=user), by=user)
    make_application(campaign=campaign, applicant=user)
    assert list(Application.objects.filter(applicant=user).order_by("id").values_list("status", flat=True)) == [
        Status.WITHDRAWN,
        Status.WITHDRAWN,
        Status.SUBMITTED,
    ]


def test_a_reviewed_application_is_still_closed_to_edits(office):
    application = make_application(status=Status.SHORTLISTED)
    from incubator.recruitment.services.applying import check_can_edit

    with pytest.raises(ValidationError) as error:
        check_can_edit(application=application)
    assert error.value.messages == [str(NOT_EDITABLE)]


def test_my_application_page_does_not_grow_with_the_rounds(client, office, django_assert_max_num_queries):
    application = make_application()
    applicant = application.applicant
    client.force_login(applicant)
    url = f"/me/applications/{application.pk}/"

    def round_trip(n):
        request_information(application=application, question=f"问题{n}", by=office)
        resubmit_application(
            application=application, by=applicant, facts=facts(village=application.village), answer=f"回答{n}"
        )

    round_trip(0)
    client.get(url)
    with django_assert_max_num_queries(MY_APPLICATION_QUERIES) as captured:
        client.get(url)
    first = len(captured.captured_queries)
    for n in range(1, 4):
        round_trip(n)
    request_information(application=application, question="还有一个问题", by=office)
    client.get(url)
    with django_assert_max_num_queries(first):
        assert "还有一个问题" in client.get(url).content.decode()


MY_APPLICATION_QUERIES = 12
