"""A merchant's own shops and monthly sales, and the public directory of graduates' shops."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum, Value
from django.db.models.functions import Coalesce

from incubator.merchants import periods
from incubator.merchants.models import SalesReport, Shop
from incubator.merchants.selectors.figures import MONEY, STAGES_GRADUATED, ZERO, money


@dataclass
class MonthPoint:
    month: datetime.date
    sales: Decimal
    orders: int
    # The county's months: what was reported and still awaits verification (never in `sales`).
    awaiting_sales: Decimal = Decimal("0.00")
    awaiting_orders: int = 0


def monthly_sales(*, owner=None, shop=None, first: datetime.date, last: datetime.date) -> list[MonthPoint]:
    """Sales and orders per month from `first` to `last` (months without reports are zero)."""
    reports = SalesReport.objects.filter(month__gte=periods.month_start(first), month__lte=last)
    if owner is not None:
        reports = reports.filter(shop__owner=owner)
    if shop is not None:
        reports = reports.filter(shop=shop)
    totals = {
        row["month"]: row
        for row in reports.values("month").annotate(total=Sum("sales"), order_count=Sum("orders")).order_by()
    }
    return [
        MonthPoint(month, money(totals.get(month, {}).get("total")), totals.get(month, {}).get("order_count") or 0)
        for month in periods.month_range(first, last)
    ]


def owner_shops(*, owner):
    """The person's shops with their report count and total sales, products prefetched."""
    return (
        Shop.objects.filter(owner=owner)
        .annotate(
            report_count=Count("reports"), total_sales=Coalesce(Sum("reports__sales"), Value(ZERO), output_field=MONEY)
        )
        .prefetch_related("products")
        .order_by("opened_on", "pk")
    )


# --- The public directory ------------------------------------------------------------------


def directory_shops(*, product: str = "", township: str = ""):
    """Opted-in shops of people who have graduated, filterable by product slug and township code."""
    shops = (
        Shop.objects.filter(in_directory=True, owner__trainee_profile__stage__in=STAGES_GRADUATED)
        .select_related("owner", "owner__trainee_profile__village__township")
        .prefetch_related("products")
        .order_by("-is_verified", "name", "pk")
    )
    if product:
        shops = shops.filter(products__slug=product)
    if township:
        shops = shops.filter(owner__trainee_profile__village__township__code=township)
    return shops.distinct() if product else shops
