"""Verification by the mentor and the office, sending back with a notification, evidence checked
and served to those who may see it, the office's corrections on the record, and the query counts
of every new listing."""

import datetime
from decimal import Decimal

import pytest

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from core import history
from core.models import ChangeRecord, Notification
from courses.uploads import NAME_MISMATCH, WRONG_DOCUMENT_TYPE
from incubator.merchants.models import SalesEvidence, SalesReport
from incubator.merchants.services.sales import (
    ERROR_MAY_NOT_VERIFY,
    ERROR_REASON_REQUIRED,
    add_evidence,
    office_correct_report,
    office_enter_report,
    send_back_report,
    submit_sales_report,
    update_sales_report,
    verify_report,
)
from tests.courses.factories import jpeg, pdf
from tests.factories import OfficeFactory, TraineeFactory
from tests.mentors.factories import assign, make_mentor

from .factories import SalesReportFactory, ShopFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 10)
OCTOBER = datetime.date(2026, 10, 1)
Status = SalesReport.Status


def pending(shop=None, month=OCTOBER, **kwargs):
    return SalesReportFactory(
        shop=shop or ShopFactory(), month=month, status=Status.PENDING, verified_at=None, **kwargs
    )


def mentored_shop():
    mentor = make_mentor()
    shop = ShopFactory()
    assign(mentor, shop.owner)
    return mentor, shop


# --- who verifies ----------------------------------------------------------------------------


def test_the_current_mentor_and_the_office_verify_nobody_else():
    mentor, shop = mentored_shop()
    report = pending(shop)
    for stranger in (make_mentor(), shop.owner, TraineeFactory()):
        with pytest.raises(ValidationError) as error:
            verify_report(report=report, by=stranger, today=TODAY)
        assert error.value.messages == [str(ERROR_MAY_NOT_VERIFY)]
    verified = verify_report(report=report, by=mentor, today=TODAY)
    assert (verified.status, verified.verified_by) == (Status.VERIFIED, mentor)
    other = pending(shop, month=datetime.date(2026, 9, 1))
    office = OfficeFactory()
    assert verify_report(report=other, by=office, today=TODAY).verified_by == office
    [change] = [c for c in history.entries(verified) if c.actor == mentor]
    assert ("status" in change.change.changes) and change.change.changes["status"] == ["pending", "verified"]


def test_a_former_mentor_cannot_verify():
    mentor = make_mentor()
    shop = ShopFactory()
    assign(mentor, shop.owner, days_ago=30, ended_days_ago=1)
    with pytest.raises(ValidationError):
        verify_report(report=pending(shop), by=mentor, today=TODAY)


def test_sending_back_needs_a_reason_notifies_the_merchant_and_the_fix_waits_again():
    mentor, shop = mentored_shop()
    report = submit_sales_report(shop=shop, month=OCTOBER, orders=3, sales="300", today=TODAY)
    with pytest.raises(ValidationError) as error:
        send_back_report(report=report, by=mentor, reason="  ")
    assert error.value.message_dict == {"reason": [str(ERROR_REASON_REQUIRED)]}
    send_back_report(report=report, by=mentor, reason="截图上的金额是 280 元")
    report.refresh_from_db()
    assert (report.status, report.sent_back_reason) == (Status.SENT_BACK, "截图上的金额是 280 元")
    note = Notification.objects.get(recipient=shop.owner, kind="sales-report-sent-back")
    assert note.body == "截图上的金额是 280 元"
    assert note.url == reverse("merchants:report_edit", args=[shop.pk, report.pk])
    # Sent back is open to the merchant even after the month's window.
    update_sales_report(report=report, orders=3, sales="280", by=shop.owner, today=datetime.date(2026, 12, 20))
    report.refresh_from_db()
    assert (report.status, report.sales, report.sent_back_reason) == (Status.PENDING, Decimal("280.00"), "")
    actions = [entry.change.changes.get("status") for entry in history.entries(report)]
    assert actions[:2] == [["sent_back", "pending"], ["pending", "sent_back"]]


def test_the_mentor_verifies_from_the_queue(client, django_assert_max_num_queries):
    mentor, shop = mentored_shop()
    flagged = pending(shop, month=datetime.date(2026, 9, 1))
    SalesReport.objects.filter(pk=flagged.pk).update(status=Status.FLAGGED)
    waiting = pending(shop)
    pending()  # another mentor's business
    client.force_login(mentor)
    response = client.get(reverse("merchants:mentor_reports"))
    assert response.status_code == 200
    assert [r.pk for r in response.context["page_obj"].object_list] == [flagged.pk, waiting.pk]
    url = reverse("merchants:mentor_report", args=[waiting.pk])
    assert client.get(url).status_code == 200
    assert client.get(reverse("merchants:mentor_report", args=[pending().pk])).status_code == 404
    response = client.post(url, {"action": "verify"})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Status.VERIFIED and waiting.verified_by == mentor
    response = client.post(reverse("merchants:mentor_report", args=[flagged.pk]), {"action": "send_back", "reason": ""})
    assert response.status_code == 400


def test_the_mentor_queue_has_a_fixed_number_of_queries(client, django_assert_num_queries):
    mentor = make_mentor()
    client.force_login(mentor)

    def add_trainees(count):
        for _ in range(count):
            shop = ShopFactory()
            assign(mentor, shop.owner)
            report = pending(shop)
            SalesEvidence.objects.create(
                report=report, file="x.jpg", original_name="x.jpg", content_type="image/jpeg", extension="jpg", size=1
            )

    add_trainees(2)
    url = reverse("merchants:mentor_reports")
    client.get(url)
    with django_assert_num_queries(QUERIES_MENTOR_QUEUE):
        client.get(url)
    add_trainees(5)
    with django_assert_num_queries(QUERIES_MENTOR_QUEUE):
        response = client.get(url)
    assert len(response.context["page_obj"].object_list) == 7


QUERIES_MENTOR_QUEUE = 3


# --- evidence ---------------------------------------------------------------------------------


def test_evidence_is_checked_by_content_like_task_files():
    report = pending()
    owner = report.shop.owner
    fake = SimpleUploadedFile("shot.jpg", b"not really a photo at all", content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        add_evidence(report=report, files=[fake], by=owner)
    assert error.value.message_dict == {"files": [str(WRONG_DOCUMENT_TYPE) % {"name": "shot.jpg"}]}
    with pytest.raises(ValidationError) as error:
        add_evidence(report=report, files=[jpeg(name="shot.pdf")], by=owner)
    assert error.value.message_dict == {"files": [str(NAME_MISMATCH) % {"name": "shot.pdf", "ext": "pdf"}]}
    mp4 = SimpleUploadedFile("clip.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64)
    with pytest.raises(ValidationError):
        add_evidence(report=report, files=[mp4], by=owner)  # a video is not a back-office screenshot
    assert not SalesEvidence.objects.exists()
    report.refresh_from_db()
    assert report.evidence_level == SalesReport.Evidence.NONE
    add_evidence(report=report, files=[jpeg(), pdf()], by=owner)
    report.refresh_from_db()
    assert report.evidence_level == SalesReport.Evidence.DOCUMENT
    assert SalesEvidence.objects.filter(report=report).count() == 2
    assert "photo.jpg" in history.entries(report)[0].reason


def test_evidence_is_served_to_the_owner_the_mentor_and_the_office_only(client):
    mentor, shop = mentored_shop()
    report = pending(shop)
    [evidence] = add_evidence(report=report, files=[jpeg()], by=shop.owner)
    url = reverse("merchants:evidence_file", args=[evidence.pk])
    assert client.get(url).status_code == 302  # to the login page
    for person, expected in (
        (shop.owner, 200),
        (mentor, 200),
        (OfficeFactory(), 200),
        (make_mentor(), 404),
        (TraineeFactory(), 404),
    ):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == expected, person
        if expected == 200:
            assert response["Content-Type"] == "image/jpeg"
            assert response["Cache-Control"] == "private, no-store"
            assert response["X-Content-Type-Options"] == "nosniff"
            assert "sandbox" in response["Content-Security-Policy"]


def test_the_merchant_adds_evidence_on_the_report_page(client):
    report = pending()
    shop = report.shop
    client.force_login(shop.owner)
    url = reverse("merchants:report_evidence", args=[shop.pk, report.pk])
    response = client.post(url, {"files": [SimpleUploadedFile("a.png", b"nope")]})
    assert response.status_code == 400
    response = client.post(url, {"files": [jpeg()]})
    assert response.status_code == 302
    page = client.get(reverse("merchants:report_edit", args=[shop.pk, report.pk]))
    assert page.status_code == 200
    assert "photo.jpg" in page.text
    client.force_login(TraineeFactory())
    assert client.post(url, {"files": [jpeg()]}).status_code == 404


# --- the office ------------------------------------------------------------------------------


def test_the_office_enters_a_report_on_a_merchant_s_behalf_with_a_reason():
    shop = ShopFactory()
    office = OfficeFactory()
    with pytest.raises(ValidationError) as error:
        office_enter_report(shop=shop, month=OCTOBER, orders=3, sales="300", by=office, reason="", today=TODAY)
    assert error.value.message_dict == {"reason": [str(ERROR_REASON_REQUIRED)]}
    report = office_enter_report(
        shop=shop, month=OCTOBER, orders=3, sales="300", by=office, reason="11月3日电话上报", today=TODAY
    )
    assert report.status == Status.PENDING and report.submitted_by == office
    [entry] = history.entries(report)
    assert (entry.actor, entry.reason, entry.change.action) == (office, "11月3日电话上报", ChangeRecord.Action.CREATED)
    assert Notification.objects.filter(recipient=shop.owner, kind="sales-report-corrected").count() == 1


def test_the_office_corrects_a_verified_month_with_its_history_and_it_waits_again():
    report = SalesReportFactory(month=OCTOBER, orders=10, sales=Decimal("1000.00"))
    office = OfficeFactory()
    with pytest.raises(ValidationError):
        office_correct_report(report=report, orders=9, sales="900", by=office, reason="", today=TODAY)
    office_correct_report(report=report, orders=9, sales="900", by=office, reason="微信截图显示 900 元", today=TODAY)
    report.refresh_from_db()
    assert (report.orders, report.sales, report.status, report.verified_at) == (
        9,
        Decimal("900.00"),
        Status.PENDING,
        None,
    )
    [entry] = history.entries(report)
    assert entry.reason == "微信截图显示 900 元" and entry.actor == office
    assert entry.change.changes["sales"] == ["1000.00", "900.00"]
    assert entry.change.changes["status"] == ["verified", "pending"]


def test_the_office_review_page_verifies_sends_back_and_corrects(client):
    office = OfficeFactory()
    client.force_login(office)
    report = pending(orders=4, sales=Decimal("400.00"))
    url = reverse("merchants_admin:report", args=[report.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "correct", "orders": "4", "sales": "380", "products_sold": "", "reason": ""})
    assert response.status_code == 400
    assert 'value="380"' in response.text  # what was typed is kept
    response = client.post(
        url, {"action": "correct", "orders": "4", "sales": "380", "products_sold": "脐橙", "reason": "电话核对"}
    )
    assert response.status_code == 302
    assert client.post(url, {"action": "send_back", "back-reason": "请补截图"}).status_code == 302
    report.refresh_from_db()
    assert report.status == Status.SENT_BACK
    page = client.get(url)
    assert "电话核对" in page.text and "请补截图" in page.text  # the history, shown to the office
    # And to the merchant.
    client.force_login(report.shop.owner)
    page = client.get(reverse("merchants:report_edit", args=[report.shop_id, report.pk]))
    assert "电话核对" in page.text and "请补截图" in page.text


def test_the_office_enters_a_report_through_the_admin(client):
    shop = ShopFactory()
    client.force_login(OfficeFactory())
    url = reverse("merchants_admin:report_enter")
    month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    data = {"shop": shop.pk, "month": f"{month:%Y-%m}", "orders": "2", "sales": "88", "products_sold": "", "reason": ""}
    assert client.post(url, data).status_code == 400
    response = client.post(url, {**data, "reason": "村民微信上报"})
    report = SalesReport.objects.get(shop=shop)
    assert response.status_code == 302 and response["Location"] == reverse("merchants_admin:report", args=[report.pk])


def test_the_office_listing_filters_and_has_a_fixed_number_of_queries(client, django_assert_num_queries):
    client.force_login(OfficeFactory())
    url = reverse("wagtailsnippets_merchants_salesreport:list")

    def add(count):
        for n in range(count):
            pending(month=datetime.date(2026, 9, 1), is_late=bool(n % 2))
            SalesReportFactory()

    add(2)
    client.get(url)
    with django_assert_num_queries(QUERIES_OFFICE_LISTING):
        client.get(url + "?status=pending")
    add(6)
    with django_assert_num_queries(QUERIES_OFFICE_LISTING):
        response = client.get(url + "?status=pending")
    assert response.status_code == 200
    assert len(response.context["object_list"]) == 8
    assert len(client.get(url + "?is_late=true").context["object_list"]) == 4
    assert (
        escape(reverse("merchants_admin:report", args=[SalesReport.objects.filter(status="pending").first().pk]))
        in response.text
    )


# The person's roles, permissions and second factor, and Wagtail's profile and page and
# collection permissions, in one query since issue 18.
QUERIES_OFFICE_LISTING = 6


def test_the_merchant_s_pages_have_a_fixed_number_of_queries(client, django_assert_num_queries):
    shop = ShopFactory()
    client.force_login(shop.owner)
    for month in (datetime.date(2026, 7, 1), datetime.date(2026, 8, 1)):
        pending(shop, month=month)
    report = pending(shop, month=datetime.date(2026, 9, 1))
    add_evidence(report=report, files=[jpeg()], by=shop.owner)
    detail = reverse("merchants:shop_detail", args=[shop.pk])
    page = reverse("merchants:report_edit", args=[shop.pk, report.pk])
    client.get(detail)
    with django_assert_num_queries(QUERIES_SHOP_DETAIL):
        client.get(detail)
    with django_assert_num_queries(QUERIES_REPORT_PAGE):
        assert client.get(page).status_code == 200
    for month in (datetime.date(2026, 3, 1), datetime.date(2026, 4, 1), datetime.date(2026, 5, 1)):
        pending(shop, month=month)
    add_evidence(report=report, files=[pdf(), jpeg()], by=shop.owner)
    with django_assert_num_queries(QUERIES_SHOP_DETAIL):
        client.get(detail)
    with django_assert_num_queries(QUERIES_REPORT_PAGE):
        client.get(page)


QUERIES_SHOP_DETAIL = 5
QUERIES_REPORT_PAGE = 6


def test_the_review_pages_of_the_mentor_and_the_office_have_a_fixed_number_of_queries(
    client, django_assert_num_queries
):
    """A report's page for its verifiers lists its evidence, its order exports and its history:
    each in one query, however long they grow."""
    from incubator.merchants.models import OrderExportUpload

    mentor, shop = mentored_shop()
    office = OfficeFactory()
    report = pending(shop)
    add_evidence(report=report, files=[jpeg()], by=shop.owner)

    def order_export(n):
        OrderExportUpload.objects.create(
            shop=shop, report=report, file=f"o{n}.csv", original_name=f"订单{n}.csv", extension="csv", sha256=f"{n}"
        )

    order_export(1)
    pages = [
        (mentor, reverse("merchants:mentor_report", args=[report.pk]), QUERIES_MENTOR_REPORT_PAGE),
        (office, reverse("merchants_admin:report", args=[report.pk]), QUERIES_OFFICE_REPORT_PAGE),
    ]

    def look():
        for person, url, count in pages:
            client.force_login(person)
            client.get(url)  # the session and the admin's menu settle
            with django_assert_num_queries(count):
                assert client.get(url).status_code == 200

    look()
    add_evidence(report=report, files=[pdf(), jpeg()], by=shop.owner)
    for n, sales in enumerate(("410", "420", "430"), start=2):
        office_correct_report(report=report, orders=4, sales=sales, by=office, reason=f"第{n}次电话核对", today=TODAY)
        order_export(n)
    report.refresh_from_db()
    assert len(history.entries(report)) == 5
    look()
    client.force_login(office)
    page = client.get(reverse("merchants_admin:report", args=[report.pk])).text
    assert page.count(reverse("merchants:evidence_file", args=[report.evidence.first().pk])) == 1
    assert all(f"订单{n}.csv" in page for n in range(1, 5)) and "第4次电话核对" in page


QUERIES_MENTOR_REPORT_PAGE = 5
QUERIES_OFFICE_REPORT_PAGE = 8  # with whether the platform has an order export format


def test_an_administrator_changes_a_report_only_on_its_page_and_never_deletes_one(client):
    """An administrator holds every permission, so Wagtail's own add, edit and delete of the
    snippet are open to them: each leads to the report's own pages (where a change has a reason
    and goes on the record) and changes nothing by itself."""
    from incubator.merchants.wagtail_hooks import REPORT_NOT_DELETED
    from tests.factories import UserFactory

    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    report = pending(orders=4, sales=Decimal("400.00"))
    edit = reverse("wagtailsnippets_merchants_salesreport:edit", args=[report.pk])
    page = reverse("merchants_admin:report", args=[report.pk])
    assert client.get(edit)["Location"] == page
    response = client.post(edit, {"orders": "40", "sales": "4000", "products_sold": ""})
    assert response.status_code == 302 and response["Location"] == page
    add = reverse("wagtailsnippets_merchants_salesreport:add")
    assert client.get(add)["Location"] == reverse("merchants_admin:report_enter")
    month = datetime.date(2026, 9, 1)
    client.post(add, {"shop": report.shop_id, "month": month, "orders": "1", "sales": "1"})
    delete = reverse("wagtailsnippets_merchants_salesreport:delete", args=[report.pk])
    response = client.post(delete, follow=True)
    assert escape(str(REPORT_NOT_DELETED)) in response.text
    report.refresh_from_db()
    assert (report.orders, report.sales) == (4, Decimal("400.00"))
    assert not SalesReport.objects.filter(shop=report.shop, month=month).exists()
    assert not ChangeRecord.objects.for_object(report).exists()
    # The shop's snippet forms are untouched by this.
    assert client.get(reverse("wagtailsnippets_merchants_shop:edit", args=[report.shop_id])).status_code == 200
