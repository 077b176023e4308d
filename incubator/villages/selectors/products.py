"""Online sales and active merchants per product category, month by month.

A report's sales are shared evenly among its shop's product categories (a shop that lists
navel orange and honey counts half of its sales in each), so the categories add up to the
county's total; a shop with no category counts under "no category" (None). An active merchant
of a category in a month is an owner with a counted report of sales above zero that month for
a shop listing the category."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from incubator.merchants import periods
from incubator.merchants.selectors.figures import ZERO, money
from incubator.villages.selectors.sales import by_category_and_month as sales_by_category_and_month


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
    """Per category, each month from `first` to `last`: sales and active merchants (the closed
    months' sums kept: incubator/villages/selectors/sales.py); categories with no sales in the
    period are left out; the biggest sellers first."""
    from core.models import ProductCategory

    months = periods.month_range(first, last)
    figures = sales_by_category_and_month(first=first, last=last)
    sales = {key: amount for key, (amount, _merchants) in figures.items()}
    merchants = {key: count for key, (_amount, count) in figures.items()}
    found = {category_id for category_id, _month in sales}
    categories = {c.pk: c for c in ProductCategory.objects.filter(pk__in=[c for c in found if c is not None])}
    rows = []
    for category_id in found:
        row = CategoryRow(category=categories.get(category_id))
        row.months = [
            CategoryMonth(month=m, sales=money(sales.get((category_id, m), ZERO)), merchants=merchants.get((category_id, m), 0))
            for m in months
        ]  # fmt: skip
        rows.append(row)
    rows.sort(key=lambda r: (r.category is None, -r.sales, getattr(r.category, "sort_order", 0)))
    return rows
