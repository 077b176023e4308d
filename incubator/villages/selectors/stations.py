"""What the office sees of the stations: figures per station and day, the league table, the
opening-day and best-day records (per village and county-wide), and the silent stations."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber

from incubator.merchants import periods
from incubator.merchants.selectors.figures import ZERO, money
from incubator.villages.models import Station, StationDay, StationPurchase

SILENT_AFTER_DAYS = getattr(settings, "VILLAGES_STATION_SILENT_DAYS", 3)


@dataclass
class DayFigures:
    buy_orders: int = 0
    buy_value: Decimal = ZERO
    sell_orders: int = 0
    sell_value: Decimal = ZERO
    villagers: int = 0

    @property
    def total(self) -> Decimal:
        """The transaction value both ways."""
        return money(self.buy_value + self.sell_value)

    def add(self, other: "DayFigures") -> None:
        self.buy_orders += other.buy_orders
        self.buy_value += other.buy_value
        self.sell_orders += other.sell_orders
        self.sell_value += other.sell_value
        self.villagers += other.villagers


def daily_figures(*, by: str = "station", first=None, last=None, station=None) -> dict:
    """(station id or village id, day) -> DayFigures, from two grouped queries (the days, and the
    purchases summed per day), whatever the number of stations and days."""
    key = {"station": "station_id", "village": "station__village_id"}[by]
    days = StationDay.objects.all()
    purchases = StationPurchase.objects.all()
    if first:
        days, purchases = days.filter(day__gte=first), purchases.filter(station_day__day__gte=first)
    if last:
        days, purchases = days.filter(day__lte=last), purchases.filter(station_day__day__lte=last)
    if station is not None:
        days, purchases = days.filter(station=station), purchases.filter(station_day__station=station)
    figures: dict = defaultdict(DayFigures)
    for row in (
        days.values(key, "day")
        .annotate(orders=Sum("sell_orders"), value=Sum("sell_value"), served=Sum("villagers_served"))
        .order_by()
    ):
        item = figures[(row[key], row["day"])]
        item.sell_orders, item.sell_value, item.villagers = row["orders"] or 0, money(row["value"]), row["served"] or 0
    for row in (
        purchases.values(f"station_day__{key}", "station_day__day")
        .annotate(orders=Sum("orders"), value=Sum("value"))
        .order_by()
    ):
        item = figures[(row[f"station_day__{key}"], row["station_day__day"])]
        item.buy_orders, item.buy_value = row["orders"] or 0, money(row["value"])
    return dict(figures)


@dataclass
class StationRow:
    station: Station
    figures: DayFigures = field(default_factory=DayFigures)
    days_logged: int = 0
    last_day: datetime.date | None = None
    silent_days: int = 0
    is_silent: bool = False
    rank: int = 0


def station_table(*, first=None, last=None, today=None, silent_after: int | None = None) -> list[StationRow]:
    """Every station with its figures from `first` to `last`, ranked by transaction value both
    ways (the league table), with the open stations silent for `silent_after` days flagged.
    Four queries."""
    today = today or periods.today()
    silent_after = SILENT_AFTER_DAYS if silent_after is None else silent_after
    stations = list(Station.objects.select_related("village__township", "partner", "shop"))
    rows = {station.pk: StationRow(station=station) for station in stations}
    for (station_id, _day), figures in daily_figures(first=first, last=last).items():
        rows[station_id].figures.add(figures)
    for row in StationDay.objects.values("station_id").annotate(last=Max("day"), days=Count("pk")).order_by():
        target = rows[row["station_id"]]
        target.last_day = row["last"]
        target.days_logged = row["days"]
    for row in rows.values():
        if row.station.is_open:
            # Whole days without a log, today not counted (it may still be logged tonight).
            since = row.last_day or (row.station.opened_on - datetime.timedelta(days=1))
            row.silent_days = max((today - since).days - 1, 0)
            row.is_silent = row.station.opened_on <= today and row.silent_days >= silent_after
    ranked = sorted(rows.values(), key=lambda r: (-r.figures.total, -r.figures.villagers, str(r.station), r.station.pk))
    for rank, row in enumerate(ranked, start=1):
        row.rank = rank
    return ranked


def station_days(*, station: Station, first=None, last=None) -> list[tuple[datetime.date, DayFigures]]:
    """One station's figures day by day, newest first (two queries)."""
    figures = daily_figures(first=first, last=last, station=station)
    return sorted(((day, item) for (_s, day), item in figures.items()), key=lambda pair: pair[0], reverse=True)


@dataclass
class Record:
    day: datetime.date | None
    value: Decimal
    village: object = None


@dataclass
class VillageRecords:
    village: object
    opening_day: Record
    best_day: Record


@dataclass
class Records:
    county_opening: Record
    county_best: Record
    village_opening: Record
    village_best: Record
    villages: list


def _per_outer_row(queryset, group: str, **aggregate) -> Subquery:
    """A correlated subquery: the one aggregate of `queryset`'s rows (filtered on the outer row),
    grouped by `group`."""
    (name,) = aggregate
    return Subquery(queryset.order_by().values(group).annotate(**aggregate).values(name))


def _day_totals():
    """Every station day with its trade both ways: what it sold out plus what it bought in."""
    bought = _per_outer_row(
        StationPurchase.objects.filter(station_day=OuterRef("pk")), "station_day", value=Sum("value")
    )
    return StationDay.objects.annotate(
        trade=ExpressionWrapper(
            F("sell_value") + Coalesce(bought, Value(ZERO)),
            output_field=DecimalField(max_digits=16, decimal_places=2),
        )
    )


def records() -> Records:
    """The opening-day and best-day records, per village and county-wide.

    A village's opening day is the day its (first) station opened, and its figure the trade of
    that day; the county's opening day is the first day any station opened, and its figure the
    trade of every station on that day. A best day is the day with the most trade (the earlier
    of equal days). Summed and ranked by PostgreSQL in four grouped queries, whatever the number
    of days logged: the county dashboard computes them on every change of the figures."""
    from core.models import Village

    # The first opening of each village (a village may have reopened with a new partner).
    openings = {
        row["village_id"]: row["first"]
        for row in Station.objects.values("village_id").annotate(first=Min("opened_on")).order_by()
    }
    villages = {v.pk: v for v in Village.objects.filter(pk__in=openings).select_related("township")}
    per_village_day = (
        _day_totals().values("day", village=F("station__village_id")).annotate(total=Sum("trade")).order_by()
    )
    ranked = per_village_day.annotate(
        rank=Window(RowNumber(), partition_by=F("station__village_id"), order_by=[F("total").desc(), F("day").asc()])
    )
    best_of = {
        row["village"]: Record(day=row["day"], value=money(row["total"]), village=villages.get(row["village"]))
        for row in ranked.filter(rank=1)
    }
    first_opened = _per_outer_row(
        Station.objects.filter(village=OuterRef("station__village_id")), "village", first=Min("opened_on")
    )
    opening_trade = {row["village"]: money(row["total"]) for row in per_village_day.filter(day=first_opened)}
    rows = [
        VillageRecords(
            village=villages[village_id],
            opening_day=Record(day=opened, value=opening_trade.get(village_id, ZERO), village=villages[village_id]),
            best_day=best_of.get(village_id) or Record(day=None, value=ZERO, village=villages[village_id]),
        )
        for village_id, opened in openings.items()
    ]
    rows.sort(key=lambda r: (-r.best_day.value, r.village.township.code, r.village.code))
    per_day = _day_totals().values("day").annotate(total=Sum("trade")).order_by()
    first_opening = min(openings.values(), default=None)
    opening_total = (
        first_opening and per_day.filter(day=first_opening).values_list("total", flat=True).order_by("day").first()
    )
    county_opening = Record(day=first_opening, value=money(opening_total or ZERO))
    best_day = per_day.order_by("-total", "day").values_list("day", "total").first() or (None, ZERO)
    village_opening = max(
        (row.opening_day for row in rows), key=lambda r: r.value, default=Record(day=None, value=ZERO)
    )
    village_best = max((row.best_day for row in rows), key=lambda r: r.value, default=Record(day=None, value=ZERO))
    return Records(
        county_opening=county_opening,
        county_best=Record(day=best_day[0], value=money(best_day[1])),
        village_opening=village_opening,
        village_best=village_best,
        villages=rows,
    )
