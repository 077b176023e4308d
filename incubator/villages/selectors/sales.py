"""The one door through which this app reads the merchants' monthly sales.

The Taobao-village and product figures add up a year of sales. They read the monthly sums the
merchants app keeps as reports are written (incubator/merchants/tallies.py: a row per village
and month, and per product category and month), never the reports themselves; like the county
dashboard (incubator/merchants/dashboard_cache.py), the sums of months closed for edits are
kept in the cache under the CLOSED_SALES family and only the open months' rows are read on a
miss: a few hundred rows whatever the number of shops.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.core.cache import cache

from core import cache_families
from core.cache_families import CLOSED_SALES
from incubator.merchants import periods
from incubator.merchants.dashboard_cache import closed_months_cutoff
from incubator.merchants.models import CategoryMonthSales, SalesReport, VillageMonthSales
from incubator.merchants.tallies import unpack_ids

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


def _with_closed_months(name: str, first, last, read, fold, merge, today=None):
    """The figures of the months from `first` to `last`: `fold(rows)` of `read(first, last)`'s
    rows (each row's month second), the closed months' part kept in the cache. When that part is
    not kept, the whole range is read in one query and split at the cutoff."""
    cutoff, closed, opened = _split(first, last, today or periods.today())
    parts = []
    if closed is not None:
        key = f"villages-{name}-closed:{cache_families.generation(CLOSED_SALES)}:{closed[0]}:{closed[1]}:{cutoff}"
        kept = cache.get(key)
        if kept is None:
            rows = list(read(closed[0], opened[1] if opened else closed[1]))
            kept = fold(row for row in rows if row[1] < cutoff)
            cache.set(key, kept, CLOSED_SALES.timeout)
            if opened is not None:
                parts.append(fold(row for row in rows if row[1] >= cutoff))
                opened = None  # read with the closed months
        parts.append(kept)
    if opened is not None:
        parts.append(fold(read(*opened)))
    return merge(parts)


# --- by village: sales and the shops with sales --------------------------------------------------


def _village_read(first, last):
    """The villages' monthly rows (60 a month, whatever the number of shops): (village id, month,
    verified sales, ids of the shops with verified sales above zero)."""
    return VillageMonthSales.objects.filter(month__gte=first, month__lte=last, village__isnull=False).values_list(
        "village_id", "month", "verified_sales", "sellers"
    )


def _village_fold(rows) -> tuple[dict, dict]:
    """village id -> verified sales, and village id -> the shops with sales, of `rows`."""
    totals: dict = defaultdict(lambda: ZERO)
    active: dict = defaultdict(set)
    for place, _month, total, sellers in rows:
        totals[place] += total
        if sellers:
            active[place].update(unpack_ids(sellers))
    return dict(totals), {place: frozenset(shops) for place, shops in active.items()}


def _village_merge(parts) -> dict:
    totals: dict = defaultdict(lambda: ZERO)
    active: dict = {}
    for part_totals, part_active in parts:
        for place, total in part_totals.items():
            totals[place] += total
        for place, shops in part_active.items():
            # A union only where both parts have shops: the closed months' set is not copied.
            seen = active.get(place)
            active[place] = shops if seen is None else seen | shops
    return {place: (totals.get(place, ZERO), len(active.get(place, ()))) for place in set(totals) | set(active)}


def by_village(*, first: datetime.date, last: datetime.date, today=None) -> dict:
    """village id -> (sales, shops with sales) from `first` to `last`. A report counts in the
    village of its shop owner's trainee profile, else of the owner's own village."""
    return _with_closed_months("villages", first, last, _village_read, _village_fold, _village_merge, today)


# --- by product category and month ---------------------------------------------------------------


def _category_read(first, last):
    """The categories' monthly rows: (category id or None, month, sales, merchants with sales); a
    report's sales are shared evenly among its shop's categories (merchants.tallies)."""
    return CategoryMonthSales.objects.filter(month__gte=first, month__lte=last).values_list(
        "category_id", "month", "sales", "merchants"
    )


def _category_fold(rows) -> dict:
    """(category id or None, month) -> (sales, merchants with sales)."""
    return {(category_id, month): (amount, merchants) for category_id, month, amount, merchants in rows}


def _category_merge(parts) -> dict:
    merged: dict = {}
    for part in parts:
        merged.update(part)  # the parts' months never overlap
    return merged


def by_category_and_month(*, first: datetime.date, last: datetime.date, today=None) -> dict:
    """(category id or None, month) -> (sales, active merchants) from `first` to `last`."""
    return _with_closed_months("categories", first, last, _category_read, _category_fold, _category_merge, today)
