"""The county dashboard: every figure against one computed by hand from the fixture below."""

import contextlib
import datetime
from decimal import Decimal

import pytest

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from core import cache_families
from incubator.merchants import dashboard_cache, periods
from incubator.merchants.models import CountyTargets
from incubator.merchants.selectors.dashboard import (
    cohort_completion,
    county_kpis,
    county_monthly_sales,
    funnel,
    mentor_load,
    township_table,
)
from tests.factories import MentorFactory, OfficeFactory, TownshipFactory, TraineeFactory, VillageFactory
from tests.pages_factories import RecruitmentCampaignPageFactory

from .factories import CooperativeFactory, SalesReportFactory, ShopFactory, make_cohort, make_profile

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 7, 15)


@pytest.fixture
def county():
    """Township A: a merchant, a dormant merchant, a trainee, a graduate. Township B: a merchant, an applicant."""
    from incubator.recruitment.models import Application
    from mentors.models import MentorAssignment, MentorProfile

    a, b = TownshipFactory(code="a-town", name="甲镇"), TownshipFactory(code="b-town", name="乙镇")
    a1, a2, b1 = VillageFactory(township=a), VillageFactory(township=a), VillageFactory(township=b)
    cohort = make_cohort(name="2025年春季班", starts_on=datetime.date(2025, 3, 1))
    p1 = make_profile(cohort=cohort, stage="merchant", village=a1)
    p2 = make_profile(cohort=cohort, stage="dormant", village=a1)
    p3 = make_profile(cohort=cohort, stage="trainee", village=a2)
    make_profile(cohort=cohort, stage="graduate", village=a2, poor_household=True)
    p5 = make_profile(cohort=cohort, stage="merchant", village=b1)
    p6 = make_profile(cohort=None, stage="applicant", village=b1)
    campaign = RecruitmentCampaignPageFactory()
    for profile, status in [(p1, "accepted"), (p5, "accepted"), (p6, "submitted")]:
        Application.objects.create(
            campaign=campaign,
            applicant=profile.user,
            real_name="某某",
            phone="+8613800000000",
            village=profile.village,
            status=status,
        )
    shop1 = ShopFactory(owner=p1.user)
    SalesReportFactory(shop=shop1, month=datetime.date(2025, 1, 1), sales=Decimal("1000"), orders=10)
    SalesReportFactory(shop=shop1, month=datetime.date(2025, 11, 1), sales=Decimal("5000"), orders=40)
    SalesReportFactory(shop=shop1, month=datetime.date(2026, 1, 1), sales=Decimal("2000"), orders=20)
    SalesReportFactory(
        shop=ShopFactory(owner=p2.user), month=datetime.date(2024, 12, 1), sales=Decimal("700"), orders=7
    )
    SalesReportFactory(
        shop=ShopFactory(owner=p5.user), month=datetime.date(2025, 11, 1), sales=Decimal("300.50"), orders=3
    )
    # Their households (and so the poor households linked) are in the register: tests/cooperatives.
    CooperativeFactory(township=a, leader=p1.user)
    CooperativeFactory(township=a)
    CooperativeFactory(township=b)
    mentor = MentorFactory(real_name="覃志刚")
    MentorProfile.objects.create(user=mentor, capacity=4)
    MentorAssignment.objects.create(mentor=mentor, trainee=p1.user)
    MentorAssignment.objects.create(mentor=mentor, trainee=p3.user)
    MentorAssignment.objects.create(
        mentor=mentor, trainee=p2.user, started_at=timezone.now() - datetime.timedelta(days=90), ended_at=timezone.now()
    )
    targets = CountyTargets.load()
    targets.programme_start = datetime.date(2025, 1, 1)
    targets.merchants_target = 36
    targets.merchants_deadline = datetime.date(2027, 12, 31)
    targets.sales_target = Decimal("36000")
    targets.sales_deadline = datetime.date(2027, 12, 31)
    targets.ecommerce_villages_target = 5
    targets.ecommerce_village_min_merchants = 1
    targets.cooperatives_per_township = 1
    targets.save()
    return {"a": a, "b": b, "cohort": cohort, "mentor": mentor}


def test_key_figures_against_targets(county):
    kpis = {k.key: k for k in county_kpis(targets=CountyTargets.load(), today=TODAY)}
    assert kpis["merchants"].value == 3  # two merchants and one dormant
    # 36 over the 36 months 2025-01..2027-12; July 2026 is month 19: 19 expected by now.
    assert kpis["merchants"].expected_now == 19
    assert kpis["merchants"].needed_per_month == 2  # (36 - 3) over the 17 months left, rounded up
    assert kpis["merchants"].percent == 8 and not kpis["merchants"].on_track
    assert kpis["sales"].value == Decimal("8300.50")  # the December 2024 report is before the start
    assert kpis["villages"].value == 2  # villages with at least one active merchant
    assert (kpis["cooperatives"].value, kpis["cooperatives"].target) == (2, 2)


def test_the_funnel(county):
    assert [(key, value) for key, _label, value in funnel()] == [
        ("applicants", 6),  # every person with a profile; p2, p3 and p4 were added without applying
        ("accepted", 5),  # the accepted applications' people and everyone a cohort took
        ("trainees", 5),
        ("graduates", 4),
        ("active", 2),
    ]
    assert [value for _k, _l, value in funnel(township=county["b"])] == [2, 1, 1, 1, 1]
    assert [value for _k, _l, value in funnel(year=2024)] == [0, 0, 0, 0, 0]


def test_the_township_table(county):
    rows, totals = township_table()
    by_code = {row.township.code: row for row in rows}
    a, b = by_code["a-town"], by_code["b-town"]
    assert (a.trainees, a.graduates, a.active_merchants, a.sales, a.cooperatives, a.poor_households) == (
        4,
        3,
        1,
        Decimal("8700"),
        2,
        0,
    )
    assert (b.trainees, b.graduates, b.active_merchants, b.sales, b.cooperatives, b.poor_households) == (
        1,
        1,
        1,
        Decimal("300.50"),
        1,
        0,
    )
    assert (totals.trainees, totals.sales, totals.poor_households) == (5, Decimal("9000.50"), 0)
    rows, _totals = township_table(year=2025)
    assert [row.sales for row in rows] == [Decimal("6000"), Decimal("300.50")]


def test_monthly_sales_and_cohorts_and_mentors(county):
    months = county_monthly_sales(year=2025, today=TODAY)
    assert len(months) == 12
    assert months[0].sales == Decimal("1000") and months[10].sales == Decimal("5300.50") and months[10].orders == 43
    assert sum(point.sales for point in months) == Decimal("6300.50")
    cohort = cohort_completion()[0]
    assert (cohort.members, cohort.graduates, cohort.rate) == (5, 4, 80)
    mentor = mentor_load()[0]
    assert (mentor.user, mentor.current, mentor.capacity, mentor.load) == (county["mentor"], 2, 4, 50)


def test_the_dashboard_is_for_the_office_only(client, county):
    url = reverse("merchants_admin:dashboard")
    client.force_login(TraineeFactory())
    assert client.get(url).status_code == 302  # no admin access at all
    client.force_login(MentorFactory(is_staff=True))
    assert client.get(url).status_code == 302  # no admin access: Wagtail sends them to its login
    client.force_login(OfficeFactory())
    response = client.get(url)
    assert response.status_code == 200
    assert "甲镇" in response.text and "<svg" in response.text


def test_every_table_downloads_as_csv(client, county):
    client.force_login(OfficeFactory())
    url = reverse("merchants_admin:dashboard")
    response = client.get(url, {"table": "townships", "year": "2025"})
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert (
        text.splitlines()[0] == "乡镇,学员,结业学员,活跃网商,已核实销售额（元）,已上报、待核实（元）,合作社,带动脱贫户"
    )
    assert "甲镇,4,3,1,6000.00,0.00,2,0" in text  # no household in the register here
    for table in ["kpis", "funnel", "monthly", "cohorts", "mentors"]:
        assert client.get(url, {"table": table}).status_code == 200


def test_a_heavy_export_is_built_by_a_task_and_offered_for_download(client, county, django_capture_on_commit_callbacks):
    from core.models import Export

    office = OfficeFactory()
    client.force_login(office)
    assert 'name="table"' in client.get(reverse("merchants_admin:dashboard")).text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exports:request"), {"table": "sales_reports", "year": "2025"})
    assert response.status_code == 302
    export = Export.objects.get()
    assert export.status == "ready" and export.written == 3
    response = client.get(reverse("exports:index"))
    assert reverse("exports:download", args=[export.pk]) in response.text
    response = client.get(reverse("exports:download", args=[export.pk]))
    assert "300.50" in b"".join(response.streaming_content).decode("utf-8-sig")
    client.force_login(OfficeFactory())  # another person's export is not theirs to take
    assert client.get(reverse("exports:download", args=[export.pk])).status_code == 404


def test_the_dashboard_queries_do_not_grow_with_merchants_or_reports(client, county, django_assert_num_queries):
    client.force_login(OfficeFactory())
    url = reverse("merchants_admin:dashboard")
    dashboard_after_a_change(client, url, django_assert_num_queries)
    for _ in range(6):
        profile = make_profile(cohort=county["cohort"], stage="merchant", village=VillageFactory(township=county["b"]))
        shop = ShopFactory(owner=profile.user)
        for month in range(1, 13):
            SalesReportFactory(shop=shop, month=datetime.date(2025, month, 1))
    TownshipFactory.create_batch(3)
    assert dashboard_after_a_change(client, url, django_assert_num_queries).status_code == 200


def dashboard_after_a_change(client, url, django_assert_num_queries):
    client.get(url)  # what does not change with the figures (permissions, the township list) is cached
    cache_families.bump(cache_families.COUNTY_DASHBOARD)  # as every sales report, stage change or application does
    with django_assert_num_queries(QUERIES_DASHBOARD):
        return client.get(url, {"year": "2025"})


def test_a_change_of_the_people_shows_on_the_next_look_a_sales_report_does_not_recount_them(client, county):
    """The figures no sales report changes are kept under COUNTY_PEOPLE: a sales report's miss
    reads only the sales again, and a change of a person's stage drops them too."""
    from incubator.recruitment.services.trainees import change_stage

    client.force_login(OfficeFactory())
    url = reverse("merchants_admin:dashboard")
    client.get(url, {"year": "2025"})
    graduates = funnel_counts(client.get(url, {"year": "2025"}))["graduates"]
    profile = county["cohort"].trainees.filter(stage="trainee").first()
    change_stage(profile=profile, to="graduate")  # as the office's graduation does
    with counted_queries() as people_changed:
        assert client.get(url, {"year": "2025"}).status_code == 200
    assert funnel_counts(client.get(url, {"year": "2025"}))["graduates"] == graduates + 1
    cache_families.bump(cache_families.COUNTY_DASHBOARD)  # a sales report: the people stay kept
    with counted_queries() as sales_changed:
        client.get(url, {"year": "2025"})
    assert len(people_changed) == len(sales_changed) + QUERIES_PEOPLE
    assert len(sales_changed) <= QUERIES_DASHBOARD


def test_the_cohort_and_mentor_tables_are_rendered_again_for_their_people_not_for_a_sales_report(client, county):
    """Their HTML is kept under COUNTY_PEOPLE: a sales report's miss renders only the figures,
    a change of a mentor's capacity or a graduation shows in the tables on the next look."""
    from incubator.recruitment.services.trainees import change_stage
    from mentors.models import MentorProfile

    client.force_login(OfficeFactory())
    url = reverse("merchants_admin:dashboard")
    people = "merchants/admin/dashboard_people.html"
    assert people in template_names(client.get(url, {"year": "2025"}))
    cache_families.bump(cache_families.COUNTY_DASHBOARD)  # a sales report
    response = client.get(url, {"year": "2025"})
    assert people not in template_names(response)
    assert "merchants/admin/dashboard_figures.html" in template_names(response)
    mentor = MentorProfile.objects.get(user=county["mentor"])
    mentor.capacity = 9
    mentor.save()
    response = client.get(url, {"year": "2025"})
    assert people in template_names(response)
    assert '<td class="num">9</td>' in response.content.decode()
    cohort = county["cohort"]
    before = cohort.trainees.filter(stage__in=["graduate", "merchant"]).count()
    change_stage(profile=cohort.trainees.filter(stage="trainee").first(), to="graduate")
    page = client.get(url, {"year": "2025"}).content.decode()
    assert f'<td class="num">{before + 1}</td>' in page


def template_names(response) -> list[str]:
    return [template.name for template in response.templates]


@contextlib.contextmanager
def counted_queries():
    """The statements sent while inside (Django's query log is full after the county's set-up)."""
    sent = []
    with connection.execute_wrapper(lambda execute, sql, *args: sent.append(sql) or execute(sql, *args)):
        yield sent


def funnel_counts(response) -> dict:
    return {key: value for key, _label, value in response.context["data"].funnel}


def test_the_admin_home_shows_the_summary_to_the_office(client, county):
    client.force_login(OfficeFactory())
    response = client.get(reverse("wagtailadmin_home"))
    assert "全县成果" in response.text
    assert "已孵化网商" in response.text


# A look from the cache: 5 queries, the person (their row with their roles, permissions and
# second factor: core/backends.py; then what Wagtail's admin asks of them, its user profile and
# page and collection permissions, in one: core/person.py), Wagtail's locales, the targets and the cache families'
# generations; the figures and the sections of the apps above (villages, pavilion)
# come rendered from the cache (dashboard_cache.rendered, .section).
QUERIES_DASHBOARD_CACHED = 5
# After a sales report (COUNTY_DASHBOARD dropped): 1 the dashboard's own, the sales by township
# and month (the people, cooperatives, townships, cohorts and mentors are kept under
# COUNTY_PEOPLE and the filter's years under CLOSED_SALES, which no open month's report drops);
# the villages' section on a miss in QUERIES_SECTIONS whatever the data (the villages' targets,
# their sales, the villages, the product categories' sales and names; the stations' records and
# the campaigns are kept under VILLAGE_FIGURES; the pavilion's section under PAVILION_FIGURES),
# the poverty-alleviation section (incubator.cooperatives) its report's three grouped queries on
# a miss of its own family (the cooperatives, their memberships, the purchases' and dividends'
# sums in one; the townships are the filter's, core.choices.townships).
QUERIES_SECTIONS = 5
QUERIES_POVERTY = 3
QUERIES_DASHBOARD = QUERIES_DASHBOARD_CACHED + 1 + QUERIES_SECTIONS + QUERIES_POVERTY
# After a change of the people as well (a stage, an application, a mentor): their four queries
# (people, cooperatives; cohorts; mentors) again (the townships come with the filter's choices).
QUERIES_PEOPLE = 4
# After a change of a station, a campaign or a place: the stations' records (the villages with
# their first openings, and the records' one query) and the campaigns (one; with campaigns
# started, their figures and shops in one query each whatever their number) again.
QUERIES_VILLAGE_FIGURES = 3


def test_a_second_look_at_the_dashboard_comes_from_the_cache_until_a_report_changes(
    client, county, django_assert_max_num_queries
):
    client.force_login(OfficeFactory())
    url = reverse("merchants_admin:dashboard")
    first = client.get(url, {"year": "2025"})
    with django_assert_max_num_queries(QUERIES_DASHBOARD_CACHED):
        again = client.get(url, {"year": "2025"})
    assert again.context["data"] == first.context["data"]
    profile = make_profile(cohort=county["cohort"], stage="merchant", village=VillageFactory(township=county["b"]))
    SalesReportFactory(shop=ShopFactory(owner=profile.user), month=datetime.date(2025, 3, 1), sales=123456)
    # + the township filter's choices: the new village dropped the CHOICES family; + the poor
    # households linked today (the new person dropped the POVERTY_REPORT family); + the people
    # and the villages' figures (a new person and a new village)
    with django_assert_max_num_queries(QUERIES_DASHBOARD + 2 + QUERIES_PEOPLE + QUERIES_VILLAGE_FIGURES):
        changed = client.get(url, {"year": "2025"})
    assert changed.context["data"].totals != first.context["data"].totals


# --- The sales of months closed for edits, cached on their own -----------------------------------


def township_sales(today):
    figures = dashboard_cache.county_figures(today=today)
    rows, _totals = township_table(figures=figures)
    return {row.township.code: row.sales for row in rows}


def test_closed_months_come_from_the_cache_and_open_months_from_the_database(county, django_assert_num_queries):
    today = datetime.date(2026, 1, 20)  # December 2025 is still open for edits, November is closed
    assert dashboard_cache.closed_months_cutoff(today) == datetime.date(2026, 1, 1)
    assert township_sales(today) == {"a-town": Decimal("8700.00"), "b-town": Decimal("300.50")}
    shop = county["cohort"].trainees.get(stage="merchant", village__township=county["b"]).user.shops.get()
    # A report of the open month is read from the database on the next miss...
    SalesReportFactory(shop=shop, month=datetime.date(2026, 1, 1), sales=Decimal("99.50"), orders=1)
    # the generations of the two families it reads (outside a request each is read on its own)
    # and the open months' sales: the people, cooperatives and townships are kept under
    # COUNTY_PEOPLE, which no sales report drops
    with django_assert_num_queries(3):
        assert township_sales(today)["b-town"] == Decimal("400.00")


def test_a_closed_month_corrected_in_the_admin_drops_the_cached_months(county):
    from incubator.merchants.models import SalesReport

    today = datetime.date(2026, 7, 15)
    township_sales(today)  # everything before July 2026 is now cached
    report = SalesReport.objects.get(month=datetime.date(2025, 11, 1), sales=Decimal("300.50"))
    report.sales = Decimal("1300.50")
    report.save()  # as the admin's snippet editor does, outside the services
    assert township_sales(today)["b-town"] == Decimal("1300.50")
    report.delete()
    assert township_sales(today)["b-town"] == Decimal("0.00")


def test_a_merchant_who_moves_takes_their_past_sales_to_the_new_township(county):
    today = datetime.date(2026, 7, 15)
    assert township_sales(today) == {"a-town": Decimal("8700.00"), "b-town": Decimal("300.50")}
    profile = county["cohort"].trainees.get(stage="dormant")
    profile.village = VillageFactory(township=county["b"])
    profile.save(update_fields=["village"])
    assert township_sales(today) == {"a-town": Decimal("8000.00"), "b-town": Decimal("1000.50")}


def reports_awaiting(county):
    """Beside the county's verified months: one pending, one flagged, one sent back."""
    from incubator.merchants.models import SalesReport, Shop

    shop1 = Shop.objects.get(
        owner__trainee_profile__stage="merchant", owner__trainee_profile__village__township=county["a"]
    )
    shop5 = Shop.objects.get(owner__trainee_profile__village__township=county["b"])
    Status = SalesReport.Status
    pending = SalesReportFactory(
        shop=shop1,
        month=datetime.date(2025, 12, 1),
        sales=Decimal("1234.50"),
        orders=12,
        status=Status.PENDING,
        verified_at=None,
    )
    SalesReportFactory(
        shop=shop5,
        month=datetime.date(2026, 2, 1),
        sales=Decimal("99999"),
        orders=9,
        status=Status.FLAGGED,
        verified_at=None,
    )
    SalesReportFactory(
        shop=shop1,
        month=datetime.date(2026, 3, 1),
        sales=Decimal("777"),
        orders=7,
        status=Status.SENT_BACK,
        verified_at=None,
        sent_back_reason="金额不对",
    )
    return pending


def test_only_verified_months_count_and_the_awaiting_ones_are_shown_beside(county):
    reports_awaiting(county)
    kpis = {k.key: k for k in county_kpis(targets=CountyTargets.load(), today=TODAY)}
    assert kpis["sales"].value == Decimal("8300.50")  # unchanged: nothing unverified is mixed in
    assert kpis["sales"].awaiting == Decimal("101233.50")  # 1234.50 pending + 99999 flagged; sent back in neither
    assert kpis["sales"].percent == 23 and not kpis["sales"].on_track  # 8300.50 of 36000, pace from verified only
    rows, totals = township_table()
    by_code = {row.township.code: row for row in rows}
    assert (by_code["a-town"].sales, by_code["a-town"].awaiting_sales) == (Decimal("8700"), Decimal("1234.50"))
    assert (by_code["b-town"].sales, by_code["b-town"].awaiting_sales) == (Decimal("300.50"), Decimal("99999"))
    assert (totals.sales, totals.awaiting_sales) == (Decimal("9000.50"), Decimal("101233.50"))
    december = county_monthly_sales(year=2025, today=TODAY)[11]
    assert (december.sales, december.orders) == (Decimal("0"), 0)


def test_a_verification_moves_a_month_from_awaiting_to_the_figures_through_the_cache(client, county):
    from incubator.merchants.services.sales import verify_report

    pending = reports_awaiting(county)
    targets = CountyTargets.load()
    before = {k.key: k for k in dashboard_cache.county_dashboard(targets=targets).kpis}["sales"]
    verify_report(report=pending, by=OfficeFactory())
    after = {k.key: k for k in dashboard_cache.county_dashboard(targets=targets).kpis}["sales"]
    assert after.value - before.value == Decimal("1234.50")
    assert before.awaiting - after.awaiting == Decimal("1234.50")
    client.force_login(OfficeFactory())
    response = client.get(reverse("merchants_admin:dashboard"))
    assert "99,999" in response.text  # the flagged month, shown beside the verified figures


def test_the_csv_files_carry_the_awaiting_sums_beside_the_verified_ones(client, county):
    """What the page shows beside the verified figures is in its CSV files too, in a column of its
    own, never added in (by hand from `reports_awaiting`: 1,234.50 pending in December 2025 in
    甲镇, 99,999 flagged in February 2026 in 乙镇, 777 sent back in March 2026 in neither)."""
    import csv
    import io

    from django.utils import translation
    from django.utils.translation import gettext as _

    reports_awaiting(county)
    client.force_login(OfficeFactory())
    url = reverse("merchants_admin:dashboard")

    def table(name, **filters):
        response = client.get(url, {"table": name, **filters})
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))

    kpis = table("kpis")
    assert kpis[0][-1] == "已上报、待核实（元）"
    [sales] = [row for row in kpis[1:] if row[1] == "8300.50"]  # the verified sales since the start
    assert sales[-1] == "101233.50"
    townships = {row[0]: row for row in table("townships")[1:]}
    assert townships["甲镇"][4:6] == ["8700.00", "1234.50"]
    assert townships["乙镇"][4:6] == ["300.50", "99999.00"]
    months = {row[0]: row[1:] for row in table("monthly", year="2025")[1:]}
    with translation.override("zh-hans"):  # the two headers new with these columns, as translated
        new = [_("Verified orders"), _("Orders awaiting verification")]
    assert table("monthly", year="2025")[0] == ["月份", new[0], "已核实销售额（元）", new[1], "已上报、待核实（元）"]
    assert months["2025-11"] == ["43", "5300.50", "0", "0.00"]
    assert months["2025-12"] == ["0", "0.00", "12", "1234.50"]
    months = {row[0]: row[1:] for row in table("monthly", year="2026")[1:]}
    assert months["2026-02"] == ["0", "0.00", "9", "99999.00"]
    assert months["2026-03"] == ["0", "0.00", "0", "0.00"]  # sent back: in neither


def test_the_filters_years_are_kept_until_a_closed_months_report_moves_the_first_year(client, county):
    """The years start at the first reported month's year: kept under CLOSED_SALES when that month
    is closed for edits, so an open month's report does not read them again, and a report of an
    earlier closed month (the office's entry) shows its year on the next look."""
    from incubator.merchants.models import SalesReport

    targets = CountyTargets.load()
    shop = ShopFactory()
    client.force_login(OfficeFactory())
    url = reverse("merchants_admin:dashboard")
    first = SalesReport.objects.order_by("month").first().month
    years = client.get(url).context_data["form"].fields["year"].choices
    assert str(min(first.year, targets.programme_start.year)) in [str(value) for value, _label in years]
    SalesReportFactory(shop=shop, month=dashboard_cache.closed_months_cutoff(periods.today()))  # an open month
    with counted_queries() as queries:
        client.get(url)
    assert not [sql for sql in queries if "ORDER BY 1 ASC LIMIT 1" in sql and "merchants_salesreport" in sql]
    earlier = datetime.date(min(first.year, targets.programme_start.year) - 2, 5, 1)
    SalesReportFactory(shop=shop, month=earlier)  # a closed month: drops CLOSED_SALES
    years = [str(value) for value, _label in client.get(url).context_data["form"].fields["year"].choices]
    assert str(earlier.year) in years and str(earlier.year + 1) in years


def test_the_full_exports_form_keeps_the_filters_applied_without_reading_the_figures_again(client, county):
    client.force_login(OfficeFactory())
    url = reverse("merchants_admin:dashboard")
    township = county["b"]
    client.get(url, {"year": "2025", "township": township.code})
    with counted_queries() as queries:
        page = client.get(url, {"year": "2025", "township": township.code}).text
    form = page.split('action="' + reverse("exports:request") + '"')[1].split("</form>")[0]
    assert '<input type="hidden" name="year" value="2025">' in form
    assert f'<input type="hidden" name="township" value="{township.pk}">' in form
    assert len(queries) <= QUERIES_DASHBOARD_CACHED + 1  # + the township chosen, checked against the table
    unfiltered = client.get(url).text.split('action="' + reverse("exports:request") + '"')[1].split("</form>")[0]
    assert 'name="year"' not in unfiltered.split("<select")[0] and 'type="hidden" name="township"' not in unfiltered
