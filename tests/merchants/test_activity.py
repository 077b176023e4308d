"""Active and dormant merchants: the stage follows reports with orders in the last three months."""

import datetime

import pytest

from django.utils import timezone

from incubator.merchants.services.activity import activity_window_start, refresh_activity, refresh_all_activity
from incubator.merchants.services.sales import submit_sales_report, verify_report
from incubator.merchants.services.shops import register_shop
from incubator.recruitment.models import StageChange
from tests.factories import OfficeFactory

from .factories import SalesReportFactory, ShopFactory, make_profile

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.make_aware(datetime.datetime(2025, 1, 1, 9, 0))


def merchant(stage="merchant", changed_at=LONG_AGO):
    shop = ShopFactory(opened_on=datetime.date(2024, 6, 1))
    profile = make_profile(user=shop.owner, stage=stage, changed_at=changed_at)
    return profile, shop


def stage_of(profile):
    profile.refresh_from_db()
    return profile.stage


def test_the_window_is_the_three_complete_months_and_the_current_one():
    assert activity_window_start(datetime.date(2026, 12, 1)) == datetime.date(2026, 9, 1)
    assert activity_window_start(datetime.date(2026, 11, 30)) == datetime.date(2026, 8, 1)


def test_a_merchant_with_orders_in_the_window_stays_active():
    profile, shop = merchant()
    SalesReportFactory(shop=shop, month=datetime.date(2026, 9, 1), orders=3)
    assert refresh_activity(user=profile.user, today=datetime.date(2026, 12, 31)) is None
    assert stage_of(profile) == "merchant"


def test_a_merchant_becomes_dormant_the_day_the_last_sale_leaves_the_window():
    profile, shop = merchant()
    SalesReportFactory(shop=shop, month=datetime.date(2026, 8, 1), orders=3)
    assert refresh_all_activity(today=datetime.date(2026, 11, 30)) == {"merchant": 0, "dormant": 0}
    assert stage_of(profile) == "merchant"
    assert refresh_all_activity(today=datetime.date(2026, 12, 1)) == {"merchant": 0, "dormant": 1}
    assert stage_of(profile) == "dormant"
    change = StageChange.objects.filter(profile=profile).last()
    assert (change.from_stage, change.to_stage) == ("merchant", "dormant")


def test_reports_without_orders_do_not_count():
    profile, shop = merchant()
    SalesReportFactory(shop=shop, month=datetime.date(2026, 10, 1), orders=0, sales=0)
    refresh_all_activity(today=datetime.date(2026, 11, 5))
    assert stage_of(profile) == "dormant"


def test_a_dormant_merchant_is_active_again_once_a_report_with_orders_is_verified():
    profile, shop = merchant(stage="dormant")
    nothing = submit_sales_report(
        shop=shop, month=datetime.date(2026, 9, 1), orders=0, sales=0, today=datetime.date(2026, 11, 3)
    )
    verify_report(report=nothing, by=OfficeFactory(), today=datetime.date(2026, 11, 3))
    assert stage_of(profile) == "dormant"
    report = submit_sales_report(
        shop=shop, month=datetime.date(2026, 10, 1), orders=2, sales=90, today=datetime.date(2026, 11, 3)
    )
    # Reported but not verified yet: it does not count.
    assert refresh_activity(user=profile.user, today=datetime.date(2026, 11, 3)) is None
    assert stage_of(profile) == "dormant"
    verify_report(report=report, by=OfficeFactory(), today=datetime.date(2026, 11, 3))
    assert stage_of(profile) == "merchant"


def test_only_verified_reports_keep_a_merchant_active():
    profile, shop = merchant()
    SalesReportFactory(shop=shop, month=datetime.date(2026, 10, 1), orders=3, status="pending", verified_at=None)
    SalesReportFactory(shop=shop, month=datetime.date(2026, 11, 1), orders=3, status="flagged", verified_at=None)
    assert refresh_activity(user=profile.user, today=datetime.date(2026, 12, 31)) == "dormant"


def test_a_new_merchant_has_three_months_before_being_called_dormant():
    became = timezone.make_aware(datetime.datetime(2026, 9, 20, 10, 0))
    profile, _shop = merchant(changed_at=became)
    refresh_all_activity(today=datetime.date(2026, 12, 31))
    assert stage_of(profile) == "merchant"
    refresh_all_activity(today=datetime.date(2027, 1, 1))
    assert stage_of(profile) == "dormant"


def test_a_graduate_who_registers_a_shop_becomes_a_merchant():
    profile = make_profile(stage="graduate")
    register_shop(
        owner=profile.user,
        platform="douyin",
        name="小梅蜂蜜",
        url="https://v.douyin.com/xiaomei",
        opened_on=datetime.date(2026, 5, 1),
    )
    assert stage_of(profile) == "merchant"


def test_a_trainee_who_registers_a_shop_stays_a_trainee():
    profile = make_profile(stage="trainee")
    register_shop(
        owner=profile.user,
        platform="taobao",
        name="小梅蜂蜜",
        url="https://xiaomei.taobao.com",
        opened_on=datetime.date(2026, 5, 1),
    )
    assert stage_of(profile) == "trainee"


def test_the_nightly_task_is_idempotent():
    from incubator.merchants.tasks import refresh_merchant_activity

    profile, _shop = merchant()
    refresh_merchant_activity.apply()
    refresh_merchant_activity.apply()
    assert stage_of(profile) == "dormant"
    assert StageChange.objects.filter(profile=profile).count() == 1
