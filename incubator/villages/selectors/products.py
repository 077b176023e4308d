"""Online sales and active merchants per product category, month by month.

A report's sales are shared evenly among its shop's product categories (a shop that lists
navel orange and honey counts half of its sales in each), so the categories add up to the
county's total; a shop with no category counts under "no category" (None). An active merchant
of a category in a month is an owner with a counted report of sales above zero that month for
a shop listing the category."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from incubator.merchants import periods
from incubator.merchants.models import Shop
from incubator.merchants.selectors.figures import ZERO, money
from incubator.villages.selectors.sales import counted_reports


@dataclass
class CategoryMonth:
    month: datetime.date
    sales: Decimal = ZERO
    merchants: int = 0


@dataclass
class CategoryRow:
    category: object  # core.ProductCategory, or None: shops without a category
    months: list = field(default_factory=list)

    @property
    def sales(self) -> Decimal:
        return money(sum((m.sales for m in self.months), ZERO))

    @property
    def first_merchants(self) -> int:
        return self.months[0].merchants if self.months else 0

    @property
    def last_merchants(self) -> int:
        return self.months[-1].merchants if self.months else 0

    @property
    def peak_merchants(self) -> int:
        return max((m.merchants for m in self.months), default=0)


def category_figures(*, first: datetime.date, last: datetime.date) -> list[CategoryRow]:
    """Per category, each month from `first` to `last`: sales and active merchants. Three queries;
    categories with no sales in the period are left out; the biggest sellers first."""
    from core.models import ProductCategory

    months = periods.month_range(first, last)
    reports = list(
        counted_reports()
        .filter(month__gte=periods.month_start(first), month__lte=last)
        .values_list("shop_id", "shop__owner_id", "month", "sales")
    )
    shop_ids = {shop_id for shop_id, _o, _m, _s in reports}
    categories_of = defaultdict(list)
    for shop_id, category_id in Shop.products.through.objects.filter(shop_id__in=shop_ids).values_list(
        "shop_id", "productcategory_id"
    ):
        categories_of[shop_id].append(category_id)
    sales: dict = defaultdict(lambda: ZERO)
    merchants: dict = defaultdict(set)
    for shop_id, owner_id, month, amount in reports:
        shares = categories_of.get(shop_id) or [None]
        part = Decimal(amount) / len(shares)
        for category_id in shares:
            sales[(category_id, month)] += part
            if amount > 0:
                merchants[(category_id, month)].add(owner_id)
    found = {category_id for category_id, _month in sales}
    categories = {c.pk: c for c in ProductCategory.objects.filter(pk__in=[c for c in found if c is not None])}
    rows = []
    for category_id in found:
        row = CategoryRow(category=categories.get(category_id))
        row.months = [
            CategoryMonth(month=m, sales=money(sales.get((category_id, m), ZERO)), merchants=len(merchants.get((category_id, m), ())))
            for m in months
        ]  # fmt: skip
        rows.append(row)
    rows.sort(key=lambda r: (r.category is None, -r.sales, getattr(r.category, "sort_order", 0)))
    return rows
