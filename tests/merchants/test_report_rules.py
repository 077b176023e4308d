"""What a report may say: hard limits refused; far above the usual accepted but flagged (the edges
of both rules); the status machine in one table."""

import datetime
from decimal import Decimal

import pytest

from django.core.exceptions import ValidationError

from incubator.merchants.models import REPORT_TRANSITIONS, SalesReport
from incubator.merchants.services import sales as sales_services
from incubator.merchants.services.sales import (
    ERROR_FLAGGED_NEEDS_EVIDENCE,
    ERROR_TOO_MANY_ORDERS,
    ERROR_TOO_MUCH_SALES,
    flag_reason,
    submit_sales_report,
    verify_report,
)
from incubator.recruitment.services.transitions import InvalidTransition
from tests.factories import OfficeFactory

from .factories import SalesReportFactory, ShopFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 10)
OCTOBER = datetime.date(2026, 10, 1)
Status = SalesReport.Status


def months_before(month, count):
    from incubator.merchants import periods

    return [periods.add_months(month, -n) for n in range(1, count + 1)]


def shop_with_history(sales_figures, **shop_kwargs):
    shop = ShopFactory(opened_on=datetime.date(2024, 1, 1), **shop_kwargs)
    for month, sales in zip(months_before(OCTOBER, len(sales_figures)), sales_figures, strict=True):
        SalesReportFactory(shop=shop, month=month, sales=Decimal(sales))
    return shop


# --- hard limits ---------------------------------------------------------------------------


def test_figures_past_the_hard_limits_are_refused(settings):
    settings.SALES_REPORT_MAX_SALES = Decimal("1000000")
    settings.SALES_REPORT_MAX_ORDERS = 5000
    shop = ShopFactory()
    with pytest.raises(ValidationError) as error:
        submit_sales_report(shop=shop, month=OCTOBER, orders=5001, sales="1000000.01", today=TODAY)
    assert error.value.message_dict == {
        "orders": [str(ERROR_TOO_MANY_ORDERS) % {"limit": 5000}],
        "sales": [str(ERROR_TOO_MUCH_SALES) % {"limit": Decimal("1000000")}],
    }
    assert not SalesReport.objects.exists()
    # Exactly at the limits is allowed.
    report = submit_sales_report(shop=shop, month=OCTOBER, orders=5000, sales="1000000", today=TODAY)
    assert report.pk


def test_the_issue_s_trillion_yuan_month_is_refused_with_the_default_limits():
    with pytest.raises(ValidationError) as error:
        submit_sales_report(shop=ShopFactory(), month=OCTOBER, orders=1, sales="999999999999.99", today=TODAY)
    assert list(error.value.message_dict) == ["sales"]


# --- flagging: five times the shop's median --------------------------------------------------


def test_five_times_the_median_of_the_last_six_months_is_the_edge():
    # Six months of 100..600 (median 350) and an older month that is not among the last six.
    shop = shop_with_history(["100", "200", "300", "400", "500", "600", "9000"])
    assert flag_reason(shop=shop, month=OCTOBER, sales=Decimal("1750.00")) == ""  # 5 × 350: not above
    assert flag_reason(shop=shop, month=OCTOBER, sales=Decimal("1750.01")) != ""
    report = submit_sales_report(shop=shop, month=OCTOBER, orders=10, sales="1750.01", today=TODAY)
    assert report.status == Status.FLAGGED
    assert "350.00" in report.flag_reason


def test_the_median_rule_waits_for_three_months_of_history():
    shop = shop_with_history(["100", "100"])
    assert flag_reason(shop=shop, month=OCTOBER, sales=Decimal("100000")) == ""
    shop = shop_with_history(["100", "100", "100"])
    assert flag_reason(shop=shop, month=OCTOBER, sales=Decimal("500.01")) != ""


def test_the_factor_is_a_setting(settings):
    settings.SALES_REPORT_FLAG_FACTOR = 10
    shop = shop_with_history(["100", "100", "100"])
    assert flag_reason(shop=shop, month=OCTOBER, sales=Decimal("1000")) == ""
    assert flag_reason(shop=shop, month=OCTOBER, sales=Decimal("1000.01")) != ""


def test_flagged_and_sent_back_months_do_not_make_the_median():
    shop = shop_with_history(["100", "100", "100"])
    SalesReportFactory(
        shop=shop, month=datetime.date(2026, 6, 1), sales=Decimal("90000"), status=Status.FLAGGED, verified_at=None
    )
    assert flag_reason(shop=shop, month=OCTOBER, sales=Decimal("600")) != ""


# --- flagging: the county's 99.5th percentile for the platform -----------------------------


def county_of(platform, count, *, month=datetime.date(2026, 9, 1)):
    """`count` verified months of other shops on the platform with sales 1, 2, ... count yuan."""
    shops = [ShopFactory(platform=platform) for _ in range(count)]
    for n, shop in enumerate(shops, start=1):
        SalesReportFactory(shop=shop, month=month, sales=Decimal(n))


def test_above_the_county_s_99_5th_percentile_of_the_platform_is_flagged():
    county_of("jd", 200)
    # Nearest rank: ceil(0.995 × 200) = 199th of 200, i.e. 199 yuan.
    shop = ShopFactory(platform="jd")
    assert flag_reason(shop=shop, month=OCTOBER, sales=Decimal("199")) == ""
    assert flag_reason(shop=shop, month=OCTOBER, sales=Decimal("199.01")) != ""
    # Other platforms' shops are another distribution.
    assert flag_reason(shop=ShopFactory(platform="douyin"), month=OCTOBER, sales=Decimal("100000")) == ""


def test_the_percentile_needs_a_sample_and_counts_verified_months_only(settings):
    settings.SALES_REPORT_PERCENTILE_MIN_SAMPLE = 50
    county_of("pinduoduo", 49)
    shop = ShopFactory(platform="pinduoduo")
    assert flag_reason(shop=shop, month=OCTOBER, sales=Decimal("100000")) == ""
    SalesReportFactory(
        shop=ShopFactory(platform="pinduoduo"),
        month=datetime.date(2026, 9, 1),
        sales=Decimal("5"),
        status=Status.PENDING,
        verified_at=None,
    )
    assert flag_reason(shop=shop, month=OCTOBER, sales=Decimal("100000")) == ""
    SalesReportFactory(shop=ShopFactory(platform="pinduoduo"), month=datetime.date(2026, 9, 1), sales=Decimal("50"))
    assert flag_reason(shop=shop, month=OCTOBER, sales=Decimal("100000")) != ""


def test_the_percentile_is_a_setting(settings):
    settings.SALES_REPORT_FLAG_PERCENTILE = 90
    county_of("wechat", 100)
    shop = ShopFactory(platform="wechat")
    assert flag_reason(shop=shop, month=OCTOBER, sales=Decimal("90")) == ""
    assert flag_reason(shop=shop, month=OCTOBER, sales=Decimal("90.01")) != ""


# --- verification of a flagged report; the status machine ------------------------------------


def test_a_flagged_report_is_verified_only_with_evidence():
    shop = shop_with_history(["100", "100", "100"])
    report = submit_sales_report(shop=shop, month=OCTOBER, orders=3, sales="5000", today=TODAY)
    assert report.status == Status.FLAGGED
    with pytest.raises(ValidationError) as error:
        verify_report(report=report, by=OfficeFactory(), today=TODAY)
    assert error.value.messages == [str(ERROR_FLAGGED_NEEDS_EVIDENCE)]
    SalesReport.objects.filter(pk=report.pk).update(evidence_level=SalesReport.Evidence.DOCUMENT)
    verified = verify_report(report=report, by=OfficeFactory(), today=TODAY)
    assert verified.status == Status.VERIFIED and verified.verified_at and verified.verified_by


def test_every_status_has_its_transitions_in_one_table():
    assert set(REPORT_TRANSITIONS) == set(Status.values)
    assert Status.VERIFIED not in REPORT_TRANSITIONS[Status.SENT_BACK]  # fixed first, then verified
    report = SalesReportFactory(status=Status.SENT_BACK, verified_at=None, sent_back_reason="截图看不清")
    with pytest.raises(InvalidTransition):
        sales_services._move(report, Status.VERIFIED)
