"""A month's figures from the platform's order export: a sample file per platform (CSV and XLSX,
UTF-8, UTF-8 with BOM, GB18030), refunds left out, orders de-duplicated across uploads, and bad
files refused whole with a message per row."""

import csv
import datetime
import io
from decimal import Decimal

import pytest

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from core.models import ChangeRecord
from incubator.merchants.models import ImportedOrder, OrderExportFormat, OrderExportUpload, SalesReport
from incubator.merchants.services import order_exports
from incubator.merchants.services.order_exports import import_order_export

from .factories import ShopFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 10)
OCTOBER = datetime.date(2026, 10, 1)

# Per platform: a counted status and a left-out one, as the seeded formats name them.
PLATFORMS = {
    "taobao": ("交易成功", "交易关闭"),
    "tmall": ("卖家已发货，等待买家确认", "交易关闭"),
    "jd": ("完成", "已取消"),
    "pinduoduo": ("已签收", "已取消"),
    "douyin": ("已完成", "已关闭"),
    "wechat": ("已完成", "已取消"),
}


def header_of(platform):
    columns = OrderExportFormat.objects.get(platform=platform).columns
    # Real exports carry more columns than we read, around the ones we need.
    return ["商品名称", columns["order_id"], columns["order_time"], "买家留言", columns["amount"], columns["status"]]


def rows_of(orders):
    return [["赣南脐橙 5斤装", order_id, time, "", amount, status] for order_id, time, amount, status in orders]


def csv_file(platform, orders, *, encoding="utf-8", name="orders.csv", header=None):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header or header_of(platform))
    writer.writerows(rows_of(orders))
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding), content_type="text/csv")


def xlsx_file(platform, orders, *, name="orders.xlsx"):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["订单报表 2026-10"])  # a title line above the header, as some back offices write
    sheet.append(header_of(platform))
    for row in rows_of(orders):
        row[2] = datetime.datetime.fromisoformat(row[2])  # XLSX times are real datetimes
        row[4] = float(row[4])
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def october_orders(counted, refunded):
    return [
        ("100001", "2026-10-03 09:15:00", "59.90", counted),
        ("100002", "2026-10-15 21:40:12", "119.80", counted),
        ("100003", "2026-10-31 23:59:59", "35.00", counted),
        ("100004", "2026-10-20 10:00:00", "59.90", refunded),
    ]


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_each_platform_s_export_makes_the_month_from_its_orders(platform):
    counted, refunded = PLATFORMS[platform]
    shop = ShopFactory(platform=platform)
    result = import_order_export(
        shop=shop,
        month=OCTOBER,
        upload=csv_file(platform, october_orders(counted, refunded)),
        by=shop.owner,
        today=TODAY,
    )
    report = result.report
    assert (result.added, result.left_out, result.already_known) == (3, 1, 0)
    assert (report.orders, report.sales) == (3, Decimal("214.70"))
    assert report.evidence_level == SalesReport.Evidence.ORDER_EXPORT
    assert report.status == SalesReport.Status.PENDING  # it still waits for verification
    assert ChangeRecord.objects.for_object(report).get().action == ChangeRecord.Action.CREATED


@pytest.mark.parametrize("platform", ["taobao", "jd", "douyin"])
def test_an_xlsx_export_is_read_too(platform):
    counted, refunded = PLATFORMS[platform]
    shop = ShopFactory(platform=platform)
    result = import_order_export(
        shop=shop,
        month=OCTOBER,
        upload=xlsx_file(platform, october_orders(counted, refunded)),
        by=shop.owner,
        today=TODAY,
    )
    assert (result.report.orders, result.report.sales) == (3, Decimal("214.70"))


def test_gb18030_and_a_utf8_bom_are_read():
    shop = ShopFactory(platform="taobao")
    result = import_order_export(
        shop=shop,
        month=OCTOBER,
        upload=csv_file("taobao", october_orders("交易成功", "交易关闭")[:2], encoding="gb18030"),
        by=shop.owner,
        today=TODAY,
    )
    assert result.added == 2
    result = import_order_export(
        shop=shop,
        month=OCTOBER,
        upload=csv_file("taobao", [("100009", "2026-10-09 08:00:00", "10.00", "交易成功")], encoding="utf-8-sig"),
        by=shop.owner,
        today=TODAY,
    )
    assert result.added == 1
    assert SalesReport.objects.get(shop=shop).orders == 3


def test_orders_are_counted_once_across_two_uploads():
    shop = ShopFactory(platform="pinduoduo")
    first = [("PDD-1", "2026-10-01 10:00:00", "20.00", "已签收"), ("PDD-2", "2026-10-02 10:00:00", "30.00", "已签收")]
    second = [("PDD-2", "2026-10-02 10:00:00", "30.00", "已签收"), ("PDD-3", "2026-10-25 10:00:00", "50.00", "待发货")]
    import_order_export(shop=shop, month=OCTOBER, upload=csv_file("pinduoduo", first), by=shop.owner, today=TODAY)
    result = import_order_export(
        shop=shop, month=OCTOBER, upload=csv_file("pinduoduo", second, name="orders-2.csv"), by=shop.owner, today=TODAY
    )
    assert (result.added, result.already_known) == (1, 1)
    report = SalesReport.objects.get(shop=shop)
    assert (report.orders, report.sales) == (3, Decimal("100.00"))
    assert ImportedOrder.objects.filter(shop=shop).count() == 3
    # The second upload is on the record as a change with its counts.
    change = ChangeRecord.objects.for_object(report).first()
    assert change.changes["orders"] == [2, 3]


def test_the_same_file_twice_is_refused_and_changes_nothing():
    shop = ShopFactory(platform="jd")
    content = october_orders("完成", "已取消")
    import_order_export(shop=shop, month=OCTOBER, upload=csv_file("jd", content), by=shop.owner, today=TODAY)
    with pytest.raises(ValidationError) as error:
        import_order_export(shop=shop, month=OCTOBER, upload=csv_file("jd", content), by=shop.owner, today=TODAY)
    assert error.value.code == "duplicate"
    assert OrderExportUpload.objects.count() == 1


def test_a_wrong_column_is_named_and_nothing_changes():
    shop = ShopFactory(platform="taobao")
    # "下单时间" is JD's name for the order time; Taobao's is "订单创建时间".
    upload = SimpleUploadedFile(
        "orders.csv", "订单编号,下单时间,买家实际支付金额,订单状态\n1,2026-10-01 10:00:00,9.9,交易成功\n".encode()
    )
    with pytest.raises(ValidationError) as error:
        import_order_export(shop=shop, month=OCTOBER, upload=upload, by=shop.owner, today=TODAY)
    assert error.value.code == "columns"
    assert "“订单创建时间”" in error.value.messages[0]
    assert not SalesReport.objects.exists() and not ImportedOrder.objects.exists()


def test_rows_outside_the_month_and_bad_cells_are_listed_per_row():
    shop = ShopFactory(platform="douyin")
    orders = [
        ("DY-1", "2026-10-05 10:00:00", "20.00", "已完成"),
        ("DY-2", "2026-11-01 00:00:01", "30.00", "已完成"),
        ("", "2026-10-05 10:00:00", "30.00", "已完成"),
        ("DY-4", "昨天", "30.00", "已完成"),
        ("DY-5", "2026-10-05 10:00:00", "三十", "已完成"),
    ]
    with pytest.raises(ValidationError) as error:
        import_order_export(shop=shop, month=OCTOBER, upload=csv_file("douyin", orders), by=shop.owner, today=TODAY)
    assert error.value.messages == [
        str(order_exports.ROW_OUTSIDE_MONTH) % {"row": 3, "order": "DY-2", "date": "2026-11-01", "month": "2026-10"},
        str(order_exports.ROW_NO_ID) % {"row": 4},
        str(order_exports.ROW_BAD_TIME) % {"row": 5, "value": "昨天"},
        str(order_exports.ROW_BAD_AMOUNT) % {"row": 6, "value": "三十"},
    ]
    assert not SalesReport.objects.exists() and not OrderExportUpload.objects.exists()


def test_a_file_that_is_not_a_table_and_a_platform_without_a_format_are_refused():
    shop = ShopFactory(platform="taobao")
    png = SimpleUploadedFile("orders.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64)
    with pytest.raises(ValidationError) as error:
        import_order_export(shop=shop, month=OCTOBER, upload=png, by=shop.owner, today=TODAY)
    assert error.value.code == "not_a_table"
    other = ShopFactory(platform="other")
    with pytest.raises(ValidationError) as error:
        import_order_export(
            shop=other,
            month=OCTOBER,
            upload=csv_file("taobao", october_orders("交易成功", "交易关闭")),
            by=other.owner,
            today=TODAY,
        )
    assert error.value.code == "no_format"


def test_the_current_month_and_a_verified_month_are_refused():
    shop = ShopFactory(platform="taobao")
    with pytest.raises(ValidationError) as error:
        import_order_export(
            shop=shop,
            month=datetime.date(2026, 11, 1),
            upload=csv_file("taobao", [("1", "2026-11-02 10:00:00", "9.90", "交易成功")]),
            by=shop.owner,
            today=TODAY,
        )
    assert list(error.value.message_dict) == ["month"]
    SalesReport.objects.create(
        shop=shop,
        month=OCTOBER,
        orders=1,
        sales=1,
        status=SalesReport.Status.VERIFIED,
        verified_at=datetime.datetime(2026, 11, 2, tzinfo=datetime.UTC),
    )
    with pytest.raises(ValidationError) as error:
        import_order_export(
            shop=shop,
            month=OCTOBER,
            upload=csv_file("taobao", october_orders("交易成功", "交易关闭")),
            by=shop.owner,
            today=TODAY,
        )
    assert error.value.code == "verified"
    assert not ImportedOrder.objects.exists()


def test_the_office_edits_a_format_and_the_next_upload_follows_it():
    export_format = OrderExportFormat.objects.get(platform="wechat")
    export_format.counted_statuses += "\n已退款"  # an odd choice, but the office's to make
    export_format.save()
    shop = ShopFactory(platform="wechat")
    result = import_order_export(
        shop=shop,
        month=OCTOBER,
        upload=csv_file("wechat", october_orders("已完成", "已退款")),
        by=shop.owner,
        today=TODAY,
    )
    assert result.added == 4


def test_the_merchant_uploads_through_the_shop_page_and_sees_the_row_messages(
    client, django_capture_on_commit_callbacks
):
    shop = ShopFactory(platform="taobao")
    client.force_login(shop.owner)
    url = reverse("merchants:order_file_upload", args=[shop.pk])
    bad = csv_file("taobao", [("1", "2026-09-30 10:00:00", "9.90", "交易成功")])
    response = client.post(url, {"export-month": "2026-10", "export-file": bad})
    assert response.status_code == 400
    assert "2026-09-30" in response.text
    good = csv_file("taobao", october_orders("交易成功", "交易关闭"))
    response = client.post(url, {"export-month": "2026-10", "export-file": good})
    report = SalesReport.objects.get(shop=shop)
    assert response.status_code == 302 and response["Location"] == reverse(
        "merchants:report_edit", args=[shop.pk, report.pk]
    )
    page = client.get(response["Location"])
    assert escape(str(SalesReport.Evidence.ORDER_EXPORT.label)) in page.text


# --- the uploaded file, handed back -------------------------------------------------------------------

HOSTILE_NOTE = '=HYPERLINK("http://evil.example/","查看物流")'


def uploaded(shop, *, xlsx=False):
    """A Taobao export for October with a buyer's note typed as a formula, imported for the shop."""
    header = header_of("taobao")
    rows = [
        ["赣南脐橙 5斤装", "100001", "2026-10-03 09:15:00", HOSTILE_NOTE, "59.90", "交易成功"],
        ["赣南脐橙 10斤装", "100002", "2026-10-15 21:40:12", "", "119.80", "交易关闭"],
    ]
    if xlsx:
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.append(header)
        for row in rows:
            sheet.append([*row[:2], datetime.datetime.fromisoformat(row[2]), row[3], float(row[4]), row[5]])
        sheet["D2"].data_type = "s"  # the note typed as text (as a back office writes it)
        sheet["D3"] = "=SUM(E2:E3)"  # and a real formula, whose value the file does not carry
        buffer = io.BytesIO()
        workbook.save(buffer)
        upload = SimpleUploadedFile("十月订单.xlsx", buffer.getvalue())
    else:
        buffer = io.StringIO()
        csv.writer(buffer).writerows([header, *rows])
        upload = SimpleUploadedFile("十月订单.csv", buffer.getvalue().encode("gb18030"), content_type="text/csv")
    import_order_export(shop=shop, month=OCTOBER, upload=upload, by=shop.owner, today=TODAY)
    return OrderExportUpload.objects.get(shop=shop), header, rows


def test_the_uploaded_file_is_handed_to_the_owner_the_mentor_and_the_office_only(client):
    from tests.factories import OfficeFactory, TraineeFactory
    from tests.mentors.factories import assign, make_mentor

    shop = ShopFactory(platform="taobao")
    mentor, former = make_mentor(), make_mentor()
    assign(mentor, shop.owner)
    assign(former, shop.owner, days_ago=60, ended_days_ago=30)
    stored, header, rows = uploaded(shop)
    url = reverse("merchants:order_export_file", args=[stored.pk])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    for person in (shop.owner, mentor, OfficeFactory()):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == 200, person
        assert response["Content-Type"].startswith("text/csv")
        assert response["Cache-Control"] == "private, no-store"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith('attachment; filename="orders-2026-10-')
        # The rows as uploaded (read from GB18030), the formula handed out as text.
        text = response.content.decode("utf-8-sig")
        assert list(csv.reader(io.StringIO(text, newline=""))) == [
            header,
            rows[0][:3] + ["'" + HOSTILE_NOTE] + rows[0][4:],
            rows[1],
        ]
    for stranger in (former, make_mentor(), TraineeFactory(), ShopFactory().owner):
        client.force_login(stranger)
        assert client.get(url).status_code == 404, stranger
    client.force_login(shop.owner)
    assert client.get(reverse("merchants:order_export_file", args=[stored.pk + 1000])).status_code == 404


def test_an_xlsx_upload_comes_back_as_xlsx_without_formulas(client):
    from openpyxl import load_workbook

    shop = ShopFactory(platform="taobao")
    stored, header, rows = uploaded(shop, xlsx=True)
    assert stored.extension == "xlsx"
    client.force_login(shop.owner)
    response = client.get(reverse("merchants:order_export_file", args=[stored.pk]))
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert not [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == header
    assert values[1][3] == "'" + HOSTILE_NOTE  # text that would run: handed out as text
    assert values[2][3] is None  # a formula: its value as the file kept it (none), never the formula
    assert values[1][2] == datetime.datetime(2026, 10, 3, 9, 15) and values[1][4] == 59.9


def test_every_page_of_the_report_links_its_uploaded_file(client):
    from tests.factories import OfficeFactory
    from tests.mentors.factories import assign, make_mentor

    shop = ShopFactory(platform="taobao")
    mentor = make_mentor()
    assign(mentor, shop.owner)
    stored, _header, _rows = uploaded(shop)
    link = reverse("merchants:order_export_file", args=[stored.pk])
    pages = [
        (shop.owner, reverse("merchants:report_edit", args=[shop.pk, stored.report_id])),
        (mentor, reverse("merchants:mentor_report", args=[stored.report_id])),
        (OfficeFactory(), reverse("merchants_admin:report", args=[stored.report_id])),
    ]
    for person, page in pages:
        client.force_login(person)
        response = client.get(page)
        assert response.status_code == 200, page
        assert f'href="{link}"' in response.text, page
        assert "十月订单.csv" in response.text


def test_the_office_adds_the_order_export_a_merchant_sent_with_a_reason(client):
    from core.models import Notification
    from tests.factories import OfficeFactory

    from .factories import SalesReportFactory

    shop = ShopFactory(platform="jd")
    month = datetime.date(2026, 9, 1)  # over, for the days these tests run on (and in the past since)
    report = SalesReportFactory(
        shop=shop, month=month, orders=9, sales=Decimal("999.00"), status="pending", verified_at=None
    )
    office = OfficeFactory()
    client.force_login(office)
    url = reverse("merchants_admin:report", args=[report.pk])
    assert 'name="export-file"' in client.get(url).text
    orders = [
        ("JD-1", "2026-09-03 09:15:00", "59.90", "完成"),
        ("JD-2", "2026-09-15 21:40:12", "119.80", "等待确认收货"),
        ("JD-3", "2026-09-20 10:00:00", "59.90", "已取消"),
    ]
    # Without a reason: refused, nothing read, the reason field asks for it.
    response = client.post(url, {"action": "order_export", "export-file": csv_file("jd", orders), "export-reason": ""})
    assert response.status_code == 400
    assert not OrderExportUpload.objects.exists()
    # A row of another month: the row's message, nothing changed.
    bad = csv_file("jd", [*orders, ("JD-4", "2026-10-01 00:00:01", "5.00", "完成")], name="bad.csv")
    response = client.post(url, {"action": "order_export", "export-file": bad, "export-reason": "商家微信发来"})
    assert response.status_code == 400 and "2026-10-01" in response.text and "商家微信发来" in response.text
    report.refresh_from_db()
    assert (report.orders, report.sales, report.evidence_level) == (9, Decimal("999.00"), "none")
    response = client.post(
        url, {"action": "order_export", "export-file": csv_file("jd", orders), "export-reason": "商家微信发来订单导出"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.orders, report.sales, report.evidence_level) == (2, Decimal("179.70"), "order_export")
    change = ChangeRecord.objects.for_object(report).first()
    assert change.actor == office and change.reason.startswith("商家微信发来订单导出 · ")
    assert change.changes["sales"] == ["999.00", "179.70"]
    assert Notification.objects.filter(recipient=shop.owner, kind="sales-report-corrected").count() == 1
    assert reverse("merchants:order_export_file", args=[OrderExportUpload.objects.get().pk]) in client.get(url).text
