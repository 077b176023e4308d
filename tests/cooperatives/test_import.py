"""The household import from the township's sheet: a dry run that writes nothing, then all rows
or none; ID-card numbers masked from the moment the sheet is read."""

import datetime
import io

import pytest
from openpyxl import Workbook

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from incubator.cooperatives import imports
from incubator.cooperatives.models import Household, Membership
from tests.factories import OfficeFactory, VillageFactory
from tests.merchants.factories import CooperativeFactory

pytestmark = pytest.mark.django_db
HEADER = ["户主", "村", "家庭人口", "建档立卡", "建档立卡时间", "联系电话", "身份证号"]


@pytest.fixture
def villages():
    return VillageFactory(name="桂花村", code="guihua"), VillageFactory(name="茶园村", code="chayuan")


def csv_file(rows, name="households.csv"):
    text = "\n".join(",".join(row) for row in [HEADER, *rows])
    return SimpleUploadedFile(name, text.encode("utf-8-sig"), content_type="text/csv")


GOOD = [
    ["向德明", "桂花村", "4", "是", "2015-06-01", "13900000001", "422827198001011234"],
    ["谭秀兰", "chayuan", "3", "否", "", "", ""],
]


def test_a_dry_run_checks_every_row_and_writes_nothing(villages):
    rows = imports.read_household_sheet(csv_file(GOOD))
    report = imports.run_household_import(rows=rows, by=OfficeFactory(), dry_run=True)
    assert (report.valid, report.errors, report.written) == (2, 0, False)
    assert not Household.objects.exists()


def test_one_bad_row_and_nothing_is_written(villages):
    bad = [*GOOD, ["周大山", "没有这个村", "2", "是", "", "", ""], ["", "桂花村", "x", "maybe", "", "", "123"]]
    rows = imports.read_household_sheet(csv_file(bad))
    report = imports.run_household_import(rows=rows, by=OfficeFactory(), dry_run=False)
    assert not report.written and report.errors == 2
    assert [row.ok for row in report.rows] == [True, True, False, False]
    assert "没有这个村" in report.rows[2].message
    assert not Household.objects.exists()


def test_the_import_writes_all_rows_masks_the_id_card_and_updates_known_households(villages):
    cooperative = CooperativeFactory()
    office = OfficeFactory()
    rows = imports.read_household_sheet(csv_file(GOOD))
    assert rows[0]["id_card"] == "**************1234"  # masked as soon as the sheet is read
    report = imports.run_household_import(
        rows=rows, by=office, dry_run=False, cooperative=cooperative, joined_on=datetime.date(2025, 2, 1)
    )
    assert report.written and report.valid == 2
    head = Household.objects.get(head_name="向德明")
    assert (head.members, head.is_registered_poor, head.poor_since) == (4, True, datetime.date(2015, 6, 1))
    assert head.id_card_masked == "**************1234"
    assert Membership.objects.filter(cooperative=cooperative).count() == 2
    # The same sheet again, the head's household now of five: updated, not doubled.
    again = [["向德明", "桂花村", "5", "是", "2015-06-01", "13900000001", "422827198001011234"]]
    report = imports.run_household_import(
        rows=imports.read_household_sheet(csv_file(again)),
        by=office,
        dry_run=False,
        cooperative=cooperative,
        joined_on=datetime.date(2025, 2, 1),
    )
    assert report.written
    assert Household.objects.filter(head_name="向德明").get().members == 5
    assert Membership.objects.filter(cooperative=cooperative).count() == 2


def test_an_xlsx_sheet_reads_like_a_csv(villages):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["向德明", "桂花村", 4, "是", datetime.datetime(2015, 6, 1), 13900000001, "42282719800101123X"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("sheet.xlsx", buffer.getvalue())
    [row] = imports.read_household_sheet(upload)
    assert (row["members"], row["poor_since"][:10], row["phone"], row["id_card"]) == (
        "4",
        "2015-06-01",
        "13900000001",
        "**************123X",
    )


def test_the_import_page_dry_run_then_import_keeps_no_full_id_card(villages, client):
    client.force_login(OfficeFactory())
    url = reverse("cooperatives_admin:import")
    response = client.post(url, {"step": "check", "sheet": csv_file(GOOD)})
    assert response.status_code == 200 and response.context["report"].valid == 2
    assert not Household.objects.exists()
    assert "422827198001011234" not in str(dict(client.session))
    response = client.post(url, {"step": "import"})
    assert response.status_code == 302
    assert Household.objects.count() == 2
