"""Online sales and active merchants per product category, against figures computed by hand."""

import datetime
from decimal import Decimal

import pytest

from incubator.villages.selectors.products import category_figures
from tests.factories import ProductCategoryFactory
from tests.merchants.factories import SalesReportFactory, ShopFactory

pytestmark = pytest.mark.django_db

JAN, FEB, MAR = datetime.date(2025, 1, 1), datetime.date(2025, 2, 1), datetime.date(2025, 3, 1)


def test_sales_and_merchants_per_category_and_month():
    orange = ProductCategoryFactory(slug="navel-orange", name="脐橙", sort_order=1)
    honey = ProductCategoryFactory(slug="honey", name="蜂蜜", sort_order=2)
    only_orange = ShopFactory()
    only_orange.products.set([orange])
    both = ShopFactory()
    both.products.set([orange, honey])
    second_shop_same_owner = ShopFactory(owner=only_orange.owner)
    second_shop_same_owner.products.set([orange])
    uncategorised = ShopFactory()
    SalesReportFactory(shop=only_orange, month=JAN, sales=Decimal("1000"))
    SalesReportFactory(shop=second_shop_same_owner, month=JAN, sales=Decimal("500"))
    SalesReportFactory(shop=both, month=JAN, sales=Decimal("301"))  # 150.50 to each
    SalesReportFactory(shop=both, month=FEB, sales=Decimal("0"))  # not active
    SalesReportFactory(shop=uncategorised, month=FEB, sales=Decimal("80"))
    SalesReportFactory(shop=only_orange, month=datetime.date(2024, 12, 1), sales=Decimal("9999"))  # before

    rows = category_figures(first=JAN, last=MAR)
    by = {getattr(row.category, "slug", None): row for row in rows}
    assert [getattr(r.category, "slug", None) for r in rows] == ["navel-orange", "honey", None]
    assert [(m.month, m.sales, m.merchants) for m in by["navel-orange"].months] == [
        (JAN, Decimal("1650.50"), 2),  # one owner with two shops counts once
        (FEB, Decimal("0.00"), 0),
        (MAR, Decimal("0.00"), 0),
    ]
    assert by["honey"].sales == Decimal("150.50") and by["honey"].first_merchants == 1
    assert by[None].sales == Decimal("80.00") and by[None].peak_merchants == 1
    assert sum(row.sales for row in rows) == Decimal("1881.00")  # the county total, split without loss
