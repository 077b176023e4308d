"""Mentor invitations: the office offers the role, the invited person accepts or declines.

An invitation never changes an existing person's email, phone or password: it is sent to the
address or number already on their account, and they accept it signed in as themselves. A
person the office is the first to know gets an account without a password; their link sets
the first password and accepts in one step. Links are single-use and expire after
`MENTOR_INVITATION_DAYS`; only a hash of their token is stored. The role (the mentor group and
an active profile) is granted on acceptance, not before.

Every function is keyword-only and refuses with a `ValidationError` whose message is one of
the constants below (tests assert them exactly).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy

from core import roles
from core.links import absolute_url
from core.models import Notification, User
from core.notifications import choose_channel, message, notify
from core.phone import normalise_phone
from mentors.services.profiles import update_profile

from .models import MentorInvitation, MentorProfile

CONTACT_REQUIRED = gettext_lazy("Please give an email address or a mobile phone number.")
EMAIL_PHONE_MISMATCH = gettext_lazy("This email address and this phone number belong to two different people.")
ALREADY_MENTOR = gettext_lazy("This person is already a mentor.")
INVITATION_UNKNOWN = gettext_lazy(
    "This invitation link is not valid. Check that you opened the whole link, or ask the county office for a new one."
)
INVITATION_USED = gettext_lazy("This invitation has already been accepted. Sign in to open the mentor area.")
INVITATION_EXPIRED = gettext_lazy("This invitation has expired. Please ask the county office for a new one.")
INVITATION_DECLINED = gettext_lazy(
    "This invitation was declined. If you have changed your mind, ask the county office for a new one."
)
INVITATION_SUPERSEDED = gettext_lazy(
    "A newer invitation has been sent to you. Please open the link in the latest message."
)
NOT_YOUR_INVITATION = gettext_lazy(
    "This invitation is for someone else. Sign out, then open the link again and sign in with your own account."
)
PASSWORD_REQUIRED = gettext_lazy("Please choose a password to accept the invitation.")
SIGN_IN_TO_ACCEPT = gettext_lazy("You already have an account: sign in to accept this invitation.")
NOT_ACCEPTED_YET = gettext_lazy(
    "This person has not accepted the mentor invitation yet; the profile becomes active when they do."
)

CLOSED_MESSAGES = {
    MentorInvitation.Status.ACCEPTED: INVITATION_USED,
    MentorInvitation.Status.DECLINED: INVITATION_DECLINED,
    MentorInvitation.Status.SUPERSEDED: INVITATION_SUPERSEDED,
}


@dataclass
class SentInvitation:
    invitation: MentorInvitation
    created: bool  # the account was made for this invitation
    link: str  # absolute; shown nowhere but in the message to the person


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_days() -> int:
    return settings.MENTOR_INVITATION_DAYS


def find_person(*, email: str = "", phone: str = "") -> User | None:
    """The one existing person with this email (their account's or an allauth address) or this phone.

    Refuses when the email and the phone belong to two different people. `phone` is E.164.
    """
    from allauth.account.models import EmailAddress

    by_email = None
    if email:
        by_email = User.objects.filter(email__iexact=email).first()
        if by_email is None:
            address = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
            by_email = address.user if address else None
    by_phone = User.objects.filter(phone=phone).first() if phone else None
    if by_email and by_phone and by_email.pk != by_phone.pk:
        raise ValidationError(EMAIL_PHONE_MISMATCH)
    return by_email or by_phone


def check_invitable(person: User | None) -> None:
    """Refuses a person who is a mentor already (the role, or an active profile)."""
    if person is None:
        return
    if roles.is_mentor(person) or MentorProfile.objects.filter(user=person, is_active=True).exists():
        raise ValidationError(ALREADY_MENTOR)


def _create_person(*, real_name: str, email: str, phone: str) -> User:
    from allauth.account.models import EmailAddress

    user = User(
        username=f"mentor-{get_random_string(12).lower()}",
        email=email,
        phone=phone or None,
        real_name=real_name.strip(),
    )
    user.set_unusable_password()  # the invitation link sets the first one
    user.full_clean()
    user.save()
    if email:
        # Verified only once the link sent to it has been used.
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    return user


def _message_body(*, sets_password: bool):
    if sets_password:
        text = gettext_lazy(
            "The county office invites you to be a mentor. "
            "Within %(days)s days, open the link to choose your password and accept."
        )
    else:
        text = gettext_lazy(
            "The county office invites you to be a mentor. "
            "Within %(days)s days, open the link, sign in, and accept or decline."
        )
    return message(text, days=invitation_days())


@transaction.atomic
def invite_mentor(
    *, real_name: str, email: str = "", phone: str = "", by: User | None = None, profile: dict | None = None
) -> SentInvitation:
    """Invite a person to be a mentor, creating their account if nobody has this email or phone.

    An existing person is invited at the email or phone already on their account, which the
    invitation never changes (a different email or phone typed in the form is ignored). The
    mentor profile (`profile`: bio, expertise, townships, capacity...) is kept inactive until
    they accept. Any earlier pending invitation of the person is superseded.
    """
    email = (email or "").strip().lower()
    phone_e164 = normalise_phone(phone) if (phone or "").strip() else ""  # raises core's clear message
    if not email and not phone_e164:
        raise ValidationError(CONTACT_REQUIRED)
    person = find_person(email=email, phone=phone_e164)
    check_invitable(person)
    created = person is None
    if created:
        person = _create_person(real_name=real_name, email=email, phone=phone_e164)
    person = User.objects.select_for_update().get(pk=person.pk)  # one invitation at a time per person
    # Still the account an earlier invitation made, never used: this link sets its password too.
    new_account = created or (
        not person.has_usable_password()
        and person.last_login is None
        and person.mentor_invitations.filter(new_account=True).exists()
    )
    now = timezone.now()
    MentorInvitation.objects.pending().filter(user=person).update(status=MentorInvitation.Status.SUPERSEDED)
    channel = choose_channel(person)
    token = secrets.token_urlsafe(32)
    invitation = MentorInvitation(
        user=person,
        invited_by=by,
        email=person.email if channel == Notification.Channel.EMAIL else "",
        phone=person.phone if channel == Notification.Channel.SMS else "",
        new_account=new_account,
        token_hash=token_hash(token),
        created_at=now,
        expires_at=now + timedelta(days=invitation_days()),
    )
    invitation.full_clean(validate_constraints=False)
    invitation.save()

    mentor_profile, _created = MentorProfile.objects.get_or_create(user=person, defaults={"is_active": False})
    data = {name: value for name, value in (profile or {}).items() if name != "is_active"}
    if data:
        update_profile(profile=mentor_profile, data=data)

    link = absolute_url(reverse("mentors:invitation", kwargs={"token": token}))
    notify(
        recipient=person,
        kind="mentor-invitation",
        title=gettext_lazy("You are invited to mentor trainees of the county e-commerce incubator"),
        body=_message_body(sets_password=invitation.sets_password),
        url=link,
    )
    return SentInvitation(invitation=invitation, created=created, link=link)


def invitation_for_token(*, token: str) -> MentorInvitation | None:
    """The invitation a link's token opens, whatever its state, or None."""
    if not token:
        return None
    return MentorInvitation.objects.select_related("user", "invited_by").filter(token_hash=token_hash(token)).first()


def closed_message(invitation: MentorInvitation):
    """Why the link no longer works (used, declined, replaced, expired), or None while it is open."""
    if invitation.status in CLOSED_MESSAGES:
        return CLOSED_MESSAGES[invitation.status]
    if invitation.is_expired:
        return INVITATION_EXPIRED
    return None


def _lock_open(invitation: MentorInvitation, *, user: User) -> MentorInvitation:
    invitation = MentorInvitation.objects.select_for_update().select_related("user").get(pk=invitation.pk)
    message = closed_message(invitation)
    if message is not None:
        raise ValidationError(message)
    if user is None or user.pk != invitation.user_id:
        raise ValidationError(NOT_YOUR_INVITATION)
    return invitation


def _verify_contact(invitation: MentorInvitation) -> None:
    """The link reached the person at this address or number: it is theirs."""
    from allauth.account.adapter import get_adapter
    from allauth.account.models import EmailAddress

    person = invitation.user
    if invitation.email and person.email and invitation.email.lower() == person.email.lower():
        EmailAddress.objects.update_or_create(
            user=person, email__iexact=person.email, defaults={"email": person.email, "verified": True, "primary": True}
        )
    if invitation.phone and person.phone == invitation.phone:
        get_adapter().set_phone_verified(person, person.phone)


@transaction.atomic
def accept_invitation(*, invitation: MentorInvitation, user: User, password: str = "") -> User:
    """The invited person accepts: they get the mentor role and their profile becomes active.

    Only the invited person may accept. For an account made by the invitation (no password,
    never signed in) `password` is required: it becomes their first password, and the email or
    phone the link was sent to is marked verified. Anyone else never has a password set here.
    """
    from allauth.account.adapter import get_adapter

    invitation = _lock_open(invitation, user=user)
    person = invitation.user
    if invitation.sets_password:
        if not password:
            raise ValidationError(PASSWORD_REQUIRED)
        get_adapter().set_password(person, password)
        _verify_contact(invitation)
    elif password:
        raise ValidationError(SIGN_IN_TO_ACCEPT)
    roles.add_role(person, roles.MENTOR)
    profile, _created = MentorProfile.objects.get_or_create(user=person)
    if not profile.is_active:
        profile.is_active = True
        profile.save(update_fields=["is_active"])
    invitation.status, invitation.accepted_at = MentorInvitation.Status.ACCEPTED, timezone.now()
    invitation.save(update_fields=["status", "accepted_at"])
    return person


@transaction.atomic
def decline_invitation(*, invitation: MentorInvitation, user: User) -> MentorInvitation:
    """The invited person says no; the link stops working and the record keeps the answer."""
    invitation = _lock_open(invitation, user=user)
    invitation.status, invitation.declined_at = MentorInvitation.Status.DECLINED, timezone.now()
    invitation.save(update_fields=["status", "declined_at"])
    return invitation
