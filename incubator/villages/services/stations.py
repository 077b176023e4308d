"""Opening and closing a village's service station, and the partner's daily log."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from core import history
from core.models import ChangeRecord
from incubator.merchants import periods
from incubator.villages.models import Station, StationDay, StationPurchase

ERROR_NOT_A_PARTNER = _("Only a trainee or merchant of a village-partner campaign can run a station.")
ERROR_SHOP_NOT_PARTNERS = _("The shop must be one of the partner's own shops.")
ERROR_VILLAGE_HAS_STATION = _("This village already has an open station. Close it first.")
ERROR_CLOSE_BEFORE_OPEN = _("A station cannot close before it opened.")
ERROR_ALREADY_CLOSED = _("This station is closed already.")
ERROR_FUTURE_DAY = _("You cannot log a day that has not come yet.")
ERROR_STATION_NOT_OPEN = _("The station was not open on that day.")
ERROR_NEGATIVE = _("Figures cannot be negative.")

DAY_FIELDS = ["villagers_served", "sell_orders", "sell_value", "sell_products"]
PARTNER_STAGES = ["trainee", "graduate", "merchant"]


def partner_error(partner):
    """None when `partner` may run a station: a trainee, graduate or merchant of a cohort of a
    village-partner recruitment campaign."""
    from incubator.recruitment.models import RecruitmentCampaignPage, TraineeProfile

    eligible = TraineeProfile.objects.filter(
        user=partner,
        stage__in=PARTNER_STAGES,
        cohort__campaign__kind=RecruitmentCampaignPage.Kind.VILLAGE_PARTNER,
    ).exists()
    return None if eligible else ERROR_NOT_A_PARTNER


@transaction.atomic
def open_station(*, village, partner, opened_on: datetime.date, shop=None, by=None) -> Station:
    """Open the village's station, run by `partner`. Refuses a second open station in the village."""
    error = partner_error(partner)
    if error:
        raise ValidationError({"partner": error})
    if shop is not None and shop.owner_id != partner.pk:
        raise ValidationError({"shop": ERROR_SHOP_NOT_PARTNERS})
    station = Station(village=village, partner=partner, opened_on=opened_on, shop=shop)
    if Station.objects.filter(village=village, closed_on__isnull=True).exists():
        raise ValidationError({"village": ERROR_VILLAGE_HAS_STATION})
    try:
        with transaction.atomic():
            station.save()
    except IntegrityError as exc:  # another office member opened one at the same moment
        raise ValidationError({"village": ERROR_VILLAGE_HAS_STATION}) from exc
    history.record(station, actor=by, action=ChangeRecord.Action.CREATED, fields=["partner", "opened_on"])
    return station


@transaction.atomic
def close_station(*, station: Station, closed_on: datetime.date, by=None, reason="") -> Station:
    station = Station.objects.select_for_update().get(pk=station.pk)
    if station.closed_on is not None:
        raise ValidationError(ERROR_ALREADY_CLOSED)
    if closed_on < station.opened_on:
        raise ValidationError({"closed_on": ERROR_CLOSE_BEFORE_OPEN})
    before = history.snapshot(station, ["closed_on"])
    station.closed_on = closed_on
    station.save(update_fields=["closed_on"])
    history.record(station, actor=by, reason=reason, before=before)
    return station


def _check_day(*, station: Station, day: datetime.date, today: datetime.date) -> None:
    if day > today:
        raise ValidationError({"day": ERROR_FUTURE_DAY})
    if day < station.opened_on or (station.closed_on is not None and day > station.closed_on):
        raise ValidationError({"day": ERROR_STATION_NOT_OPEN})


@transaction.atomic
def record_station_day(
    *,
    station: Station,
    user,
    day: datetime.date,
    villagers_served: int,
    sell_orders: int,
    sell_value: Decimal,
    sell_products: str = "",
    purchases: dict | None = None,
    today: datetime.date | None = None,
) -> StationDay:
    """The partner logs (or corrects) their station's day: villagers served, what was sold out of
    the village, and per category what was bought in for villagers (`purchases`: category ->
    (orders, value)). Only the station's own partner may log it; a second log of the same day
    corrects the first (kept in the history), so sending the form twice changes nothing more."""
    if station.partner_id != getattr(user, "pk", None):
        raise PermissionDenied
    today = today or periods.today()
    _check_day(station=station, day=day, today=today)
    purchases = dict(purchases or {})
    errors = {}
    for name, value in (
        ("villagers_served", villagers_served),
        ("sell_orders", sell_orders),
        ("sell_value", sell_value),
    ):
        if value is None or value < 0:
            errors[name] = ERROR_NEGATIVE
    for category, (orders, value) in purchases.items():
        if category not in StationPurchase.Category.values:
            raise ValidationError(f"Unknown category {category!r}")
        if orders < 0 or value < 0:
            errors[f"{category}_value"] = ERROR_NEGATIVE
    if errors:
        raise ValidationError(errors)

    log = StationDay.objects.select_for_update().filter(station=station, day=day).first()
    if log is None:
        log = StationDay(station=station, day=day)
        before = None
    else:
        before = history.snapshot(log, DAY_FIELDS)
    log.villagers_served, log.sell_orders, log.sell_value = villagers_served, sell_orders, sell_value
    log.sell_products = sell_products
    log.logged_by = user
    log.full_clean(exclude=["station"])
    log.save()
    history.record(
        log,
        actor=user,
        before=before,
        fields=DAY_FIELDS,
        action=ChangeRecord.Action.CREATED if before is None else ChangeRecord.Action.CHANGED,
    )
    existing = {line.category: line for line in log.purchases.all()}
    for category, (orders, value) in purchases.items():
        line = existing.get(category)
        if line is None:
            if orders or value:
                line = StationPurchase.objects.create(station_day=log, category=category, orders=orders, value=value)
                history.record(line, actor=user, action=ChangeRecord.Action.CREATED, fields=["orders", "value"])
            continue
        line_before = history.snapshot(line, ["orders", "value"])
        line.orders, line.value = orders, value
        line.save(update_fields=["orders", "value"])
        history.record(line, actor=user, before=line_before)
    return log
