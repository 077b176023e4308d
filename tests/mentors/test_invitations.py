"""Mentor invitations: they never take over an account, their links work once, expire, and are recorded."""

import hashlib
import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress

from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import roles, sms
from core.models import Notification, User
from mentors import invitations
from mentors.models import MentorInvitation, MentorProfile
from tests.factories import OfficeFactory, TownshipFactory, TraineeFactory, UserFactory

from .factories import make_mentor

pytestmark = pytest.mark.django_db

FACTORY_PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "a-long-new-passw0rd"
LINK = re.compile(r"http://testserver/mentor/invitation/[A-Za-z0-9_-]+/")


@pytest.fixture
def office():
    return OfficeFactory(real_name="县电商办小刘")


@pytest.fixture
def office_client(office):
    client = Client()
    client.force_login(office)
    return client


@pytest.fixture
def invite(office_client, django_capture_on_commit_callbacks):
    """Invite through the admin's "add mentor" form, delivering the messages it sends."""

    def post(**data):
        data.setdefault("capacity", "5")
        with django_capture_on_commit_callbacks(execute=True):
            return office_client.post(reverse("mentor_profiles:add"), data)

    return post


def fresh(user) -> User:
    """The person as the database has them now (roles are cached on the instance)."""
    return User.objects.get(pk=user.pk)


def page(response) -> str:
    return response.content.decode()


def accept_with_password(client, link, password=NEW_PASSWORD, again=None):
    return client.post(link, {"decision": "accept", "password1": password, "password2": again or password})


# --- the takeover that was possible --------------------------------------------------------------


def test_inviting_an_attackers_email_with_a_villagers_phone_leaves_the_villager_alone(invite, client):
    villager = UserFactory(email="", phone="+8613800001111", phone_verified=True, real_name="村民老李")

    response = invite(real_name="假导师", email="attacker@evil.test", phone="13800001111")

    assert response.status_code == 302, page(response)[:2000]
    villager = fresh(villager)
    assert (villager.email, villager.phone, villager.real_name) == ("", "+8613800001111", "村民老李")
    assert villager.check_password(FACTORY_PASSWORD) and not roles.is_mentor(villager)
    assert not User.objects.filter(email__iexact="attacker@evil.test").exists()
    assert not EmailAddress.objects.filter(email__iexact="attacker@evil.test").exists()
    # The invitation went to the villager's own phone, and nothing to the attacker.
    assert mail.outbox == []
    [(phone, text)] = sms.outbox
    assert phone == "+8613800001111" and LINK.search(text)
    invitation = MentorInvitation.objects.get()
    assert (invitation.user, invitation.phone, invitation.email, invitation.new_account) == (
        villager,
        "+8613800001111",
        "",
        False,
    )
    # A password reset to the attacker's address reaches nobody's account.
    client.post(reverse("account_reset_password"), {"email": "attacker@evil.test"})
    assert mail.outbox == []
    # Whoever holds the link cannot set a password with it: the villager must sign in.
    link = LINK.search(text).group(0)
    response = accept_with_password(client, link)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    villager = fresh(villager)
    assert villager.check_password(FACTORY_PASSWORD) and not roles.is_mentor(villager)


def test_inviting_a_villagers_email_with_another_phone_does_not_copy_the_phone(invite):
    villager = UserFactory(email="li@example.com", phone=None)

    invite(real_name="李", email="li@example.com", phone="13800004444")

    villager = fresh(villager)
    assert villager.phone is None and villager.email == "li@example.com"
    assert sms.outbox == []
    [message] = mail.outbox
    assert message.to == ["li@example.com"]
    assert MentorInvitation.objects.get().email == "li@example.com"


def test_an_email_and_a_phone_of_two_different_people_are_refused(invite):
    UserFactory(email="a@example.com")
    UserFactory(email="", phone="+8613800002222")

    response = invite(real_name="混合", email="a@example.com", phone="13800002222")

    assert response.status_code == 200
    assert str(invitations.EMAIL_PHONE_MISMATCH) in page(response)
    assert not MentorInvitation.objects.exists() and mail.outbox == [] and sms.outbox == []
    with pytest.raises(ValidationError) as error:
        invitations.invite_mentor(real_name="混合", email="a@example.com", phone="13800002222")
    assert error.value.messages == [str(invitations.EMAIL_PHONE_MISMATCH)]


def test_a_secondary_address_counts_as_its_owners(invite):
    owner = UserFactory(email="main@example.com", phone=None)
    EmailAddress.objects.create(user=owner, email="second@example.com", verified=True, primary=False)
    UserFactory(email="", phone="+8613800005555")

    response = invite(real_name="某人", email="second@example.com", phone="13800005555")

    assert str(invitations.EMAIL_PHONE_MISMATCH) in page(response)
    assert User.objects.filter(email__iexact="second@example.com").count() == 0


def test_an_active_mentor_is_not_invited_again(invite):
    mentor = make_mentor()
    response = invite(real_name="再邀", email=mentor.email)
    assert str(invitations.ALREADY_MENTOR) in page(response)
    assert not MentorInvitation.objects.exists()


# --- a new person ----------------------------------------------------------------------------------


def test_a_new_mentor_sets_a_password_accepts_and_is_signed_in(invite, office):
    town = TownshipFactory()

    invite(real_name="王老师", email="Wang@Example.com", phone="13800003333", capacity="4", townships=[town.pk])

    user = User.objects.get(email="wang@example.com")
    assert not user.has_usable_password() and not roles.is_mentor(user)
    assert MentorProfile.objects.get(user=user).is_active is False
    [message] = mail.outbox
    assert message.to == ["wang@example.com"]
    link = LINK.search(message.body).group(0)
    assert Notification.objects.get(recipient=user, kind="mentor-invitation").url == link
    invitation = MentorInvitation.objects.get(user=user)
    assert (invitation.email, invitation.phone, invitation.new_account, invitation.invited_by) == (
        "wang@example.com",
        "",
        True,
        office,
    )

    client = Client()
    form = client.get(link)
    assert form.status_code == 200
    assert 'type="password"' in page(form) and _("The county office invites you to be a mentor.") in page(form)
    assert "wang@example.com" in page(form)  # the name they will sign in with

    mismatch = accept_with_password(client, link, again="something-else-9")
    assert mismatch.status_code == 200 and not fresh(user).has_usable_password()

    response = accept_with_password(client, link)

    # Signed in through allauth, whose rules hold: the phone the link did not go to is verified
    # by a code first, then the person lands in the mentor area.
    assert response.status_code == 302 and response["Location"] == reverse("account_verify_phone")
    assert fresh(user).has_usable_password() and not fresh(user).phone_verified
    [(phone, text)] = sms.outbox
    assert phone == "+8613800003333"
    response = client.post(reverse("account_verify_phone"), {"code": re.search(r"\d{6}", text).group(0)})
    assert response.status_code == 302 and response["Location"] == reverse("mentors:dashboard")
    assert client.get(reverse("mentors:dashboard")).status_code == 200  # signed in, as a mentor
    user = fresh(user)
    assert user.check_password(NEW_PASSWORD) and roles.is_mentor(user) and user.last_login is not None
    profile = MentorProfile.objects.get(user=user)
    assert (profile.is_active, profile.capacity, list(profile.townships.all())) == (True, 4, [town])
    assert EmailAddress.objects.get(user=user, email="wang@example.com").verified
    assert user.phone_verified  # by the code, not by the link, which went by email
    invitation.refresh_from_db()
    assert invitation.status == MentorInvitation.Status.ACCEPTED and invitation.accepted_at is not None

    # The link works once.
    stranger = Client()
    again = stranger.get(link)
    assert again.status_code == 410 and str(invitations.INVITATION_USED) in page(again)
    assert accept_with_password(stranger, link, password="another-passw0rd-2").status_code == 410
    assert fresh(user).check_password(NEW_PASSWORD)


def test_a_new_mentor_with_only_a_phone_gets_the_link_by_sms(invite, client):
    invite(real_name="赵老师", phone="13800006666")

    user = User.objects.get(phone="+8613800006666")
    [(phone, text)] = sms.outbox
    assert phone == "+8613800006666"
    link = LINK.search(text).group(0)
    assert "138 0000 6666" in page(client.get(link)) or "13800006666" in page(client.get(link))

    assert accept_with_password(client, link).status_code == 302

    user = fresh(user)
    assert user.phone_verified and roles.is_mentor(user) and user.check_password(NEW_PASSWORD)
    assert MentorInvitation.objects.get(user=user).phone == "+8613800006666"


def test_the_link_keeps_only_a_hash_of_its_token():
    sent = invitations.invite_mentor(real_name="新人", email="new@example.com")
    token = sent.link.rstrip("/").rsplit("/", 1)[-1]
    row = MentorInvitation.objects.values().get()
    assert row["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(row)


def test_an_unknown_link_says_so(client):
    response = client.get(reverse("mentors:invitation", args=["not-a-real-token"]))
    assert response.status_code == 404 and str(invitations.INVITATION_UNKNOWN) in page(response)


# --- expiry -----------------------------------------------------------------------------------------


def test_an_invitation_expires_after_the_configured_days(settings, client):
    settings.MENTOR_INVITATION_DAYS = 3
    sent = invitations.invite_mentor(real_name="过期", email="late@example.com")
    invitation = sent.invitation
    assert invitation.expires_at - invitation.created_at == timedelta(days=3)

    MentorInvitation.objects.filter(pk=invitation.pk).update(
        created_at=F("created_at") - timedelta(days=4), expires_at=F("expires_at") - timedelta(days=4)
    )

    response = client.get(sent.link)
    assert response.status_code == 410 and str(invitations.INVITATION_EXPIRED) in page(response)
    assert accept_with_password(client, sent.link).status_code == 410
    user = fresh(sent.invitation.user)
    assert not user.has_usable_password() and not roles.is_mentor(user)
    with pytest.raises(ValidationError) as error:
        invitations.accept_invitation(invitation=invitation, user=user, password=NEW_PASSWORD)
    assert error.value.messages == [str(invitations.INVITATION_EXPIRED)]


def test_the_default_is_seven_days():
    invitation = invitations.invite_mentor(real_name="七天", email="seven@example.com").invitation
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)


# --- an existing person -----------------------------------------------------------------------------


def test_an_existing_person_accepts_signed_in_as_themselves_and_no_one_else_can(office, client):
    person = TraineeFactory(email="li@example.com", real_name="李四")
    sent = invitations.invite_mentor(real_name="别的名字", email="li@example.com", by=office)
    link = sent.link
    assert not sent.created and not sent.invitation.new_account

    anonymous = client.get(link)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login") + "?next=/mentor/invitation/")

    client.force_login(UserFactory())
    other = client.get(link)
    assert other.status_code == 403 and str(invitations.NOT_YOUR_INVITATION) in page(other)
    assert client.post(link, {"decision": "accept"}).status_code == 403
    assert client.post(link, {"decision": "decline"}).status_code == 403
    assert not roles.is_mentor(fresh(person))
    assert MentorInvitation.objects.get().status == MentorInvitation.Status.PENDING
    with pytest.raises(ValidationError) as error:
        invitations.accept_invitation(invitation=sent.invitation, user=make_mentor())
    assert error.value.messages == [str(invitations.NOT_YOUR_INVITATION)]

    client.force_login(person)
    offer = client.get(link)
    assert offer.status_code == 200
    assert _("The county office invites you to be a mentor.") in page(offer)
    assert 'type="password"' not in page(offer)

    response = client.post(link, {"decision": "accept", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 302 and response["Location"] == reverse("mentors:dashboard")
    person = fresh(person)
    assert roles.is_mentor(person) and MentorProfile.objects.get(user=person).is_active
    # Nothing about the account changed: the password posted along was ignored.
    assert person.check_password(FACTORY_PASSWORD)
    assert (person.email, person.real_name) == ("li@example.com", "李四")
    invitation = MentorInvitation.objects.get()
    assert invitation.status == MentorInvitation.Status.ACCEPTED and invitation.accepted_at is not None
    assert client.get(link).status_code == 410


def test_an_existing_persons_invitation_never_sets_a_password():
    person = UserFactory(email="pw@example.com")
    sent = invitations.invite_mentor(real_name="", email="pw@example.com")
    with pytest.raises(ValidationError) as error:
        invitations.accept_invitation(invitation=sent.invitation, user=person, password=NEW_PASSWORD)
    assert error.value.messages == [str(invitations.SIGN_IN_TO_ACCEPT)]
    assert fresh(person).check_password(FACTORY_PASSWORD)


def test_declining_closes_the_link_and_grants_nothing(client):
    person = UserFactory(email="no@example.com")
    sent = invitations.invite_mentor(real_name="", email="no@example.com")
    client.force_login(person)

    response = client.post(sent.link, {"decision": "decline"})

    assert response.status_code == 302
    invitation = MentorInvitation.objects.get()
    assert invitation.status == MentorInvitation.Status.DECLINED and invitation.declined_at is not None
    assert invitation.accepted_at is None
    assert not roles.is_mentor(fresh(person)) and not MentorProfile.objects.get(user=person).is_active
    closed = client.get(sent.link)
    assert closed.status_code == 410 and str(invitations.INVITATION_DECLINED) in page(closed)
    assert client.post(sent.link, {"decision": "accept"}).status_code == 410
    assert not roles.is_mentor(fresh(person))


def test_a_new_person_may_decline_without_choosing_a_password(client):
    sent = invitations.invite_mentor(real_name="不想", email="nothanks@example.com")
    assert client.post(sent.link, {"decision": "decline"}).status_code == 302
    assert MentorInvitation.objects.get().status == MentorInvitation.Status.DECLINED
    assert not fresh(sent.invitation.user).has_usable_password()


# --- re-inviting and the record ---------------------------------------------------------------------


def test_inviting_again_supersedes_the_pending_invitation(invite, client):
    invite(real_name="孙老师", email="sun@example.com")
    invite(real_name="孙老师", email="sun@example.com", capacity="8")  # still not a mentor: no refusal

    first, second = MentorInvitation.objects.order_by("pk")
    assert first.status == MentorInvitation.Status.SUPERSEDED and second.status == MentorInvitation.Status.PENDING
    assert first.user_id == second.user_id and second.new_account  # the account is still the invitation's
    assert User.objects.filter(email="sun@example.com").count() == 1
    assert MentorProfile.objects.get(user_id=second.user_id).capacity == 8
    old_link, new_link = (LINK.search(message.body).group(0) for message in mail.outbox)
    old = client.get(old_link)
    assert old.status_code == 410 and str(invitations.INVITATION_SUPERSEDED) in page(old)
    assert accept_with_password(client, new_link).status_code == 302
    with pytest.raises(IntegrityError), transaction.atomic():
        MentorInvitation.objects.create(
            user_id=second.user_id, token_hash="0" * 64, expires_at=timezone.now() + timedelta(days=1)
        )
        MentorInvitation.objects.create(
            user_id=second.user_id, token_hash="1" * 64, expires_at=timezone.now() + timedelta(days=1)
        )


def test_the_database_refuses_an_accepted_invitation_without_its_date():
    invitation = invitations.invite_mentor(real_name="", email="db@example.com").invitation
    with pytest.raises(IntegrityError), transaction.atomic():
        MentorInvitation.objects.filter(pk=invitation.pk).update(status=MentorInvitation.Status.ACCEPTED)


def test_the_office_reads_every_invitation_and_what_became_of_it(office_client, office):
    def listing():
        with CaptureQueriesContext(transaction.get_connection()) as queries:
            response = office_client.get(reverse("mentor_invitations:index"))
        assert response.status_code == 200
        return response, len(queries)

    invitations.invite_mentor(real_name="甲", email="jia@example.com", by=office)
    listing()  # warm: the session and the cached roles and permissions
    _response, few = listing()
    for n in range(5):
        invitations.invite_mentor(real_name=f"乙{n}", email=f"yi{n}@example.com", by=office)
    declined = invitations.invite_mentor(real_name="丙", email="bing@example.com", by=office).invitation
    invitations.decline_invitation(invitation=declined, user=declined.user)

    response, many = listing()

    assert many == few
    text = page(response)
    assert "甲" in text and "丙" in text and "jia@example.com" in text and office.real_name in text
    assert str(MentorInvitation.Status.DECLINED.label) in text


def test_only_the_office_sees_the_invitations(client):
    client.force_login(make_mentor())
    assert (
        client.get(reverse("mentor_invitations:index")).status_code == 302
    )  # no admin access: Wagtail sends them to its login


def test_the_office_cannot_switch_on_a_profile_before_the_person_accepts(office_client):
    sent = invitations.invite_mentor(real_name="未接受", email="wait@example.com", profile={"capacity": 3})
    profile = sent.invitation.user.mentor_profile
    response = office_client.post(
        reverse("mentor_profiles:edit", args=[profile.pk]), {"capacity": "3", "is_active": "on"}
    )
    assert str(invitations.NOT_ACCEPTED_YET) in page(response)
    profile.refresh_from_db()
    assert not profile.is_active


# --- the page takes a password: rate limited ----------------------------------------------------------


def test_password_attempts_on_an_invitation_link_are_rate_limited(settings, client):
    assert settings.ACCOUNT_RATE_LIMITS["mentor_invitation"] == "10/m/ip"
    sent = invitations.invite_mentor(real_name="限速", email="limit@example.com")
    for n in range(10):
        response = accept_with_password(client, sent.link, again=f"mismatch-{n}-passw0rd")
        assert response.status_code == 200
    assert accept_with_password(client, sent.link).status_code == 429
    assert not fresh(sent.invitation.user).has_usable_password()
    assert MentorInvitation.objects.get().status == MentorInvitation.Status.PENDING
