"""Import from spreadsheets: a dry run with each row's result, then all valid rows or none."""

import io

import pytest
from openpyxl import Workbook

from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import Notification, User
from incubator.recruitment.models import Application, TraineeProfile
from tests.factories import VillageFactory

from .factories import CohortFactory, make_campaign, product

pytestmark = pytest.mark.django_db
URL = "/admin/recruitment/import/"
HEADER = "姓名,手机,村,产品,贫困户,网销经验\n"


def csv_file(text, name="名单.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8-sig"), content_type="text/csv")


@pytest.fixture
def places():
    product()
    return VillageFactory(code="guizhou-1", name="向家店村"), VillageFactory(code="maoping-1", name="九里村")


def test_a_sheet_with_bad_rows_is_reported_row_by_row_and_writes_nothing(office_client, places):
    campaign = make_campaign()
    sheet = HEADER + (
        "向小梅,13800138001,guizhou-1,脐橙,是,少量\n"
        ",13800138002,guizhou-1,,否,\n"
        "郑国强,12345,guizhou-1,,否,\n"
        "田桂英,13800138004,火星村,,否,\n"
        "李德福,13800138005,九里村,榴莲,否,\n"
        "王建军,13800138006,九里村,,也许,\n"
    )
    response = office_client.post(URL, {"step": "check", "campaign": campaign.pk, "sheet": csv_file(sheet)})
    body = response.content.decode()
    assert "1 行可以导入，5 行有错误。" in body
    for message in (
        "缺少姓名。",
        "请输入有效的手机号码，例如 13800138000。",
        "找不到村庄“火星村”。",
        "找不到产品“榴莲”。",
        "贫困户一列请填写“是”或“否”，而不是“也许”。",
    ):
        assert message in body, message
    assert "导入 1 行" not in body  # no import button while rows are wrong
    assert not Application.objects.exists()
    assert not User.objects.filter(phone="+8613800138001").exists()
    # even forcing the import step writes nothing
    office_client.post(URL, {"step": "import"})
    assert not Application.objects.exists()


def test_a_clean_sheet_is_dry_run_then_imported_whole(office_client, places):
    campaign = make_campaign()
    sheet = HEADER + "向小梅,13800138001,guizhou-1,脐橙,是,少量\n李德福,138 0013 8005,九里村,,否,开过网店\n"
    body = office_client.post(
        URL, {"step": "check", "campaign": campaign.pk, "sheet": csv_file(sheet)}
    ).content.decode()
    assert "2 行可以导入，0 行有错误。" in body
    assert not Application.objects.exists()  # the dry run wrote nothing
    response = office_client.post(URL, {"step": "import"})
    assert response.status_code == 302
    rows = Application.objects.order_by("real_name").values_list(
        "real_name", "phone", "poor_household", "online_experience"
    )
    assert sorted(rows) == sorted(
        [("向小梅", "+8613800138001", True, "some"), ("李德福", "+8613800138005", False, "shop")]
    )
    assert not Notification.objects.filter(kind="application-received").exists()  # paper applications: no message


def test_importing_trainees_into_a_cohort_from_xlsx(office_client, places):
    cohort = CohortFactory()
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["姓名", "手机", "村", "贫困户"])
    sheet.append(["向小梅", "13800138001", "guizhou-1", "否"])
    sheet.append(["田桂英", 13800138002.0, "maoping-1", "是"])  # Excel keeps typed numbers as floats
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("学员.xlsx", buffer.getvalue())
    body = office_client.post(
        URL, {"step": "check", "campaign": cohort.campaign.pk, "cohort": cohort.pk, "sheet": upload}
    ).content.decode()
    assert "2 行可以导入，0 行有错误。" in body
    office_client.post(URL, {"step": "import"})
    assert TraineeProfile.objects.filter(cohort=cohort, stage="trainee").count() == 2
    assert set(Application.objects.values_list("status", flat=True)) == {"accepted"}


def test_a_sheet_without_the_needed_columns_is_refused(office_client, places):
    campaign = make_campaign()
    body = office_client.post(
        URL, {"step": "check", "campaign": campaign.pk, "sheet": csv_file("名字,电话号码\n向小梅,13800138001\n")}
    ).content.decode()
    assert "表格缺少这些列：姓名、村。" in body
