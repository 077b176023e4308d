"""The office's figures per station and day, the league table, the opening-day and best-day
records and the silent stations, against figures computed by hand."""

import datetime
from decimal import Decimal

import pytest

from django.urls import reverse

from incubator.villages.models import StationDay, StationPurchase
from incubator.villages.selectors import stations as selectors
from tests.factories import OfficeFactory, VillageFactory

from .factories import make_station

pytestmark = pytest.mark.django_db

D1, D2, D3 = datetime.date(2026, 1, 1), datetime.date(2026, 1, 2), datetime.date(2026, 1, 3)


def day(station, when, *, sell, buy=(), served=0):
    log = StationDay.objects.create(station=station, day=when, sell_value=Decimal(sell), villagers_served=served)
    for category, value in buy:
        StationPurchase.objects.create(station_day=log, category=category, orders=1, value=Decimal(value))
    return log


@pytest.fixture
def county():
    """Three stations. A opens on D1 (1000 sold + 200 + 300 bought = 1500), logs 100 on D2 and
    5000 on D3; B opens on D1 (800 + 100 = 900), logs 2000 on D2; C opens on D2 (300), then stops."""
    a = make_station(village=VillageFactory(code="a"), opened_on=D1)
    b = make_station(village=VillageFactory(code="b"), opened_on=D1)
    c = make_station(village=VillageFactory(code="c"), opened_on=D2)
    day(a, D1, sell="1000", buy=[("machinery", "200"), ("necessities", "300")], served=40)
    day(a, D2, sell="100", served=5)
    day(a, D3, sell="4000", buy=[("appliances", "1000")], served=9)
    day(b, D1, sell="800", buy=[("necessities", "100")], served=30)
    day(b, D2, sell="2000", served=12)
    day(c, D2, sell="300", served=3)
    return a, b, c


def test_figures_per_station_and_day(county):
    a, _b, _c = county
    figures = selectors.daily_figures()
    assert figures[(a.pk, D1)].buy_value == Decimal("500.00")
    assert figures[(a.pk, D1)].sell_value == Decimal("1000.00")
    assert figures[(a.pk, D1)].total == Decimal("1500.00")
    assert figures[(a.pk, D1)].villagers == 40
    assert [(d, f.total) for d, f in selectors.station_days(station=a)] == [
        (D3, Decimal("5000.00")),
        (D2, Decimal("100.00")),
        (D1, Decimal("1500.00")),
    ]


def test_records_by_hand(county):
    a, b, c = county
    records = selectors.records()
    # County opening day D1: A 1500 + B 900.
    assert (records.county_opening.day, records.county_opening.value) == (D1, Decimal("2400.00"))
    # Best county day: D1 2400, D2 100 + 2000 + 300 = 2400, D3 5000.
    assert (records.county_best.day, records.county_best.value) == (D3, Decimal("5000.00"))
    # Best village opening day: A's 1500 (B 900, C 300).
    assert (records.village_opening.village, records.village_opening.value) == (a.village, Decimal("1500.00"))
    assert (records.village_best.village, records.village_best.value) == (a.village, Decimal("5000.00"))
    per_village = {
        row.village.code: (row.opening_day.value, row.best_day.day, row.best_day.value) for row in records.villages
    }
    assert per_village == {
        "a": (Decimal("1500.00"), D3, Decimal("5000.00")),
        "b": (Decimal("900.00"), D2, Decimal("2000.00")),
        "c": (Decimal("300.00"), D2, Decimal("300.00")),
    }


def test_the_records_take_two_queries_whatever_the_days_logged(county, django_assert_num_queries):
    """The villages with their first openings, and one query that sums and ranks every day."""
    a, _b, _c = county
    with django_assert_num_queries(2):
        before = selectors.records()
    for n in range(4, 20):
        day(a, datetime.date(2026, 1, n), sell="10", buy=[("machinery", "1")])
    with django_assert_num_queries(2):
        after = selectors.records()
    assert after.county_best == before.county_best  # D3's 5000 still the best day


def test_league_table_and_silent_stations_by_hand(county):
    a, b, c = county
    rows = selectors.station_table(today=datetime.date(2026, 1, 6), silent_after=3)
    assert [(row.rank, row.station, row.figures.total) for row in rows] == [
        (1, a, Decimal("6600.00")),
        (2, b, Decimal("2900.00")),
        (3, c, Decimal("300.00")),
    ]
    assert [row.figures.villagers for row in rows] == [54, 42, 3]
    silent = {row.station: row.silent_days for row in rows if row.is_silent}
    assert silent == {b: 3, c: 3}  # whole days without a log, today not counted; A: D4 and D5 only
    in_period = selectors.station_table(first=D2, last=D2, today=D3)
    assert [(row.station, row.figures.total) for row in in_period] == [
        (b, Decimal("2000.00")),
        (c, Decimal("300.00")),
        (a, Decimal("100.00")),
    ]


def test_a_station_that_never_logged_is_silent_from_its_opening():
    station = make_station(opened_on=D1)
    (row,) = selectors.station_table(today=datetime.date(2026, 1, 4), silent_after=3)
    assert row.silent_days == 3 and row.is_silent
    (row,) = selectors.station_table(today=D3, silent_after=3)
    assert row.silent_days == 2 and not row.is_silent
    assert row.station == station


def test_the_office_pages_show_it_in_a_fixed_number_of_queries(client, county, django_assert_max_num_queries):
    client.force_login(OfficeFactory())
    with django_assert_max_num_queries(24) as captured:
        response = client.get(reverse("villages_admin:stations"), {"first": "2026-01-01", "last": "2026-01-03"})
    assert response.status_code == 200
    # Each village's opening day and best day (A: opened D1 at 1500, best D3 at 5000).
    villages = response.text.split('id="village-records-heading"', 1)[1]
    a_row = villages.split(county[0].village.full_name, 1)[1].split("</tr>", 1)[0]
    assert "2026-01-01" in a_row and "2026-01-03" in a_row and "1,500.00" in a_row and "5,000.00" in a_row
    before = len(captured)
    for n in range(5):
        station = make_station(village=VillageFactory(code=f"more-{n}"), opened_on=D1)
        day(station, D2, sell="10", buy=[("other", "1")])
    with django_assert_max_num_queries(before):
        client.get(reverse("villages_admin:stations"), {"first": "2026-01-01", "last": "2026-01-03"})
    a = county[0]
    with django_assert_max_num_queries(16):
        response = client.get(reverse("villages_admin:station", args=[a.pk]), {"first": "2026-01-01"})
    assert response.status_code == 200


def test_a_partner_cannot_open_the_office_pages(client, county):
    client.force_login(county[0].partner)
    response = client.get(reverse("villages_admin:stations"))
    assert response.status_code == 302
