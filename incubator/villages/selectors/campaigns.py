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
    """Totals and day-by-day figures of a campaign (two grouped queries)."""
    return campaigns_results([campaign])[0]


def campaigns_results(campaigns) -> list[CampaignResults]:
    """Each campaign's totals and day-by-day figures, in the campaigns' order: two grouped queries
    whatever their number (none for no campaign)."""
    campaigns = list(campaigns)
    if not campaigns:
        return []
    ids = [campaign.pk for campaign in campaigns]
    rows = (
        CampaignDayFigure.objects.filter(campaign__in=ids, status__in=[VERIFIED, *AWAITING_VERIFICATION])
        .values("campaign", "day", "status")
        .annotate(orders=Sum("orders"), quantity=Sum("quantity"), sales=Sum("sales"))
        .order_by()
    )
    totals = {pk: (Totals(), Totals()) for pk in ids}  # verified, pending
    by_day: dict = defaultdict(lambda: (Totals(), Totals()))
    for row in rows:
        side = 0 if row["status"] == VERIFIED else 1
        for target in (totals[row["campaign"]][side], by_day[row["campaign"], row["day"]][side]):
            target.orders += row["orders"] or 0
            target.quantity += row["quantity"] or 0
            target.sales = money(target.sales + (row["sales"] or 0))
    shops = dict(
        CampaignDayFigure.objects.filter(campaign__in=ids, status=VERIFIED)
        .values("campaign")
        .annotate(n=Count("shop", distinct=True))
        .values_list("campaign", "n")
        .order_by()
    )
    days = defaultdict(list)
    for (pk, day), (verified, pending) in sorted(by_day.items(), key=lambda item: item[0][1]):
        days[pk].append((day, verified, pending))
    return [
        CampaignResults(
            campaign=campaign,
            verified=totals[campaign.pk][0],
            pending=totals[campaign.pk][1],
            days=days[campaign.pk],
            shops_reporting=shops.get(campaign.pk, 0),
        )
        for campaign in campaigns
    ]


def recent_campaigns(*, today: datetime.date, limit: int = 3) -> list[CampaignResults]:
    """The latest campaigns (started by today) with their results: three queries."""
    campaigns = SalesCampaign.objects.filter(starts_on__lte=today).select_related("product").order_by("-starts_on")
    return campaigns_results(campaigns[:limit])


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
