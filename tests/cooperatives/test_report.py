"""The poverty-alleviation report against figures computed by hand, its XLSX in the county's
layout read back, its place on the county dashboard, and the query counts of the ledger and
report pages at county scale."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from core import cache_families
from incubator.cooperatives.models import Household, InputGiven, Membership, Purchase
from incubator.cooperatives.selectors.report import poverty_report
from incubator.cooperatives.services import ledger
from incubator.merchants.models import CountyTargets
from incubator.merchants.selectors.dashboard import township_table
from tests.factories import OfficeFactory, TownshipFactory, VillageFactory
from tests.merchants.factories import CooperativeFactory, make_profile

from .factories import member

pytestmark = pytest.mark.django_db
D = Decimal


def buy(coop, household, amount, day=datetime.date(2025, 6, 1), **kwargs):
    return ledger.record_purchase(
        cooperative=coop,
        household=household,
        product="土鸡蛋",
        quantity=D(10),
        unit="kg",
        amount=D(amount),
        bought_on=day,
        **kwargs,
    )


@pytest.fixture
def county():
    """Townships A and B with cooperatives, C without. Year 2025, by hand:

    X (A): h1 poor since 2016, h2 poor only since 2026, h3 not poor, h4 poor but gone in 2024.
    Y (A): h1 again, and h5 poor.  Z (B): h6 poor, h7 not poor.
    """
    a = TownshipFactory(code="a-town", name="甲镇")
    b = TownshipFactory(code="b-town", name="乙镇")
    c = TownshipFactory(code="c-town", name="丙镇")
    CooperativeFactory(township=c, name="丙镇新合作社", founded_on=datetime.date(2026, 1, 1))
    va, vb = VillageFactory(township=a), VillageFactory(township=b)
    leader = make_profile(stage="merchant", village=va).user
    x = CooperativeFactory(township=a, name="甲镇土鸡合作社", leader=leader)
    y = CooperativeFactory(township=a, name="甲镇脐橙合作社")
    z = CooperativeFactory(township=b, name="乙镇茶叶合作社")
    h1 = member(x, poor=True, poor_since=datetime.date(2016, 5, 1), village=va)
    h2 = member(x, poor=True, poor_since=datetime.date(2026, 3, 1), village=va)
    h3 = member(x, village=va)
    h4 = member(x, poor=True, village=va, joined_on=datetime.date(2024, 1, 1), left_on=datetime.date(2024, 12, 31))
    Membership.objects.create(cooperative=y, household=h1, joined_on=datetime.date(2025, 3, 1))
    h5 = member(y, poor=True, village=va)
    h6 = member(z, poor=True, village=vb)
    h7 = member(z, village=vb)
    buy(x, h1, "100")
    buy(x, h1, "50.50")
    wrong = buy(x, h1, "999")
    ledger.correct_entry(kind="purchase", entry=wrong, reason="记重了", quantity=D(0), amount=D(0))
    buy(x, h2, "200")
    buy(x, h3, "300")
    buy(x, h4, "1000", day=datetime.date(2024, 6, 1))  # another year
    ledger.declare_dividend(
        cooperative=x, year=2025, total=D("60.00"), rule="per_share", paid_on=datetime.date(2026, 1, 10)
    )
    buy(y, h1, "40")
    buy(y, h5, "70")
    buy(z, h6, "500")
    buy(z, h7, "80")
    ledger.record_input(
        cooperative=x,
        household=h1,
        item="鸡苗",
        quantity=D(70),
        unit="piece",
        value=D("245.00"),
        given_on=datetime.date(2025, 3, 10),
    )
    return {"a": a, "b": b, "x": x, "y": y, "z": z, "h": [h1, h2, h3, h4, h5, h6, h7]}


def figures(f):
    return (f.households, f.poor_households, f.income_to_poor, f.income, f.average_gain_per_poor)


def test_the_report_against_figures_computed_by_hand(county):
    report = poverty_report(year=2025)
    a, b, c = report.townships
    x, y = a.cooperatives
    # X: h1 h2 h3 linked; only h1 poor in 2025; h1 got 100 + 50.50 + 20 (dividend), the corrected
    # 999 counts nothing; h2 and h3 got 200 + 20 and 300 + 20.
    assert figures(x.figures) == (3, 1, D("170.50"), D("710.50"), D("170.50"))
    assert figures(y.figures) == (2, 2, D("110.00"), D("110.00"), D("55.00"))
    # A counts h1 once: h1 h2 h3 h5, poor h1 h5.
    assert figures(a.totals) == (4, 2, D("280.50"), D("820.50"), D("140.25"))
    assert figures(b.totals) == (2, 1, D("500.00"), D("580.00"), D("500.00"))
    assert figures(c.totals) == (0, 0, D("0"), D("0"), D("0"))
    assert figures(report.totals) == (6, 3, D("780.50"), D("1400.50"), D("260.17"))
    # Coverage: a cooperative in each township, met in A and B, not in C (whose cooperative was
    # founded only in 2026: it covers C from that year).
    assert [t.covered for t in report.townships] == [True, True, False]
    assert report.townships_covered == 2 and report.cooperative_count == 3
    assert [t.covered for t in poverty_report(year=2026).townships] == [True, True, True]
    # 2024: only h4 was linked then (and h1's cooperative X had no other members yet).
    last_year = poverty_report(year=2024)
    assert figures(last_year.totals) == (1, 1, D("1000.00"), D("1000.00"), D("1000.00"))
    # One township only.
    only_b = poverty_report(year=2025, township=county["b"])
    assert [t.township for t in only_b.townships] == [county["b"]]
    assert figures(only_b.totals) == figures(b.totals)


def test_the_dashboards_township_table_counts_poor_households_from_the_register(county):
    """Today (after 2026-03-01) h2 is registered poor too; h1 is in two cooperatives of A."""
    rows, totals = township_table()
    by_code = {row.township.code: row for row in rows}
    assert (by_code["a-town"].cooperatives, by_code["a-town"].poor_households) == (2, 3)  # h1 h2 h5
    assert (by_code["b-town"].cooperatives, by_code["b-town"].poor_households) == (1, 1)
    assert by_code["c-town"].poor_households == 0 and totals.poor_households == 4


def test_the_xlsx_in_the_county_report_layout(county, client):
    client.force_login(OfficeFactory())
    response = client.get(reverse("cooperatives_admin:report"), {"year": "2025", "export": "xlsx"})
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    workbook = load_workbook(io.BytesIO(response.content))
    with translation.override("zh-hans"):  # the office's language
        met, not_met, total, cooperative = (gettext(s) for s in ("met", "not met", "Total", "Cooperative"))
    assert workbook.sheetnames[1:] == ["甲镇", "乙镇", "丙镇"]
    summary = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    assert summary[1] == ["甲镇", 2, met, 4, 2, 280.5, 140.25, 820.5]
    assert summary[3][:3] == ["丙镇", 0, not_met]
    assert summary[-1][1:] == [3, "2/3", 6, 3, 780.5, 260.17, 1400.5]
    a = [list(row) for row in workbook["甲镇"].iter_rows(values_only=True)]
    assert [row[0] for row in a[1:]] == ["甲镇土鸡合作社", "甲镇脐橙合作社", total]
    assert a[1][2:] == [3, 1, 170.5, 170.5, 710.5]
    assert a[-1][2:] == [4, 2, 280.5, 140.25, 820.5]  # distinct households, not the sum of the rows
    assert [row[0] for row in workbook["丙镇"].iter_rows(values_only=True)] == [cooperative, total]


def poverty_section(response) -> str:
    """The poverty-alleviation section of the county dashboard, as rendered (and kept)."""
    [html] = [s["html"] for _order, _t, s in response.context["sections"] if 'id="poverty-heading"' in s["html"]]
    return html


def test_the_county_dashboard_shows_the_figures_and_the_target(county, client):
    targets = CountyTargets.load()
    targets.programme_start = datetime.date(2025, 1, 1)  # so that the filter offers 2025
    targets.poor_households_target = 40
    targets.save()
    client.force_login(OfficeFactory())
    response = client.get(reverse("merchants_admin:dashboard"), {"year": "2025"})
    assert response.status_code == 200
    html = poverty_section(response)
    with translation.override("zh-hans"):
        label = gettext("Registered poor households linked")
    assert f"<span>{label}</span>" in html
    assert "<strong>4</strong>" in html  # linked today, against the target of 40
    assert 'aria-valuenow="10"' in html  # 4 of 40
    assert reverse("cooperatives_admin:report") in response.text


def test_the_dashboards_poverty_section_is_rendered_again_when_the_ledger_changes_only(county, client):
    """Kept under its own family (POVERTY_REPORT): a change the report reads shows at once; a sales
    report, which drops the rest of the dashboard, leaves it as rendered."""
    from tests.merchants.factories import SalesReportFactory, ShopFactory

    targets = CountyTargets.load()
    targets.programme_start = datetime.date(2025, 1, 1)  # so that the filter offers 2025
    targets.save()
    shop = ShopFactory()
    client.force_login(OfficeFactory())
    url = reverse("merchants_admin:dashboard")
    first = poverty_section(client.get(url, {"year": "2025"}))
    report = client.get(reverse("cooperatives_admin:report"), {"year": "2025"}).context["report"]
    assert f">{report.totals.income_to_poor}<" in first
    dashboard = cache_families.generation(cache_families.COUNTY_DASHBOARD)
    SalesReportFactory(shop=shop, month=datetime.date(2025, 3, 1))
    cache_families._forget_generations()
    assert cache_families.generation(cache_families.COUNTY_DASHBOARD) != dashboard
    with CaptureQueriesContext(connection) as queries:
        assert poverty_section(client.get(url, {"year": "2025"})) == first
    # Not computed again: no read of the cooperatives' tables.
    assert not [q for q in queries if re.search(r'(FROM|JOIN) "cooperatives_', q["sql"])]
    buy(county["z"], county["h"][5], "1.25")
    changed = poverty_section(client.get(url, {"year": "2025"}))
    assert changed != first
    assert "781.75" in changed


def test_the_report_is_cached_until_the_ledger_changes(county, client, django_assert_max_num_queries):
    client.force_login(OfficeFactory())
    url = reverse("cooperatives_admin:report")
    client.get(url, {"year": "2024"})  # the session, the filter's choices and the targets
    first = client.get(url, {"year": "2025"}).context["report"]
    with django_assert_max_num_queries(QUERIES_REPORT_CACHED):
        again = client.get(url, {"year": "2025"})
    assert again.context["report"] == first
    buy(county["z"], county["h"][5], "1.25")
    changed = client.get(url, {"year": "2025"}).context["report"]
    assert changed.totals.income_to_poor == D("781.75")
    # A dividend payment written in bulk drops it as well.
    before = cache_families.generation(cache_families.POVERTY_REPORT)
    ledger.declare_dividend(
        cooperative=county["z"], year=2025, total=D("10.00"), rule="per_share", paid_on=datetime.date(2026, 1, 5)
    )
    cache_families._forget_generations()
    assert cache_families.generation(cache_families.POVERTY_REPORT) != before


# --- query counts at county scale -----------------------------------------------------------------


def _county_scale(*, townships: int, households: int):
    """`townships` townships, one cooperative each with `households` member households, half of
    them registered poor, each paid once and given inputs once (rows written in bulk)."""
    day = datetime.date(2025, 5, 5)
    cooperatives = []
    for n in range(townships):
        township = TownshipFactory(code=f"scale-{townships}-{n}")
        village = VillageFactory(township=township)
        coop = CooperativeFactory(township=township)
        cooperatives.append(coop)
        with cache_families.bulk_write(Household, Membership, Purchase, InputGiven):
            made = Household.objects.bulk_create(
                Household(head_name=f"户{n}-{i}", village=village, is_registered_poor=i % 2 == 0)
                for i in range(households)
            )
            Membership.objects.bulk_create(
                Membership(cooperative=coop, household=h, joined_on=datetime.date(2025, 1, 1)) for h in made
            )
            Purchase.objects.bulk_create(
                Purchase(cooperative=coop, household=h, product="蛋", quantity=1, unit="kg", amount=10, bought_on=day)
                for h in made
            )
            InputGiven.objects.bulk_create(
                InputGiven(cooperative=coop, household=h, item="苗", quantity=1, unit="piece", value=3, given_on=day)
                for h in made
            )
    return cooperatives


# The session, the person with their groups and permissions (one query: core/backends.py; on the
# admin's pages, the report and the households' income, one more: Wagtail's own rows of them), the
# cache generations, the targets, ... and then: the ledger's cooperative, members, three
# incomes, five kinds of entries; the report's three grouped queries (the cooperatives, their
# memberships, the purchases' and dividends' sums in one; the townships come with the filter's
# choices: core.choices.townships); a page of households, its memberships and three incomes.
QUERIES_LEDGER = 13  # with the year's sales through the members' shops (one sum)
QUERIES_REPORT = 8
QUERIES_REPORT_CACHED = 5
QUERIES_HOUSEHOLD_INCOME = 10
QUERIES_HOUSEHOLD = 11
QUERIES_LIST = 4


def test_ledger_and_report_pages_do_not_grow_with_the_county(client):
    """A small county, then the whole county (30 townships, 1,200 households): the same queries."""
    client.force_login(OfficeFactory())
    counts = []
    for townships, households in ((2, 3), (30, 40)):
        coop = _county_scale(townships=townships, households=households)[0]
        seen = []
        household = coop.memberships.order_by("pk").first().household_id
        for url in (
            reverse("cooperatives:ledger", kwargs={"pk": coop.pk}),
            reverse("cooperatives_admin:report"),
            reverse("cooperatives_admin:household_income"),
            reverse("cooperatives:household", kwargs={"pk": coop.pk, "household_pk": household}),
            reverse("cooperatives:list"),
        ):
            client.get(url, {"year": "2024"})  # the filter's choices (new townships), the targets
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, {"year": "2025"})
            assert response.status_code == 200
            seen.append(len(queries))
        counts.append(seen)
    income_page = client.get(reverse("cooperatives_admin:household_income"), {"year": "2025"})
    assert income_page.context["page_obj"].paginator.count == 2 * 3 + 30 * 40
    assert counts[0] == counts[1], counts
    assert counts[1] == [QUERIES_LEDGER, QUERIES_REPORT, QUERIES_HOUSEHOLD_INCOME, QUERIES_HOUSEHOLD, QUERIES_LIST]
