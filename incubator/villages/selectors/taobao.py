"""Taobao villages: a village counts when its yearly online sales reach a threshold and its
active online shops reach a number or a share of its households (Alibaba Research's criteria
by default: ¥10 million a year, and at least 100 active shops or 10% of households).

A report counts in the village of its shop owner's trainee profile, else of the owner's own
village (the county dashboard's rule). An active shop is one with a counted report of sales
above zero in the period."""

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from incubator.merchants import periods
from incubator.merchants.selectors.figures import ZERO, money
from incubator.villages.selectors import sales


@dataclass(frozen=True)
class Thresholds:
    sales: Decimal
    shops: int
    household_share: Decimal  # 0.10 is 10%

    @classmethod
    def from_settings(cls) -> "Thresholds":
        return cls(
            sales=Decimal(str(getattr(settings, "VILLAGES_TAOBAO_MIN_SALES", 10_000_000))),
            shops=int(getattr(settings, "VILLAGES_TAOBAO_MIN_SHOPS", 100)),
            household_share=Decimal(str(getattr(settings, "VILLAGES_TAOBAO_MIN_HOUSEHOLD_SHARE", "0.10"))),
        )


@dataclass
class VillageProgress:
    village: object
    sales: Decimal
    active_shops: int
    households: int | None
    thresholds: Thresholds

    @property
    def shops_needed(self) -> int:
        """The fewer of the two shop thresholds: the number, or the share of households."""
        needed = self.thresholds.shops
        if self.households:
            needed = min(needed, math.ceil(self.households * self.thresholds.household_share))
        return needed

    @property
    def meets_sales(self) -> bool:
        return self.sales >= self.thresholds.sales

    @property
    def meets_shops(self) -> bool:
        return self.active_shops >= self.shops_needed

    @property
    def qualifies(self) -> bool:
        return self.meets_sales and self.meets_shops

    @property
    def sales_percent(self) -> int:
        return min(100, int(self.sales * 100 / self.thresholds.sales)) if self.thresholds.sales else 100

    @property
    def shops_percent(self) -> int:
        needed = self.shops_needed
        return min(100, self.active_shops * 100 // needed) if needed else 100


def period(*, year: int | None = None, today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """A calendar year, or the last twelve complete months."""
    if year:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 1)
    last = periods.add_months(periods.month_start(today or periods.today()), -1)
    return periods.add_months(last, -11), last


def village_sales(*, first: datetime.date, last: datetime.date) -> dict:
    """village id -> (sales, active shops) from `first` to `last` (the closed months' sums kept:
    incubator/villages/selectors/sales.py)."""
    return {place: (money(total), shops) for place, (total, shops) in sales.by_village(first=first, last=last).items()}


def taobao_progress(
    *, year: int | None = None, today=None, thresholds: Thresholds | None = None, township=None
) -> list[VillageProgress]:
    """Every village's progress against both thresholds, closest to qualifying first (two queries)."""
    from core.models import Village

    thresholds = thresholds or Thresholds.from_settings()
    first, last = period(year=year, today=today)
    sales = village_sales(first=first, last=last)
    villages = Village.objects.select_related("township", "household_count").order_by("township__code", "code")
    if township is not None:
        villages = villages.filter(township=township)
    rows = []
    for village in villages:
        total, shops = sales.get(village.pk, (ZERO, 0))
        households = getattr(getattr(village, "household_count", None), "households", None)
        rows.append(VillageProgress(village=village, sales=total, active_shops=shops, households=households,
                                    thresholds=thresholds))  # fmt: skip
    rows.sort(key=lambda r: (not r.qualifies, -(r.sales_percent + r.shops_percent), -r.sales, r.village.code))
    return rows
