"""A sales campaign's results against its target: verified figures count, the ones awaiting
verification are shown beside them."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum

from incubator.merchants.selectors.figures import ZERO, money
from incubator.villages.models import CampaignDayFigure, SalesCampaign
from incubator.villages.models.campaigns import AWAITING_VERIFICATION

VERIFIED = CampaignDayFigure.Status.VERIFIED


@dataclass
class Totals:
    orders: int = 0
    quantity: int = 0
    sales: Decimal = ZERO


@dataclass
class CampaignResults:
    campaign: SalesCampaign
    verified: Totals
    pending: Totals
    days: list = field(default_factory=list)  # (day, verified Totals, pending Totals)
    shops_reporting: int = 0

    @property
    def quantity_percent(self) -> int | None:
        target = self.campaign.target_quantity
        return int(self.verified.quantity * 100 / target) if target else None

    @property
    def sales_percent(self) -> int | None:
        target = self.campaign.target_sales
        return int(self.verified.sales * 100 / target) if target else None

    @property
    def reached(self) -> bool:
        checks = [p >= 100 for p in (self.quantity_percent, self.sales_percent) if p is not None]
        return bool(checks) and all(checks)


def campaign_results(*, campaign: SalesCampaign) -> CampaignResults:
    """Totals and day-by-day figures of a campaign (one grouped query)."""
    rows = (
        CampaignDayFigure.objects.filter(campaign=campaign, status__in=[VERIFIED, *AWAITING_VERIFICATION])
        .values("day", "status")
        .annotate(
            orders=Sum("orders"), quantity=Sum("quantity"), sales=Sum("sales"), shops=Count("shop", distinct=True)
        )
        .order_by()
    )
    verified, pending = Totals(), Totals()
    by_day: dict = defaultdict(lambda: (Totals(), Totals()))
    for row in rows:
        target = verified if row["status"] == VERIFIED else pending
        day_target = by_day[row["day"]][0 if row["status"] == VERIFIED else 1]
        for totals in (target, day_target):
            totals.orders += row["orders"] or 0
            totals.quantity += row["quantity"] or 0
            totals.sales = money(totals.sales + (row["sales"] or 0))
    shops = CampaignDayFigure.objects.filter(campaign=campaign, status=VERIFIED).values("shop").distinct().count()
    days = [(day, *by_day[day]) for day in sorted(by_day)]
    return CampaignResults(campaign=campaign, verified=verified, pending=pending, days=days, shops_reporting=shops)


def recent_campaigns(*, today: datetime.date, limit: int = 3) -> list[CampaignResults]:
    """The latest campaigns (started by today) with their results: 1 + 2 queries per campaign."""
    campaigns = SalesCampaign.objects.filter(starts_on__lte=today).select_related("product").order_by("-starts_on")
    return [campaign_results(campaign=c) for c in campaigns[:limit]]


def awaiting(*, campaign: SalesCampaign):
    """Figures awaiting verification, submitted or flagged (the flagged ones are verified one by one)."""
    return (
        CampaignDayFigure.objects.filter(campaign=campaign, status__in=AWAITING_VERIFICATION)
        .select_related("shop__owner")
        .order_by("day", "shop__name", "pk")
    )


def pending_counts() -> dict:
    """campaign id -> figures awaiting verification (one query)."""
    return dict(
        CampaignDayFigure.objects.filter(status__in=AWAITING_VERIFICATION)
        .values("campaign")
        .annotate(n=Count("pk"))
        .values_list("campaign", "n")
    )
