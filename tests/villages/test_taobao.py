"""Taobao-village classification on the edges of each threshold: sales at and just below the
line; active shops at and just below the number; and the share of households."""

import datetime
from decimal import Decimal

import pytest

from incubator.villages.models import VillageHouseholds
from incubator.villages.selectors.taobao import Thresholds, VillageProgress, taobao_progress
from tests.factories import UserFactory, VillageFactory
from tests.merchants.factories import SalesReportFactory, ShopFactory, make_profile

pytestmark = pytest.mark.django_db

LINE = Thresholds(sales=Decimal("10000000"), shops=100, household_share=Decimal("0.10"))


def progress(sales, shops, households=None):
    return VillageProgress(
        village=None, sales=Decimal(sales), active_shops=shops, households=households, thresholds=LINE
    )


@pytest.mark.parametrize(
    ("sales", "shops", "households", "qualifies"),
    [
        ("10000000", 100, None, True),  # both exactly on the line
        ("9999999.99", 100, None, False),  # a cent short of the sales line
        ("10000000", 99, None, False),  # a shop short, no households known
        ("10000000", 99, 2000, False),  # 10% of 2000 is 200: the number (100) is the easier line
        ("10000000", 30, 300, True),  # exactly 10% of the households
        ("10000000", 29, 300, False),  # just under 10%
        ("10000000", 30, 295, True),  # 10% of 295 is 29.5: 30 shops needed
        ("10000000", 29, 295, False),
        ("25000000", 0, 0, False),  # no households recorded and no shops
    ],
)
def test_classification_on_the_edges(sales, shops, households, qualifies):
    assert progress(sales, shops, households).qualifies is qualifies


def test_the_thresholds_are_settings(settings):
    settings.VILLAGES_TAOBAO_MIN_SALES = 5_000_000
    settings.VILLAGES_TAOBAO_MIN_SHOPS = 50
    settings.VILLAGES_TAOBAO_MIN_HOUSEHOLD_SHARE = "0.2"
    assert Thresholds.from_settings() == Thresholds(sales=Decimal("5000000"), shops=50, household_share=Decimal("0.2"))


def test_progress_per_village_from_the_reports():
    """A village's sales are its shops' reports in the period; an active shop sold something."""
    line = Thresholds(sales=Decimal("3000"), shops=2, household_share=Decimal("0.10"))
    village, other = VillageFactory(code="hills"), VillageFactory(code="plains")
    VillageHouseholds.objects.create(village=village, households=30)
    first = ShopFactory(owner=make_profile(village=village).user)
    second = ShopFactory(owner=UserFactory(village=village))  # no trainee profile: the owner's own village
    idle = ShopFactory(owner=make_profile(village=village).user)
    SalesReportFactory(shop=first, month=datetime.date(2025, 3, 1), sales=Decimal("1000"))
    SalesReportFactory(shop=first, month=datetime.date(2025, 4, 1), sales=Decimal("1000"))
    SalesReportFactory(shop=second, month=datetime.date(2025, 12, 1), sales=Decimal("999.99"))
    SalesReportFactory(shop=idle, month=datetime.date(2025, 5, 1), sales=Decimal("0"))
    SalesReportFactory(shop=second, month=datetime.date(2026, 1, 1), sales=Decimal("5000"))  # another year
    SalesReportFactory(shop=ShopFactory(owner=make_profile(village=other).user), month=datetime.date(2025, 6, 1))
    rows = {row.village.code: row for row in taobao_progress(year=2025, thresholds=line)}
    hills = rows["hills"]
    assert (hills.sales, hills.active_shops, hills.households, hills.shops_needed) == (Decimal("2999.99"), 2, 30, 2)
    assert hills.meets_shops and not hills.meets_sales and not hills.qualifies
    SalesReportFactory(shop=idle, month=datetime.date(2025, 6, 1), sales=Decimal("0.01"))
    rows = {row.village.code: row for row in taobao_progress(year=2025, thresholds=line)}
    assert rows["hills"].qualifies and rows["hills"].active_shops == 3
    assert not rows["plains"].qualifies and rows["plains"].sales == Decimal("1000.00")


def test_only_verified_sales_count_in_the_taobao_and_product_figures():
    """The figures add up the monthly sums the merchants app keeps (tests/merchants/test_tallies.py):
    a report awaiting verification or sent back counts in neither."""
    from incubator.merchants.models import SalesReport
    from incubator.villages.selectors import products

    village = VillageFactory(code="only")
    shop = ShopFactory(owner=make_profile(village=village).user)
    for month, status in ((3, "verified"), (4, "pending"), (5, SalesReport.Status.SENT_BACK)):
        SalesReportFactory(shop=shop, month=datetime.date(2025, month, 1), sales=Decimal("700"), status=status,
                           sent_back_reason="看不清" if status == SalesReport.Status.SENT_BACK else "")  # fmt: skip
    rows = {row.village.code: row for row in taobao_progress(year=2025)}
    assert (rows["only"].sales, rows["only"].active_shops) == (Decimal("700.00"), 1)
    [category] = products.category_figures(first=datetime.date(2025, 1, 1), last=datetime.date(2025, 12, 1))
    assert category.sales == Decimal("700")


def test_the_office_sees_every_villages_progress_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    """The dashboard shows the 20 closest villages and links to the page of every village; a
    report awaiting verification counts in neither."""
    from django.urls import reverse

    from incubator.merchants.models import SalesReport
    from tests.factories import OfficeFactory, TownshipFactory

    def villages(n, township, prefix):
        for i in range(n):
            village = VillageFactory(code=f"{prefix}{i:02d}", name=f"{prefix}村{i:02d}", township=township)
            shop = ShopFactory(owner=make_profile(village=village).user)
            SalesReportFactory(shop=shop, month=datetime.date(2025, 3, 1), sales=Decimal(1000 + i))

    north, south = TownshipFactory(code="north"), TownshipFactory(code="south")
    villages(3, north, "n")
    pending = VillageFactory(code="pending", name="待核村", township=south)
    SalesReportFactory(shop=ShopFactory(owner=make_profile(village=pending).user), month=datetime.date(2025, 3, 1),
                       sales=Decimal("50000000"), status=SalesReport.Status.PENDING, verified_at=None)  # fmt: skip
    client.force_login(OfficeFactory())
    url = reverse("villages_admin:taobao")
    with django_assert_max_num_queries(30) as captured:
        response = client.get(url, {"year": "2025"})
    assert response.status_code == 200 and "n村02" in response.text
    before = len(captured)
    villages(22, south, "s")
    with django_assert_max_num_queries(before):
        response = client.get(url, {"year": "2025"})
    text = response.text
    assert all(f"s村{i:02d}" in text for i in range(22)) and "待核村" in text
    from core.models import Village

    assert text.count("<tr><td>") == Village.objects.count() == 26  # every village, the pending one at nought
    only_north = client.get(url, {"year": "2025", "township": "north"}).text
    assert "n村00" in only_north and "s村00" not in only_north
    dashboard = client.get(reverse("merchants_admin:dashboard"), {"year": "2025"}).text
    assert f"{url}?year=2025" in dashboard  # the dashboard's 20 closest link to every village
    rows = {row.village.code: row for row in taobao_progress(year=2025)}
    assert rows["pending"].sales == Decimal("0") and rows["s21"].sales == Decimal("1021.00")


def test_a_range_across_the_cutoff_is_read_once_and_its_closed_months_kept():
    """With the closed months not kept (an emptied cache), the villages' and the categories' sums
    are read in one query each for the whole range and split at the cutoff; the closed part kept
    serves the next miss, which reads the open months alone, and both give the same figures."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from incubator.villages.selectors import sales

    def reads(table, figures):
        with CaptureQueriesContext(connection) as captured:
            found = figures(first=datetime.date(2025, 2, 1), last=datetime.date(2026, 1, 1), today=today)
        return found, [q["sql"] for q in captured if table in q["sql"]]

    from incubator.merchants.dashboard_cache import closed_months_cutoff

    today = datetime.date(2026, 1, 20)
    cutoff = closed_months_cutoff(today).isoformat()  # January 2026: the months before are closed
    village = VillageFactory(code="split")
    shop = ShopFactory(owner=make_profile(village=village).user)
    other = ShopFactory(owner=make_profile(village=village).user)
    SalesReportFactory(shop=shop, month=datetime.date(2025, 10, 1), sales=Decimal("100"))
    SalesReportFactory(shop=shop, month=datetime.date(2025, 12, 1), sales=Decimal("20"))
    SalesReportFactory(shop=other, month=datetime.date(2026, 1, 1), sales=Decimal("3"))
    for table, figures in (
        ("merchants_villagemonthsales", sales.by_village),
        ("merchants_categorymonthsales", sales.by_category_and_month),
    ):
        cache.clear()
        cold, cold_reads = reads(table, figures)
        warm, warm_reads = reads(table, figures)
        assert len(cold_reads) == len(warm_reads) == 1
        assert "\"month\" >= '2025-02-01'" in cold_reads[0]  # the whole range at once
        assert f"\"month\" >= '{cutoff}'" in warm_reads[0]  # the open months alone
        assert cold == warm
    assert sales.by_village(first=datetime.date(2025, 2, 1), last=datetime.date(2026, 1, 1), today=today) == {
        village.pk: (Decimal("123.00"), 2)
    }
    by_month = sales.by_category_and_month(first=datetime.date(2025, 2, 1), last=datetime.date(2026, 1, 1), today=today)
    assert {month: amount for (_category, month), (amount, _merchants) in by_month.items()} == {
        datetime.date(2025, 10, 1): Decimal("100"),
        datetime.date(2025, 12, 1): Decimal("20"),
        datetime.date(2026, 1, 1): Decimal("3"),
    }
