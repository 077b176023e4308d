"""The household register and the households' memberships of cooperatives."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core import history
from incubator.cooperatives.models import Household, Membership, Purchase
from incubator.cooperatives.models.households import LEFT_BEFORE_JOINED, MASKED_ID_CARD, POOR_SINCE_WITHOUT_POOR

BAD_ID_CARD = _("An ID-card number has 18 characters (or 15 digits for an old card).")
ALREADY_MEMBER = _("This household is already a member of the cooperative at that date.")
ALREADY_LEFT = _("This membership has ended already.")
PAID_AFTER_LEAVING = _("The ledger has entries for this household after that date: correct them first.")
SEVERAL_MATCH = _("Several households of this village have this head: add the ID card's last four characters.")
IN_REGISTER_GIVE_ID = _(
    "A household with this head is in this village's register already. Enter its ID-card number, so that it "
    "joins as that household rather than being registered a second time."
)

_FULL_ID_CARD = re.compile(r"^([0-9]{17}[0-9X]|[0-9]{15})$")
HOUSEHOLD_FIELDS = ("head_name", "village", "members", "is_registered_poor", "poor_since", "phone", "id_card_masked")


def mask_id_card(value: str) -> str:
    """An ID-card number as it may be stored: stars but for the last four characters. A number
    masked already is taken as it is; the full number is never returned or kept."""
    value = (value or "").strip().upper().replace(" ", "")
    if not value:
        return ""
    if re.match(MASKED_ID_CARD, value):
        return value
    if not _FULL_ID_CARD.match(value):
        raise ValidationError({"id_card_masked": BAD_ID_CARD}, code="bad_id_card")
    return "*" * (len(value) - 4) + value[-4:]


def _check(household: Household) -> None:
    if household.poor_since and not household.is_registered_poor:
        raise ValidationError({"poor_since": POOR_SINCE_WITHOUT_POOR}, code="poor_since")
    household.full_clean()


@transaction.atomic
def register_household(
    *,
    head_name: str,
    village,
    members: int = 1,
    is_registered_poor: bool = False,
    poor_since: datetime.date | None = None,
    phone: str = "",
    id_card: str = "",
    by=None,
) -> Household:
    """Add a household to the register (`id_card` in full or masked: only the masked form is kept)."""
    household = Household(
        head_name=head_name.strip(),
        village=village,
        members=members,
        is_registered_poor=is_registered_poor,
        poor_since=poor_since if is_registered_poor else None,
        phone=(phone or "").strip(),
        id_card_masked=mask_id_card(id_card),
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    _check(household)
    household.save()
    history.record(household, actor=by, action="created", fields=HOUSEHOLD_FIELDS)
    return household


def find_household(*, village, head_name: str, id_card: str = "") -> Household | None:
    """The register's household of this village and head (and, when given, whose ID card ends
    with the same four characters), or None. The import's and the ledger's one identity rule."""
    found = Household.objects.filter(village=village, head_name=head_name.strip())
    if id_card:
        found = found.filter(id_card_masked__endswith=mask_id_card(id_card)[-4:])
    found = list(found[:2])
    if len(found) > 1:
        raise ValidationError(SEVERAL_MATCH, code="several_match")
    return found[0] if found else None


@transaction.atomic
def household_for_new_member(*, head_name: str, village, id_card: str = "", by=None, **facts) -> tuple[Household, bool]:
    """The household a leader (or the office) adds to a cooperative by typing it in: the one of the
    register when it is there already (same village, head and ID card's last four), so that a
    household of two cooperatives is one household and counts once; else a new one. The register's
    entry of a found household is left as it is. Returns (household, found in the register).

    Without an ID card, a head already in the village's register is refused with a message (the
    name alone does not say it is the same household, and a second entry would count it twice)."""
    id_card = (id_card or "").strip()
    existing = find_household(village=village, head_name=head_name, id_card=id_card)
    if existing is not None and not id_card:
        raise ValidationError({"id_card": IN_REGISTER_GIVE_ID}, code="in_register")
    if existing is not None:
        return existing, True
    return register_household(head_name=head_name, village=village, id_card=id_card, by=by, **facts), False


@transaction.atomic
def update_household(*, household: Household, by=None, reason: str = "", id_card: str | None = None, **fields):
    """Change a household's register entry (any of HOUSEHOLD_FIELDS but the ID card, given in
    full or masked as `id_card`), keeping the change in its history."""
    before = history.snapshot(household, HOUSEHOLD_FIELDS)
    for name, value in fields.items():
        if name not in HOUSEHOLD_FIELDS or name == "id_card_masked":
            raise TypeError(name)
        setattr(household, name, value)
    if id_card is not None:
        household.id_card_masked = mask_id_card(id_card)
    if not household.is_registered_poor:
        household.poor_since = None
    _check(household)
    household.save()
    history.record(household, actor=by, reason=reason, before=before)
    return household


def _overlaps(*, cooperative, household, joined_on, exclude=None) -> bool:
    others = Membership.objects.filter(cooperative=cooperative, household=household)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    return any(m.left_on is None or m.left_on >= joined_on for m in others)


@transaction.atomic
def join_cooperative(*, cooperative, household: Household, joined_on: datetime.date, shares: int = 1, by=None):
    """A household becomes a member of `cooperative` from `joined_on` with `shares`."""
    if _overlaps(cooperative=cooperative, household=household, joined_on=joined_on):
        raise ValidationError(ALREADY_MEMBER, code="already_member")
    membership = Membership(cooperative=cooperative, household=household, joined_on=joined_on, shares=shares)
    membership.full_clean()
    membership.save()
    history.record(membership, actor=by, action="created", fields=["joined_on", "shares"])
    return membership


@transaction.atomic
def leave_cooperative(*, membership: Membership, left_on: datetime.date, by=None, reason: str = "") -> Membership:
    """End a membership on `left_on` (the last day it counts)."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.left_on is not None:
        raise ValidationError(ALREADY_LEFT, code="already_left")
    if left_on < membership.joined_on:
        raise ValidationError({"left_on": LEFT_BEFORE_JOINED}, code="left_before_joined")
    if (
        Purchase.objects.effective()
        .filter(cooperative=membership.cooperative_id, household=membership.household_id, bought_on__gt=left_on)
        .exists()
    ):
        raise ValidationError({"left_on": PAID_AFTER_LEAVING}, code="paid_after_leaving")
    before = history.snapshot(membership, ["left_on"])
    membership.left_on = left_on
    membership.full_clean()
    membership.save(update_fields=["left_on"])
    history.record(membership, actor=by, reason=reason, before=before)
    return membership
