"""The office's corrections of a villager's profile, each with its reason, kept in the history.

The phone is the person's sign-in identity (allauth reads it through `core.adapters`: login by
password or by an SMS code). So a correction of the phone keeps the trust rules: the number
stays unique (checked here, and by the database's unique constraint in a race); it is marked
unverified, since only its holder can prove it (allauth's phone verification does); only
villagers' profiles may be corrected, never those of office staff, mentors or superusers (whose
number opens the admin or the mentor area), and the person is told at once, in the app and by
email or SMS.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy

from core import history, roles
from core.models import ChangeRecord, User
from core.notifications import message, notify
from core.office import is_office_staff

CORRECTABLE = ("real_name", "phone", "village", "products")

OFFICE_ONLY = gettext_lazy("Only the county office may correct a person's profile.")
NOT_A_VILLAGER = gettext_lazy(
    "The profiles of office staff, mentors and administrators are not corrected here: they change their own."
)
REASON_REQUIRED = gettext_lazy("Say why the profile is corrected: it is kept in the history the person sees.")
NAME_REQUIRED = gettext_lazy("The real name cannot be empty.")
PHONE_TAKEN = gettext_lazy("This mobile phone number is already registered to someone else.")
NO_CHANGE = gettext_lazy("Nothing was changed.")


def may_correct(*, office, person) -> bool:
    return is_office_staff(office) and is_villager(person)


def is_villager(person) -> bool:
    return not (person.is_superuser or person.is_staff or roles.is_office(person) or roles.is_mentor(person))


@transaction.atomic
def correct_profile(
    *, office: User, person: User, reason: str, real_name: str, phone: str | None, village, products
) -> ChangeRecord:
    """Correct a villager's real name, phone, village and products, recording who, when, the old
    and new values and why (`core.history`). A changed phone is unique and unverified."""
    if not is_office_staff(office):
        raise ValidationError(OFFICE_ONLY)
    if not is_villager(person):
        raise ValidationError(NOT_A_VILLAGER)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    real_name = (real_name or "").strip()
    if not real_name:
        raise ValidationError({"real_name": NAME_REQUIRED})
    phone = phone or None
    person = User.objects.select_for_update().get(pk=person.pk)
    if phone and User.objects.filter(phone=phone).exclude(pk=person.pk).exists():
        raise ValidationError({"phone": PHONE_TAKEN})
    before = history.snapshot(person, [*CORRECTABLE, "phone_verified"])
    phone_changed = phone != person.phone
    person.real_name = real_name
    person.phone = phone
    person.village = village
    if phone_changed:
        person.phone_verified = False
    try:
        with transaction.atomic():
            person.save(update_fields=["real_name", "first_name", "phone", "phone_verified", "village"])
    except IntegrityError as exc:  # the same number registered a moment ago
        raise ValidationError({"phone": PHONE_TAKEN}) from exc
    person.products.set(products)
    _follow_on_trainee_profile(person=person, office=office, reason=reason)
    change = history.record(person, actor=office, reason=reason, before=before)
    if change is None:
        raise ValidationError(NO_CHANGE)
    notify(
        recipient=person,
        kind="profile-corrected",
        title=gettext_lazy("The county office corrected your profile"),
        body=message(gettext_lazy("Reason: %(reason)s. The changes are listed on your profile page."), reason=reason),
        url=reverse("core:profile"),
    )
    return change


def _follow_on_trainee_profile(*, person, office, reason) -> None:
    """The programme's copy of the village (the county's figures by township read it) follows."""
    from incubator.recruitment.models import TraineeProfile

    profile = TraineeProfile.objects.filter(user=person).first()
    if profile is None or profile.village_id == person.village_id or person.village_id is None:
        return
    before = history.snapshot(profile, ["village"])
    profile.village = person.village
    profile.save(update_fields=["village"])
    history.record(profile, actor=office, reason=reason, before=before)
