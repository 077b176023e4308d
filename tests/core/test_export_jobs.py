"""The office's tables as exports (core/export_jobs.py): every table is declared once, light ones
download from their listing with its filters, heavy ones are built in the background with their
progress, only for the office, in a number of queries that does not grow with the rows."""

import csv
import datetime
import io
import uuid
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from core import export_jobs
from core.models import Export
from tests.factories import MentorFactory, OfficeFactory, TownshipFactory, TraineeFactory, VillageFactory
from tests.merchants.factories import CooperativeFactory, SalesReportFactory, ShopFactory, make_cohort, make_profile

pytestmark = pytest.mark.django_db

TABLES = {"applications", "certificates", "checkins", "cooperatives", "mentors", "sales_reports", "shops", "trainees"}
BACKGROUND = {"applications", "sales_reports", "trainees"}
LISTINGS = {
    "shops": "wagtailsnippets_merchants_shop:list",
    "sales_reports": "wagtailsnippets_merchants_salesreport:list",
    "cooperatives": "wagtailsnippets_merchants_cooperative:list",
    "trainees": "wagtailsnippets_recruitment_traineeprofile:list",
    "mentors": "mentor_profiles:index",
    "checkins": "mentor_checkins:index",
    "certificates": "merchants_admin:certificates",
    "applications": "recruitment_admin:application_index",
}


def rows_of(content: bytes, export_format="csv") -> list[list]:
    if export_format == "xlsx":
        return [list(row) for row in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)]
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def office_client(client):
    client.force_login(OfficeFactory())
    return client


@pytest.fixture
def two_townships():
    """Two merchants in the north with two months each, one in the south with one month."""
    north, south = TownshipFactory(code="north"), TownshipFactory(code="south")
    cohort = make_cohort(starts_on=datetime.date(2025, 3, 1))
    reports = []
    for township, months in [(north, [1, 2]), (north, [3, 4]), (south, [5])]:
        profile = make_profile(cohort=cohort, stage="merchant", village=VillageFactory(township=township))
        shop = ShopFactory(owner=profile.user)
        for month in months:
            reports.append(SalesReportFactory(shop=shop, month=datetime.date(2025, month, 1), sales=Decimal(month)))
    return {"north": north, "south": south, "reports": reports}


def test_every_table_the_office_works_with_is_declared_once():
    tables = export_jobs.tables()
    assert set(tables) == TABLES
    assert {key for key, table in tables.items() if table.background} == BACKGROUND
    for table in tables.values():
        assert len(set(table.names)) == len(table.names), table.key
        assert table.permission, table.key


@pytest.mark.parametrize("key", sorted(TABLES))
def test_every_listing_offers_its_download(office_client, key):
    response = office_client.get(reverse(LISTINGS[key]))
    assert response.status_code == 200
    assert "export=csv" in response.text and "export=xlsx" in response.text


def test_a_light_listing_downloads_at_once_with_its_filters(office_client, two_townships):
    north_owner = two_townships["reports"][0].shop.owner
    response = office_client.get(reverse(LISTINGS["shops"]), {"township": two_townships["north"].pk, "export": "csv"})
    rows = rows_of(body(response))
    assert rows[0] == export_jobs.tables()["shops"].header()
    assert len(rows) == 3  # the two northern shops
    assert north_owner.display_name in {row[0] for row in rows[1:]}
    response = office_client.get(reverse(LISTINGS["shops"]), {"export": "xlsx"})
    assert len(rows_of(body(response), "xlsx")) == 4


def test_a_heavy_listing_is_built_in_the_background_with_its_filters(
    office_client, two_townships, django_capture_on_commit_callbacks
):
    url = reverse(LISTINGS["sales_reports"])
    with django_capture_on_commit_callbacks(execute=True):
        response = office_client.get(url, {"township": two_townships["north"].pk, "export": "xlsx", "p": "2"})
    assert response.status_code == 302 and response["Location"] == reverse("exports:index")
    export = Export.objects.get()
    assert (export.table, export.format, export.filters) == (
        "sales_reports",
        "xlsx",
        {"township": [str(two_townships["north"].pk)]},
    )
    assert (export.status, export.total, export.written, export.percent) == ("ready", 4, 4, 100)
    page = office_client.get(reverse("exports:index"))
    assert reverse("exports:download", args=[export.pk]) in page.text
    assert "Refresh" not in page.text and 'http-equiv="refresh"' not in page.text  # nothing left to wait for
    rows = rows_of(body(office_client.get(reverse("exports:download", args=[export.pk]))), "xlsx")
    assert sorted(row[0] for row in rows[1:]) == ["2025-01", "2025-02", "2025-03", "2025-04"]


def test_the_dashboard_asks_for_a_full_export_with_its_year_and_township(
    office_client, two_townships, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        office_client.post(
            reverse("exports:request"),
            {"table": "sales_reports", "year": "2025", "township": str(two_townships["south"].pk)},
        )
        office_client.post(reverse("exports:request"), {"table": "trainees", "year": "2024"})
    sales, trainees = Export.objects.order_by("pk")
    assert (sales.status, sales.written) == ("ready", 1)
    assert (trainees.status, trainees.written) == ("ready", 0)  # the cohort started in 2025


def test_progress_is_recorded_after_every_chunk_and_shown_while_it_runs(office_client, two_townships, settings):
    settings.EXPORT_CHUNK_ROWS = 2
    office = OfficeFactory()
    export = Export.objects.create(table="sales_reports", requested_by=office)
    seen = []
    real_progress = export_jobs._progress

    def watch(export_id, token, **fields):
        real_progress(export_id, token, **fields)
        seen.append(Export.objects.values_list("status", "written", "total").get(pk=export_id))

    export_jobs._progress, original = watch, export_jobs._progress
    try:
        assert export_jobs.build_export(export_id=export.pk)
    finally:
        export_jobs._progress = original
    assert seen == [("running", 0, 5), ("running", 2, 5), ("running", 4, 5)]
    running = Export.objects.create(table="trainees", requested_by=office, status="running", total=40, written=10)
    office_client.force_login(office)
    page = office_client.get(reverse("exports:index"))
    assert '<progress value="10" max="40">25%</progress>' in page.text
    assert '<meta http-equiv="refresh" content="3">' in page.text  # no script: the page asks again
    assert reverse("exports:download", args=[running.pk]) not in page.text


def test_a_second_run_changes_nothing_and_a_superseded_run_stops(two_townships):
    export = Export.objects.create(table="sales_reports", requested_by=OfficeFactory())
    assert export_jobs.build_export(export_id=export.pk)
    name = Export.objects.get(pk=export.pk).file.name
    assert not export_jobs.build_export(export_id=export.pk)  # finished: left as it is
    assert Export.objects.get(pk=export.pk).file.name == name
    # A run whose job another run took over (a redelivered task) writes nothing more.
    other = Export.objects.create(table="sales_reports", requested_by=export.requested_by)
    claimed = export_jobs._claim(other.pk, uuid.uuid4())
    Export.objects.filter(pk=other.pk).update(attempt=uuid.uuid4())
    with pytest.raises(export_jobs._Superseded):
        export_jobs._progress(other.pk, claimed.attempt, written=1)
    assert Export.objects.get(pk=other.pk).written == 0


def test_only_the_office_may_export_and_only_its_own_files(client, two_townships, django_capture_on_commit_callbacks):
    office = OfficeFactory()
    client.force_login(office)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("exports:request"), {"table": "sales_reports"})
    export = Export.objects.get()
    client.force_login(OfficeFactory())  # another person's file is not theirs to take
    assert client.get(reverse("exports:download", args=[export.pk])).status_code == 404
    # Staff without the office role never reach the exports (nor a heavy listing's download).
    client.force_login(MentorFactory(is_staff=True))
    assert client.get(reverse("exports:index")).status_code == 302
    assert client.post(reverse("exports:request"), {"table": "sales_reports"}).status_code == 302
    assert Export.objects.count() == 1
    with pytest.raises(PermissionDenied):
        export_jobs.request_export(table="sales_reports", by=TraineeFactory())
    # Someone who left the office between the request and the task gets no file.
    left = Export.objects.create(table="sales_reports", requested_by=TraineeFactory())
    assert not export_jobs.build_export(export_id=left.pk)
    left.refresh_from_db()
    assert left.status == "failed" and not left.file


def test_an_unknown_table_is_refused_with_a_message(office_client):
    response = office_client.post(reverse("exports:request"), {"table": "passwords"}, follow=True)
    assert str(export_jobs.UNKNOWN_TABLE) in response.text
    assert not Export.objects.exists()


def test_the_exports_page_does_not_grow_with_its_exports(office_client, django_assert_num_queries):
    """The office's exports (ready, running with progress, pending, failed) in a fixed number of
    queries, whatever their number and tables."""
    from django.contrib.auth import get_user_model

    office = get_user_model().objects.get(pk=office_client.session["_auth_user_id"])
    url = reverse("exports:index")

    def add(count):
        for n in range(count):
            table = sorted(TABLES)[n % len(TABLES)]
            Export.objects.create(table=table, requested_by=office, status="ready", total=3, written=3)
            Export.objects.create(table=table, requested_by=office, status="running", total=40, written=n)
            Export.objects.create(table=table, requested_by=office, status="pending")
            Export.objects.create(table=table, requested_by=office, status="failed")

    add(1)
    office_client.get(url)
    with django_assert_num_queries(QUERIES_EXPORTS_PAGE):
        page = office_client.get(url)
    assert len(page.context["exports"]) == 4
    add(5)
    with django_assert_num_queries(QUERIES_EXPORTS_PAGE):
        page = office_client.get(url)
    assert len(page.context["exports"]) == 24
    assert page.text.count("<progress ") == 6


QUERIES_EXPORTS_PAGE = 4


def build_queries(django_assert_num_queries, count):
    export = Export.objects.create(table="sales_reports", requested_by=OfficeFactory())
    with django_assert_num_queries(count):
        assert export_jobs.build_export(export_id=export.pk)
    return Export.objects.get(pk=export.pk).written


# The claim (savepoint, lock with the requester, update, release), the requester's roles and
# permissions (one query: core/person.py), the count and the total, the rows (one query, read
# `chunk` at a time), the finish (savepoint, lock, update, release) and the notification.
QUERIES_BUILD = 13
# Each chunk after the first: one progress UPDATE (and one query per prefetched relation; sales
# reports have none).
QUERIES_PER_CHUNK = 1


def test_a_background_export_reads_a_fixed_number_of_queries_per_chunk(
    two_townships, settings, django_assert_num_queries
):
    settings.EXPORT_CHUNK_ROWS = 1000
    assert build_queries(django_assert_num_queries, QUERIES_BUILD) == 5
    shop = two_townships["reports"][-1].shop
    for n in range(20):
        SalesReportFactory(shop=shop, month=datetime.date(2022 + n // 12, n % 12 + 1, 1))
    assert build_queries(django_assert_num_queries, QUERIES_BUILD) == 25  # five times the rows, same queries
    settings.EXPORT_CHUNK_ROWS = 10  # three chunks: two more than one
    assert build_queries(django_assert_num_queries, QUERIES_BUILD + 2 * QUERIES_PER_CHUNK) == 25


@pytest.mark.parametrize("key", ["shops", "cooperatives", "mentors", "checkins", "certificates"])
def test_a_listing_download_does_not_grow_with_its_rows(office_client, key, django_assert_max_num_queries):
    url = reverse(LISTINGS[key])
    office_client.get(url, {"export": "csv"})  # the filters' choice lists are cached from here on

    def download(count):
        with django_assert_max_num_queries(count) as captured:
            body(office_client.get(url, {"export": "csv"}))
        return len(captured)

    make_rows(key, 2)
    queries = download(40)
    make_rows(key, 6)
    assert download(queries) == queries


def make_rows(key, n):
    from incubator.merchants.models import Certificate
    from mentors.models import CheckIn, MentorProfile

    for _ in range(n):
        if key == "shops":
            ShopFactory(owner=make_profile(stage="merchant").user)
        elif key == "cooperatives":
            CooperativeFactory(leader=TraineeFactory())
        elif key == "mentors":
            profile = MentorProfile.objects.create(user=MentorFactory(), capacity=3)
            profile.townships.add(TownshipFactory())
        elif key == "checkins":
            CheckIn.objects.create(mentor=MentorFactory(), trainee=TraineeFactory(), notes="电话")
        elif key == "sales_reports":
            SalesReportFactory(shop=ShopFactory(owner=make_profile(stage="merchant").user))
        elif key == "trainees":
            make_profile(cohort=make_cohort(name=f"第{TraineeFactory().pk}期"), stage="trainee")
        elif key == "certificates":
            holder = TraineeFactory()
            Certificate.objects.create(
                holder=holder, holder_name=holder.real_name, cohort_name="第一期", issued_on=datetime.date(2026, 1, 1)
            )


@pytest.mark.parametrize(
    "key", ["shops", "sales_reports", "cooperatives", "trainees", "mentors", "checkins", "certificates"]
)
def test_the_listings_with_downloads_do_not_grow_with_their_rows(office_client, key, django_assert_max_num_queries):
    url = reverse(LISTINGS[key])
    make_rows(key, 2)
    office_client.get(url)  # the filters' choice lists are cached from here on

    def look(count):
        with django_assert_max_num_queries(count) as captured:
            assert office_client.get(url).status_code == 200
        return len(captured)

    queries = look(60)
    make_rows(key, 6)
    office_client.get(url)  # the new rows' villages dropped the cached choice lists: read them again
    assert look(queries) == queries


def test_old_exports_are_deleted_with_their_files_and_waiting_ones_are_kept(settings):
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from core.storage import private_storage

    settings.EXPORT_KEEP_DAYS = 7
    office = OfficeFactory()

    def export(status, days_ago, name):
        row = Export.objects.create(table="trainees", requested_by=office, status=status)
        if status == Export.Status.READY:
            row.file.save(name, ContentFile(b"name,phone\n"), save=True)
        Export.objects.filter(pk=row.pk).update(created_at=timezone.now() - datetime.timedelta(days=days_ago))
        return row

    old = export(Export.Status.READY, 8, "old.csv")
    failed = export(Export.Status.FAILED, 30, "failed.csv")
    recent = export(Export.Status.READY, 6, "recent.csv")
    waiting = export(Export.Status.PENDING, 30, "waiting.csv")
    old_name = old.file.name

    assert export_jobs.delete_old_exports() == 2
    assert set(Export.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    assert not private_storage().exists(old_name)
    assert private_storage().exists(recent.file.name)
    assert export_jobs.delete_old_exports() == 0  # twice changes nothing more
    assert not Export.objects.filter(pk=failed.pk).exists()
