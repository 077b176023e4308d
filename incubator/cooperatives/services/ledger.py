"""Writing the cooperative's ledger: inputs, purchases (payments), sales, dividends, corrections.

Every function locks the cooperative's row, so two phones writing the same ledger queue up;
entries are only added (a correction is a new entry naming the one it replaces).
"""

import datetime
from decimal import ROUND_FLOOR, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from core import cache_families
from incubator.cooperatives.models import (
    CooperativeSale,
    DividendDeclaration,
    DividendPayment,
    InputGiven,
    Membership,
    Purchase,
)
from incubator.cooperatives.models.ledger import DIVIDEND_UNIT_REQUIRED, REASON_REQUIRED
from incubator.cooperatives.models.ledger import NOT_NEGATIVE as NEGATIVE_AMOUNT
from incubator.cooperatives.models.ledger import QUANTITY_ABOVE_ZERO as NEGATIVE
from incubator.merchants.models import Cooperative

FEN = Decimal("0.01")

NOT_A_MEMBER = _("This household is not a member of the cooperative on that date.")
NOT_A_MEMBER_SHOP = _("This shop does not belong to a member merchant of the cooperative.")
CORRECTED_ALREADY = _("This entry has been corrected already: correct the latest entry.")
OTHER_COOPERATIVE = _("This entry belongs to another cooperative.")
DIVIDEND_DECLARED = _("A dividend for this year is declared already: correct it instead.")
NO_ONE_TO_PAY = _("No member household has shares (or supplied produce in that unit) to be paid a dividend.")
UNIT_REQUIRED = DIVIDEND_UNIT_REQUIRED
NOTHING_CHANGED = _("The correction changes nothing.")


def _lock(cooperative) -> Cooperative:
    return Cooperative.objects.select_for_update().get(pk=cooperative.pk)


def is_member_on(*, cooperative, household, day: datetime.date) -> bool:
    return any(
        m.covers(day) for m in Membership.objects.filter(cooperative=cooperative, household=household).only(
            "joined_on", "left_on"
        )
    )  # fmt: skip


def _require_member(*, cooperative, household, day, field) -> None:
    if not is_member_on(cooperative=cooperative, household=household, day=day):
        raise ValidationError({field: NOT_A_MEMBER}, code="not_a_member")


def _quantities(*, quantity, correcting: bool, amounts: dict) -> None:
    # Zero only in a correction (to annul an entry); never below zero.
    if quantity is None or quantity < 0 or (quantity == 0 and not correcting):
        raise ValidationError({"quantity": NEGATIVE}, code="negative")
    for name, value in amounts.items():
        if value is None or value < 0:
            raise ValidationError({name: NEGATIVE_AMOUNT}, code="negative")


def _correction(*, corrects, cooperative, reason) -> None:
    if corrects is None:
        return
    if corrects.cooperative_id != cooperative.pk:
        raise ValidationError(OTHER_COOPERATIVE, code="other_cooperative")
    if not (reason or "").strip():
        raise ValidationError({"reason": REASON_REQUIRED}, code="reason_required")
    if type(corrects).objects.filter(corrects=corrects).exists():
        raise ValidationError(CORRECTED_ALREADY, code="corrected_already")


def _save(entry):
    entry.full_clean(exclude=["corrects"])
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as exc:  # two corrections of one entry at once: the second loses
        if entry.corrects_id:
            raise ValidationError(CORRECTED_ALREADY, code="corrected_already") from exc
        raise
    return entry


@transaction.atomic
def record_input(
    *, cooperative, household, item, quantity, unit, value, given_on, by=None, corrects=None, reason=""
) -> InputGiven:
    """Inputs given to a member household (seedlings, feed, training)."""
    cooperative = _lock(cooperative)
    _correction(corrects=corrects, cooperative=cooperative, reason=reason)
    _quantities(quantity=quantity, correcting=corrects is not None, amounts={"value": value})
    _require_member(cooperative=cooperative, household=household, day=given_on, field="given_on")
    return _save(
        InputGiven(
            cooperative=cooperative,
            household=household,
            item=item,
            quantity=quantity,
            unit=unit,
            value=value,
            given_on=given_on,
            recorded_by=by,
            corrects=corrects,
            reason=reason.strip(),
        )
    )


@transaction.atomic
def record_purchase(
    *, cooperative, household, product, quantity, unit, amount, bought_on, by=None, corrects=None, reason=""
) -> Purchase:
    """Produce bought from a member household: `amount` is what the household was paid."""
    cooperative = _lock(cooperative)
    _correction(corrects=corrects, cooperative=cooperative, reason=reason)
    _quantities(quantity=quantity, correcting=corrects is not None, amounts={"amount": amount})
    _require_member(cooperative=cooperative, household=household, day=bought_on, field="bought_on")
    return _save(
        Purchase(
            cooperative=cooperative,
            household=household,
            product=product,
            quantity=quantity,
            unit=unit,
            amount=amount,
            bought_on=bought_on,
            recorded_by=by,
            corrects=corrects,
            reason=reason.strip(),
        )
    )


def member_shops(cooperative):
    """The shops the cooperative may sell through: its leader's and its member merchants'."""
    from incubator.merchants.models import Shop

    owners = set(cooperative.members.values_list("pk", flat=True))
    if cooperative.leader_id:
        owners.add(cooperative.leader_id)
    return Shop.objects.filter(owner__in=owners).select_related("owner")


@transaction.atomic
def record_sale(
    *, cooperative, shop, month, product, quantity, unit, amount, by=None, corrects=None, reason=""
) -> CooperativeSale:
    """The cooperative's produce sold in `month` through a member merchant's shop."""
    cooperative = _lock(cooperative)
    _correction(corrects=corrects, cooperative=cooperative, reason=reason)
    _quantities(quantity=quantity, correcting=corrects is not None, amounts={"amount": amount})
    if not member_shops(cooperative).filter(pk=shop.pk).exists():
        raise ValidationError({"shop": NOT_A_MEMBER_SHOP}, code="not_a_member_shop")
    return _save(
        CooperativeSale(
            cooperative=cooperative,
            shop=shop,
            month=month.replace(day=1),
            product=product,
            quantity=quantity,
            unit=unit,
            amount=amount,
            recorded_by=by,
            corrects=corrects,
            reason=reason.strip(),
        )
    )


# --- dividends ------------------------------------------------------------------------------------


def split_dividend(*, total: Decimal, bases: dict) -> dict:
    """`total` split in proportion to `bases` ({household id: shares or quantity}, all above
    zero), in fen, adding up exactly to `total`.

    Each household first gets its exact part rounded down to the fen; the fen left over go one
    each to the households with the largest part cut off, and between equal cuts to the lower
    household id, so the same ledger always gives the same split."""
    total = Decimal(total).quantize(FEN)
    weight = sum(bases.values(), Decimal(0))
    if not bases or weight <= 0:
        return {}
    exact = {key: total * Decimal(basis) / weight for key, basis in bases.items()}
    paid = {key: value.quantize(FEN, rounding=ROUND_FLOOR) for key, value in exact.items()}
    left = int(((total - sum(paid.values(), Decimal(0))) / FEN).to_integral_value())
    for key in sorted(paid, key=lambda k: (-(exact[k] - paid[k]), k))[:left]:
        paid[key] += FEN
    return paid


def dividend_bases(*, cooperative, rule, year: int, paid_on: datetime.date, unit: str = "") -> dict:
    """{household id: basis} of the households a dividend is paid to: members on the day it is
    paid, by their shares that day, or by the quantity (in `unit`) bought from them in `year`."""
    memberships = [m for m in Membership.objects.filter(cooperative=cooperative) if m.covers(paid_on)]
    if rule == DividendDeclaration.Rule.PER_SHARE:
        bases = {}
        for membership in memberships:
            bases[membership.household_id] = bases.get(membership.household_id, 0) + membership.shares
        return {key: Decimal(value) for key, value in bases.items() if value > 0}
    members = {m.household_id for m in memberships}
    supplied = (
        Purchase.objects.effective()
        .filter(cooperative=cooperative, bought_on__year=year, unit=unit, household__in=members)
        .values("household")
        .annotate(quantity=Sum("quantity"))
        .order_by()
    )
    return {row["household"]: row["quantity"] for row in supplied if row["quantity"] and row["quantity"] > 0}


@transaction.atomic
def declare_dividend(
    *, cooperative, year: int, total, rule, paid_on, unit: str = "", by=None, corrects=None, reason=""
) -> DividendDeclaration:
    """Declare a year's dividend and record each member household's payment; the payments add
    up exactly to `total` (split_dividend). A correction replaces a declaration and all its payments."""
    cooperative = _lock(cooperative)
    _correction(corrects=corrects, cooperative=cooperative, reason=reason)
    if total is None or total < 0:
        raise ValidationError({"total": NEGATIVE_AMOUNT}, code="negative")
    if rule == DividendDeclaration.Rule.PER_QUANTITY and not unit:
        raise ValidationError({"unit": UNIT_REQUIRED}, code="unit_required")
    if rule == DividendDeclaration.Rule.PER_SHARE:
        unit = ""
    if corrects is None and DividendDeclaration.objects.filter(cooperative=cooperative, year=year).exists():
        raise ValidationError({"year": DIVIDEND_DECLARED}, code="declared")
    bases = dividend_bases(cooperative=cooperative, rule=rule, year=year, paid_on=paid_on, unit=unit)
    if not bases and total > 0:
        raise ValidationError(NO_ONE_TO_PAY, code="no_one_to_pay")
    declaration = _save(
        DividendDeclaration(
            cooperative=cooperative,
            year=year if corrects is None else corrects.year,
            total=total,
            rule=rule,
            unit=unit,
            paid_on=paid_on,
            recorded_by=by,
            corrects=corrects,
            reason=reason.strip(),
        )
    )
    parts = split_dividend(total=total, bases=bases) if total > 0 else {}
    with cache_families.bulk_write(DividendPayment):
        DividendPayment.objects.bulk_create(
            DividendPayment(
                declaration=declaration, household_id=household_id, basis=bases[household_id], amount=amount
            )
            for household_id, amount in sorted(parts.items())
        )
    assert sum(parts.values(), Decimal(0)) == Decimal(total).quantize(FEN) or not parts
    return declaration


# --- corrections ------------------------------------------------------------------------------------

CORRECTABLE = {
    "input": (InputGiven, record_input, ("household", "item", "quantity", "unit", "value", "given_on")),
    "purchase": (Purchase, record_purchase, ("household", "product", "quantity", "unit", "amount", "bought_on")),
    "sale": (CooperativeSale, record_sale, ("shop", "month", "product", "quantity", "unit", "amount")),
    "dividend": (DividendDeclaration, declare_dividend, ("total", "rule", "unit", "paid_on")),
}


def correct_entry(*, kind: str, entry, by=None, reason: str, **values):
    """A new entry replacing `entry` (of `kind` in CORRECTABLE): its values, changed by `values`."""
    _model, record, fields = CORRECTABLE[kind]
    new = {name: getattr(entry, name) for name in fields}
    new.update({name: value for name, value in values.items() if name in fields})
    if all(new[name] == getattr(entry, name) for name in fields):
        raise ValidationError(NOTHING_CHANGED, code="nothing_changed")
    extra = {"year": entry.year} if kind == "dividend" else {}
    return record(cooperative=entry.cooperative, by=by, corrects=entry, reason=reason, **extra, **new)
