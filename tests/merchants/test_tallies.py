"""The monthly sums kept as reports are written (incubator/merchants/tallies.py) stay equal to
the sums of the reports themselves after every kind of write: a report sent, verified, sent back,
corrected or deleted; a shop, a person or a village deleted; a person moved to another village;
a shop's categories or its owner changed; a write that sends no signal. Each test fails when the
hook that keeps the sums for that write is taken out."""

import datetime
import io
from decimal import Decimal

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import cache_families
from incubator.merchants import tallies
from incubator.merchants.models import CategoryMonthSales, SalesReport, VillageMonthSales
from incubator.merchants.services import sales as sales_services
from tests.factories import OfficeFactory, ProductCategoryFactory, UserFactory, VillageFactory
from tests.merchants.factories import SalesReportFactory, ShopFactory, make_profile

pytestmark = pytest.mark.django_db

MARCH, APRIL = datetime.date(2025, 3, 1), datetime.date(2025, 4, 1)
CENT, SHARE = Decimal("0.01"), Decimal("0.0001")


def _village_key(row):
    return (
        row.village_id or 0,
        row.month,
        Decimal(row.verified_sales).quantize(CENT),
        row.verified_orders,
        Decimal(row.awaiting_sales).quantize(CENT),
        row.awaiting_orders,
        tuple(tallies.unpack_ids(row.sellers)),
    )


def _category_key(row):
    return (row.category_id or 0, row.month, Decimal(row.sales).quantize(SHARE), row.merchants)


def kept():
    return (
        sorted(_village_key(row) for row in VillageMonthSales.objects.all()),
        sorted(_category_key(row) for row in CategoryMonthSales.objects.all()),
    )


def from_the_reports():
    reports = SalesReport.objects.all()
    return (
        sorted(_village_key(row) for row in tallies.village_rows(reports)),
        sorted(_category_key(row) for row in tallies.category_rows(reports)),
    )


def assert_kept():
    assert kept() == from_the_reports()


def village_row(village, month):
    return VillageMonthSales.objects.get(village=village, month=month)


def test_a_report_through_its_life_moves_its_village_and_categories():
    office = OfficeFactory()
    hills, plains = VillageFactory(code="hills"), VillageFactory(code="plains")
    oranges = ProductCategoryFactory(slug="oranges")
    shop = ShopFactory(owner=make_profile(village=hills).user)
    shop.products.set([oranges])
    SalesReportFactory(shop=ShopFactory(owner=make_profile(village=plains).user), month=MARCH, sales=Decimal("50"))
    today = datetime.date(2025, 4, 3)

    report = sales_services.submit_sales_report(shop=shop, month=MARCH, orders=4, sales=Decimal("300"), today=today)
    row = village_row(hills, MARCH)
    assert (row.verified_sales, row.awaiting_sales, row.awaiting_orders, list(tallies.unpack_ids(row.sellers))) == (
        0,
        300,
        4,
        [],
    )
    assert_kept()

    report = sales_services.send_back_report(report=report, by=office, reason="截图看不清")
    assert not VillageMonthSales.objects.filter(village=hills, month=MARCH).exists()  # in neither sum
    assert_kept()

    report = sales_services.update_sales_report(report=report, orders=5, sales=Decimal("320"), today=today)
    report = sales_services.verify_report(report=report, by=office, today=today)
    row = village_row(hills, MARCH)
    assert (row.verified_sales, row.verified_orders, row.awaiting_sales, list(tallies.unpack_ids(row.sellers))) == (
        320,
        5,
        0,
        [shop.pk],
    )
    assert CategoryMonthSales.objects.get(category=oranges, month=MARCH).sales == Decimal("320")
    assert_kept()

    sales_services.office_correct_report(
        report=report, orders=6, sales=Decimal("330"), by=office, reason="核对订单", today=today
    )
    assert village_row(hills, MARCH).awaiting_sales == Decimal("330")
    assert_kept()
    assert village_row(plains, MARCH).verified_sales == Decimal("50")  # the other village untouched

    SalesReport.objects.get(pk=report.pk).delete()
    assert not VillageMonthSales.objects.filter(village=hills).exists()
    assert not CategoryMonthSales.objects.filter(category=oranges).exists()
    assert_kept()


@pytest.mark.parametrize("what", ["shop", "person", "village"])
def test_deleting_a_shop_a_person_or_a_village_takes_their_sales_out(what):
    hills = VillageFactory(code="hills")
    profile = make_profile(village=hills)
    shop = ShopFactory(owner=profile.user)
    shop.products.set([ProductCategoryFactory()])
    for month in (MARCH, APRIL):
        SalesReportFactory(shop=shop, month=month)
    other = SalesReportFactory(shop=ShopFactory(owner=make_profile(village=VillageFactory()).user), month=MARCH)
    assert_kept()
    if what == "shop":
        shop.delete()
    elif what == "person":
        profile.user.delete()
    else:
        profile.delete()  # a profile's village is protected: the person is placed by their account
        profile.user.village = None
        profile.user.save()
        hills.delete()
    assert_kept()
    assert VillageMonthSales.objects.filter(village=other.shop.owner.trainee_profile.village).exists()


def test_a_person_moved_to_another_village_takes_every_month_with_them():
    hills, plains, river = VillageFactory(code="hills"), VillageFactory(code="plains"), VillageFactory(code="river")
    profile = make_profile(village=hills)
    shop = ShopFactory(owner=profile.user)
    for month in (MARCH, APRIL):
        SalesReportFactory(shop=shop, month=month, sales=Decimal("100"))
    profile.village = plains
    profile.save()
    assert set(VillageMonthSales.objects.values_list("village__code", flat=True)) == {"plains"}
    assert_kept()

    # Without a trainee profile the account's village places the person; with one, it does not.
    profile.delete()
    assert_kept()
    user = shop.owner
    user.village = river
    user.save()
    assert set(VillageMonthSales.objects.values_list("village__code", flat=True)) == {"river"}
    assert_kept()
    make_profile(user=user, village=hills)
    assert set(VillageMonthSales.objects.values_list("village__code", flat=True)) == {"hills"}
    user.village = plains
    user.save()
    assert_kept()


def test_a_shops_categories_share_its_sales_and_follow_every_change():
    oranges, honey, tea = (ProductCategoryFactory(slug=slug) for slug in ("oranges", "honey", "tea"))
    shop = ShopFactory(owner=make_profile().user)
    SalesReportFactory(shop=shop, month=MARCH, sales=Decimal("300"))
    assert CategoryMonthSales.objects.get(category=None).sales == Decimal("300")  # names none
    shop.products.add(oranges, honey)
    assert {row.category_id: row.sales for row in CategoryMonthSales.objects.all()} == {
        oranges.pk: Decimal("150"),
        honey.pk: Decimal("150"),
    }
    assert_kept()
    shop.products.remove(honey)
    assert_kept()
    shop.products.set([tea, honey])
    assert_kept()
    tea.shops.add(ShopFactory(owner=shop.owner))  # from the category's side
    assert_kept()
    honey.delete()
    assert_kept()
    shop.products.clear()
    assert_kept()
    assert CategoryMonthSales.objects.get().category_id is None


def test_a_shop_given_to_another_owner_moves_its_sales():
    hills, plains = VillageFactory(code="hills"), VillageFactory(code="plains")
    shop = ShopFactory(owner=make_profile(village=hills).user)
    shop.products.set([ProductCategoryFactory()])
    SalesReportFactory(shop=shop, month=MARCH)
    SalesReportFactory(shop=ShopFactory(owner=shop.owner), month=MARCH)  # the first owner sells on
    shop.owner = make_profile(village=plains).user
    shop.save()
    assert list(tallies.unpack_ids(village_row(plains, MARCH).sellers)) == [shop.pk]
    assert_kept()


def test_a_write_that_sends_no_signal_adds_everything_up_again():
    report = SalesReportFactory(shop=ShopFactory(owner=make_profile().user), month=MARCH)
    with cache_families.bulk_write(SalesReport):
        SalesReport.objects.filter(pk=report.pk).update(sales=Decimal("999"))
    assert VillageMonthSales.objects.get().verified_sales == Decimal("999")
    assert_kept()


def test_a_person_without_any_village_is_summed_apart():
    shop = ShopFactory(owner=UserFactory(village=None))
    SalesReportFactory(shop=shop, month=MARCH, sales=Decimal("70"))
    assert VillageMonthSales.objects.get().village is None
    assert_kept()


def test_the_figures_read_the_sums_never_the_reports():
    """The dashboard's sales by township and the villages' Taobao and product figures: a few rows
    a month whatever the number of reports."""
    from incubator.merchants.selectors.dashboard import sales_by_township_and_month
    from incubator.villages.selectors import sales as village_sales

    hills = VillageFactory(code="hills")
    shop = ShopFactory(owner=make_profile(village=hills).user)
    shop.products.set([ProductCategoryFactory()])
    SalesReportFactory(shop=shop, month=MARCH, sales=Decimal("700"), orders=7)
    SalesReportFactory(shop=ShopFactory(owner=shop.owner), month=MARCH, sales=Decimal("5"), status="pending")
    with CaptureQueriesContext(connection) as queries:
        by_township = sales_by_township_and_month()
        by_village = village_sales._village_fold(village_sales._village_read(MARCH, APRIL))
        by_category = village_sales._category_fold(village_sales._category_read(MARCH, APRIL))
    assert not [q["sql"] for q in queries if "merchants_salesreport" in q["sql"]]
    assert by_township == {(hills.township_id, MARCH): (Decimal("700.00"), 7, Decimal("5.00"), 10)}
    assert by_village == ({hills.pk: Decimal("700.00")}, {hills.pk: frozenset({shop.pk})})
    assert [amount for amount, _merchants in by_category.values()] == [Decimal("700")]


def test_the_command_adds_everything_up_again():
    from django.core.management import call_command

    SalesReportFactory(shop=ShopFactory(owner=make_profile().user), month=MARCH)
    VillageMonthSales.objects.all().delete()
    call_command("rebuild_sales_tallies", stdout=io.StringIO())
    assert_kept()
    assert VillageMonthSales.objects.count() == 1


def test_the_sellers_ids_are_packed_and_read_back_whole():
    ids = [1, 2, 300, 70_000, 2**32 - 1]
    packed = tallies.pack_ids(ids)
    assert len(packed) == 4 * len(ids)
    assert list(tallies.unpack_ids(packed)) == ids
    assert list(tallies.unpack_ids(memoryview(packed))) == ids  # as some drivers hand bytea over
    assert list(tallies.unpack_ids(b"")) == []
