"""The one door through which this app reads the merchants' monthly sales reports.

The Taobao-village and product figures add up a year of reports (60,000 at county scale). Like
the county dashboard (incubator/merchants/dashboard_cache.py), the sums of months closed for
edits are kept in the cache under the CLOSED_SALES family (dropped when a closed month's report,
a shop, its products or who sold where changes) and only the open months' reports are read on a
miss, by grouped queries: the database adds up, Python merges a few hundred sums.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Aggregate, Count, DecimalField, F, Func, JSONField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from core import cache_families
from core.cache_families import CLOSED_SALES
from incubator.merchants import periods
from incubator.merchants.dashboard_cache import closed_months_cutoff
from incubator.merchants.models import SalesReport, Shop

ZERO = Decimal("0")


def counted_reports():
    """The monthly sales reports that count in the Taobao-village and product figures: the
    verified ones only, as on the county dashboard (docs/figures.md)."""
    return SalesReport.objects.filter(status=SalesReport.Status.VERIFIED)


def _split(first: datetime.date, last: datetime.date, today: datetime.date):
    """The closed part (first, last month) and the open part of a range of months, either None."""
    cutoff = closed_months_cutoff(today)
    first, last = periods.month_start(first), periods.month_start(last)
    closed = (first, min(last, periods.add_months(cutoff, -1))) if first < cutoff else None
    opened = (max(first, cutoff), last) if last >= cutoff else None
    return cutoff, closed, opened


def _with_closed_months(name: str, first, last, read, merge, today=None):
    """`read(first, last)` over the months, the closed ones from the cache when kept there."""
    cutoff, closed, opened = _split(first, last, today or periods.today())
    parts = []
    if closed is not None:
        key = f"villages-{name}-closed:{cache_families.generation(CLOSED_SALES)}:{closed[0]}:{closed[1]}:{cutoff}"
        kept = cache.get(key)
        if kept is None:
            kept = read(*closed)
            cache.set(key, kept, CLOSED_SALES.timeout)
        parts.append(kept)
    if opened is not None:
        parts.append(read(*opened))
    return merge(parts)


# --- by village: sales and the shops with sales --------------------------------------------------


class DistinctIds(Aggregate):
    """The distinct values of a group as a JSON array (`jsonb_agg` on PostgreSQL,
    `json_group_array` on SQLite); no array when no row of the group passes the filter."""

    function = "JSONB_AGG"
    template = "%(function)s(DISTINCT %(expressions)s)"
    output_field = JSONField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra_context)


def _village_read(first, last) -> tuple[dict, dict]:
    """village id -> sales, and village id -> ids of shops with sales above zero: one query, a
    row per village (the shops' ids as one array: a row per shop was 5,000 rows at county scale
    for Python to add up on every miss)."""
    rows = (
        counted_reports()
        .filter(month__gte=first, month__lte=last)
        .annotate(place=Coalesce("shop__owner__trainee_profile__village", "shop__owner__village"))
        .values("place")
        .annotate(total=Sum("sales"), sellers=DistinctIds("shop_id", filter=Q(sales__gt=0)))
        .order_by()
        .values_list("place", "total", "sellers")
    )
    totals, active = {}, {}
    for place, total, sellers in rows:
        if place is None:
            continue
        totals[place] = total or ZERO
        if sellers:
            active[place] = frozenset(sellers)
    return totals, active


def _village_merge(parts) -> dict:
    totals: dict = defaultdict(lambda: ZERO)
    active: dict = defaultdict(set)
    for part_totals, part_active in parts:
        for place, total in part_totals.items():
            totals[place] += total
        for place, shops in part_active.items():
            active[place] |= shops
    return {place: (totals.get(place, ZERO), len(active.get(place, ()))) for place in set(totals) | set(active)}


def by_village(*, first: datetime.date, last: datetime.date, today=None) -> dict:
    """village id -> (sales, shops with sales) from `first` to `last`. A report counts in the
    village of its shop owner's trainee profile, else of the owner's own village."""
    return _with_closed_months("villages", first, last, _village_read, _village_merge, today)


# --- by product category and month ---------------------------------------------------------------


class Share(Func):
    """An amount divided by a count, as a decimal. SQLite keeps a whole amount (301.00) as the
    integer 301 and would divide it as one (150, not 150.50): there it is made a real first."""

    arg_joiner = " / "
    template = "(%(expressions)s)"
    output_field = DecimalField(max_digits=30, decimal_places=12)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, arg_joiner=" * 1.0 / ", **extra_context)


def _category_read(first, last) -> dict:
    """(category id or None, month) -> (sales, merchants with sales): a report's sales shared
    evenly among its shop's categories, in one grouped query."""
    categories = (
        Shop.products.through.objects.filter(shop_id=OuterRef("shop_id"))
        .order_by()
        .values("shop_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    share = Share(F("sales"), Coalesce(Subquery(categories), 1))
    rows = (
        counted_reports()
        .filter(month__gte=first, month__lte=last)
        .values("shop__products", "month")
        .annotate(amount=Sum(share), merchants=Count("shop__owner", distinct=True, filter=Q(sales__gt=0)))
        .order_by()
        .values_list("shop__products", "month", "amount", "merchants")
    )
    return {(category_id, month): (amount or ZERO, merchants) for category_id, month, amount, merchants in rows}


def _category_merge(parts) -> dict:
    merged: dict = {}
    for part in parts:
        merged.update(part)  # the parts' months never overlap
    return merged


def by_category_and_month(*, first: datetime.date, last: datetime.date, today=None) -> dict:
    """(category id or None, month) -> (sales, active merchants) from `first` to `last`."""
    return _with_closed_months("categories", first, last, _category_read, _category_merge, today)
