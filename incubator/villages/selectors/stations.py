"""What the office sees of the stations: figures per station and day, the league table, the
opening-day and best-day records (per village and county-wide), and the silent stations."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import Count, Max, Min, Sum

from incubator.merchants import periods
from incubator.merchants.selectors.figures import ZERO, money
from incubator.villages.models import Station, StationDay

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
    """(station id or village id, day) -> DayFigures, from one grouped query of the days (each
    day keeps the sums of its purchase lines), whatever the number of stations and days."""
    key = {"station": "station_id", "village": "station__village_id"}[by]
    days = StationDay.objects.all()
    if first:
        days = days.filter(day__gte=first)
    if last:
        days = days.filter(day__lte=last)
    if station is not None:
        days = days.filter(station=station)
    return {
        (row[key], row["day"]): DayFigures(
            buy_orders=row["bought"] or 0,
            buy_value=money(row["bought_value"]),
            sell_orders=row["sold"] or 0,
            sell_value=money(row["sold_value"]),
            villagers=row["served"] or 0,
        )
        for row in days.values(key, "day")
        .annotate(
            bought=Sum("buy_orders"),
            bought_value=Sum("buy_value"),
            sold=Sum("sell_orders"),
            sold_value=Sum("sell_value"),
            served=Sum("villagers_served"),
        )
        .order_by()
    }


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
    Three queries."""
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
    """One station's figures day by day, newest first (one query)."""
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


RECORDS_SQL = """
WITH trade AS (
    SELECT d.day AS day, s.village_id AS village, SUM(d.sell_value + d.buy_value) AS total
    FROM {day} d JOIN {station} s ON s.id = d.station_id
    GROUP BY d.day, s.village_id
), opened AS (
    SELECT village_id AS village, MIN(opened_on) AS first FROM {station} GROUP BY village_id
), county AS (
    SELECT day, SUM(total) AS total FROM trade GROUP BY day
)
SELECT 'best', village, day, total FROM (
    SELECT village, day, total, ROW_NUMBER() OVER (PARTITION BY village ORDER BY total DESC, day) AS place
    FROM trade
) ranked WHERE place = 1
UNION ALL
SELECT 'opening', t.village, t.day, t.total FROM trade t JOIN opened o ON o.village = t.village AND o.first = t.day
UNION ALL
SELECT 'county-best', NULL, day, total FROM (SELECT day, total FROM county ORDER BY total DESC, day LIMIT 1) best
UNION ALL
SELECT 'county-opening', NULL, day, total FROM county WHERE day = (SELECT MIN(opened_on) FROM {station})
"""


def _as_date(value) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def _record_rows():
    """(kind, village id, day, trade) of the records: each village's best day and its opening
    day's trade, the county's best day and its opening day's trade, in one query. A day's trade is
    what the station sold out plus what it bought in, both kept on the day (StationDay.buy_value
    is the sum of its purchase lines): the purchases are not read at all."""
    sql = RECORDS_SQL.format(day=StationDay._meta.db_table, station=Station._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [(kind, village, _as_date(day), money(total)) for kind, village, day, total in cursor.fetchall()]


def records() -> Records:
    """The opening-day and best-day records, per village and county-wide.

    A village's opening day is the day its (first) station opened, and its figure the trade of
    that day; the county's opening day is the first day any station opened, and its figure the
    trade of every station on that day. A best day is the day with the most trade (the earlier
    of equal days). Summed and ranked by the database in one query (`_record_rows`), whatever
    the number of days logged: the county dashboard computes them on every change of the
    figures."""
    from core.models import Village

    # The villages with a station, each with its first opening (a village may have reopened with
    # a new partner), in one query.
    villages = {
        v.pk: v
        for v in Village.objects.filter(stations__isnull=False)
        .annotate(first_opening=Min("stations__opened_on"))
        .select_related("township")
        .order_by()
    }
    openings = {pk: village.first_opening for pk, village in villages.items()}
    found = defaultdict(dict)
    for kind, village, day, total in _record_rows():
        found[kind][village] = Record(day=day, value=total, village=villages.get(village))
    rows = [
        VillageRecords(
            village=villages[village_id],
            opening_day=Record(
                day=opened, value=getattr(found["opening"].get(village_id), "value", ZERO), village=villages[village_id]
            ),
            best_day=found["best"].get(village_id) or Record(day=None, value=ZERO, village=villages[village_id]),
        )
        for village_id, opened in openings.items()
    ]
    rows.sort(key=lambda r: (-r.best_day.value, r.village.township.code, r.village.code))
    first_opening = min(openings.values(), default=None)
    county_opening = Record(day=first_opening, value=getattr(found["county-opening"].get(None), "value", ZERO))
    county_best = found["county-best"].get(None) or Record(day=None, value=ZERO)
    village_opening = max(
        (row.opening_day for row in rows), key=lambda r: r.value, default=Record(day=None, value=ZERO)
    )
    village_best = max((row.best_day for row in rows), key=lambda r: r.value, default=Record(day=None, value=ZERO))
    return Records(
        county_opening=county_opening,
        county_best=county_best,
        village_opening=village_opening,
        village_best=village_best,
        villages=rows,
    )
