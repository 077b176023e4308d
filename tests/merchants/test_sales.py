"""Monthly sales reports: one per shop and month, no future month, no negatives, an edit window."""

import datetime
from decimal import Decimal

import pytest

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from incubator.merchants.models import SalesReport
from incubator.merchants.services.sales import (
    ERROR_NOT_OVER,
    ERROR_VERIFIED,
    editable_until,
    report_editable_until,
    submit_sales_report,
    update_sales_report,
    verify_report,
)
from tests.factories import OfficeFactory, TraineeFactory

from .factories import SalesReportFactory, ShopFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 10)


def messages_of(error: ValidationError) -> list[str]:
    return [str(message) for messages in error.message_dict.values() for message in messages]


def test_a_report_is_saved_for_a_past_month():
    shop = ShopFactory()
    report = submit_sales_report(shop=shop, month=datetime.date(2026, 10, 17), orders=12, sales="3456.50", today=TODAY)
    assert report.month == datetime.date(2026, 10, 1)
    assert report.sales == Decimal("3456.50")


def test_a_second_report_for_the_same_month_is_refused():
    shop = ShopFactory()
    submit_sales_report(shop=shop, month=datetime.date(2026, 10, 1), orders=1, sales=10, today=TODAY)
    with pytest.raises(ValidationError) as error:
        submit_sales_report(shop=shop, month=datetime.date(2026, 10, 1), orders=2, sales=20, today=TODAY)
    assert messages_of(error.value) == ["这家网店这个月已经上报过了，请修改已有的报告。"]
    assert SalesReport.objects.count() == 1


def test_a_future_month_is_refused():
    with pytest.raises(ValidationError) as error:
        submit_sales_report(shop=ShopFactory(), month=datetime.date(2026, 12, 1), orders=1, sales=1, today=TODAY)
    assert messages_of(error.value) == [str(ERROR_NOT_OVER) % {"month": "2026-12", "date": "2027-01-01"}]


def test_the_current_month_is_refused_until_it_is_over():
    shop = ShopFactory()
    with pytest.raises(ValidationError) as error:
        submit_sales_report(shop=shop, month=datetime.date(2026, 11, 1), orders=1, sales=1, today=TODAY)
    assert error.value.message_dict == {"month": [str(ERROR_NOT_OVER) % {"month": "2026-11", "date": "2026-12-01"}]}
    # On the last day of the month still refused; on the first day of the next, accepted.
    with pytest.raises(ValidationError):
        submit_sales_report(
            shop=shop, month=datetime.date(2026, 11, 1), orders=1, sales=1, today=datetime.date(2026, 11, 30)
        )
    report = submit_sales_report(
        shop=shop, month=datetime.date(2026, 11, 1), orders=1, sales=1, today=datetime.date(2026, 12, 1)
    )
    assert report.status == SalesReport.Status.PENDING
    assert not report.is_late


def test_negative_figures_are_refused():
    with pytest.raises(ValidationError) as error:
        submit_sales_report(shop=ShopFactory(), month=datetime.date(2026, 10, 1), orders=-1, sales=-5, today=TODAY)
    assert error.value.message_dict == {"orders": ["数字不能是负数。"], "sales": ["数字不能是负数。"]}


def test_the_database_refuses_negative_sales_too():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        SalesReportFactory(sales=Decimal("-1"))


def test_a_month_is_editable_until_the_window_closes():
    shop = ShopFactory()
    report = submit_sales_report(shop=shop, month=datetime.date(2026, 10, 1), orders=1, sales=1, today=TODAY)
    # October ends on the 31st; with a 15-day window the last day is 15 November.
    assert editable_until(report.month) == datetime.date(2026, 11, 15)
    update_sales_report(report=report, orders=3, sales=30, today=datetime.date(2026, 11, 15))
    report.refresh_from_db()
    assert report.orders == 3
    with pytest.raises(ValidationError) as error:
        update_sales_report(report=report, orders=4, sales=40, today=datetime.date(2026, 11, 16))
    assert error.value.messages == ["这个月的报告已经不能修改了：只能在 2026-11-15 之前修改。"]
    report.refresh_from_db()
    assert report.orders == 3


def test_a_verified_month_is_closed_for_the_merchant_even_within_the_window():
    report = submit_sales_report(shop=ShopFactory(), month=datetime.date(2026, 10, 1), orders=1, sales=1, today=TODAY)
    verify_report(report=report, by=OfficeFactory(), today=TODAY)
    with pytest.raises(ValidationError) as error:
        update_sales_report(report=report, orders=4, sales=40, today=TODAY)
    assert error.value.messages == [str(ERROR_VERIFIED)]
    report.refresh_from_db()
    assert (report.orders, report.status) == (1, SalesReport.Status.VERIFIED)


def test_a_missed_month_can_be_reported_late_and_is_marked_late():
    report = submit_sales_report(shop=ShopFactory(), month=datetime.date(2026, 9, 1), orders=1, sales=1, today=TODAY)
    assert report.is_late
    assert report.status == SalesReport.Status.PENDING
    # A late report may be corrected for as long a window from the day it was reported.
    assert report_editable_until(report) == timezone.localdate(report.created_at) + datetime.timedelta(days=15)
    on_time = submit_sales_report(shop=ShopFactory(), month=datetime.date(2026, 10, 1), orders=1, sales=1, today=TODAY)
    assert not on_time.is_late


def test_a_month_before_the_shop_opened_is_refused():
    shop = ShopFactory(opened_on=datetime.date(2026, 11, 3))
    with pytest.raises(ValidationError) as error:
        submit_sales_report(shop=shop, month=datetime.date(2026, 10, 1), orders=1, sales=1, today=TODAY)
    assert messages_of(error.value) == ["那个月网店还没有开张。"]


# --- Through the pages ---------------------------------------------------------------------


def test_the_merchant_reports_through_the_form_and_sees_clear_errors(client):
    shop = ShopFactory()
    client.force_login(shop.owner)
    url = reverse("merchants:report_create", args=[shop.pk])
    this_month = timezone.localdate().replace(day=1)
    response = client.post(
        url, {"month": f"{this_month:%Y-%m}", "orders": "5", "sales": "500", "products_sold": "脐橙"}
    )
    assert response.status_code == 400
    assert 'value="500"' in response.text and "脐橙" in response.text  # refused, and what was typed is kept
    assert (
        str(ERROR_NOT_OVER)
        % {"month": f"{this_month:%Y-%m}", "date": f"{(this_month + datetime.timedelta(days=32)).replace(day=1)}"}
        in response.text
    )
    month = (this_month - datetime.timedelta(days=1)).replace(day=1)
    response = client.post(url, {"month": f"{month:%Y-%m}", "orders": "5", "sales": "500", "products_sold": "脐橙"})
    assert response.status_code == 302
    response = client.post(
        url, {"month": f"{month:%Y-%m}", "orders": "-1", "sales": "600", "products_sold": "脐橙礼盒"}
    )
    assert response.status_code == 400
    assert "数字不能是负数。" in response.text
    assert "脐橙礼盒" in response.text  # nothing typed is lost
    response = client.post(url, {"month": f"{month:%Y-%m}", "orders": "6", "sales": "600"})
    assert response.status_code == 400
    assert "这家网店这个月已经上报过了，请修改已有的报告。" in response.text
    assert SalesReport.objects.get(shop=shop).orders == 5


def test_another_persons_shop_and_reports_are_not_found(client):
    report = SalesReportFactory()
    client.force_login(TraineeFactory())
    shop = report.shop
    assert client.get(reverse("merchants:shop_detail", args=[shop.pk])).status_code == 404
    assert client.get(reverse("merchants:shop_edit", args=[shop.pk])).status_code == 404
    assert client.post(reverse("merchants:report_create", args=[shop.pk]), {"month": "2025-01"}).status_code == 404
    assert client.get(reverse("merchants:report_edit", args=[shop.pk, report.pk])).status_code == 404


def test_registering_a_shop_validates_the_address(client):
    user = TraineeFactory()
    client.force_login(user)
    response = client.post(
        reverse("merchants:shop_create"),
        {"platform": "taobao", "name": "向家脐橙", "url": "not a url", "opened_on": "2025-05-01"},
    )
    assert response.status_code == 200
    assert "请输入完整的网店地址，以 http:// 或 https:// 开头" in response.text
    assert "向家脐橙" in response.text
    response = client.post(
        reverse("merchants:shop_create"),
        {"platform": "taobao", "name": "向家脐橙", "url": "https://xiangjia.taobao.com", "opened_on": "2025-05-01"},
    )
    assert response.status_code == 302
    assert user.shops.get().name == "向家脐橙"


def test_my_shops_page_has_a_fixed_number_of_queries(client, django_assert_num_queries):
    shop = ShopFactory()
    client.force_login(shop.owner)
    url = reverse("merchants:shops")
    client.get(url)  # warm caches (content types, site)
    with django_assert_num_queries(QUERIES_MY_SHOPS):
        response = client.get(url)
    assert response.status_code == 200
    for month in range(1, 12):
        SalesReportFactory(shop=shop, month=datetime.date(2025, month, 1))
    ShopFactory.create_batch(3, owner=shop.owner)
    with django_assert_num_queries(QUERIES_MY_SHOPS):
        response = client.get(url)
    assert "<svg" in response.text


QUERIES_MY_SHOPS = 4  # the person with their roles and badge, shops, products, monthly totals (session cached)
