"""A sales campaign's daily figures: a participating shop's owner submits a day, the office
verifies it or sends it back with a reason. Only verified figures count in the results.

The states mirror a monthly report's (incubator.merchants: pending → verified | sent back, a
sent-back figure resubmitted by its merchant) without the flagging rule and evidence; a
festival's daily figures are verified by the office in bulk (docs/villages.md)."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import history, notifications
from core.models import ChangeRecord
from incubator.merchants import periods
from incubator.villages.models import CampaignDayFigure, SalesCampaign

ERROR_NOT_PARTICIPATING = _("This shop does not take part in the campaign.")
ERROR_OUTSIDE_CAMPAIGN = _("That day is not one of the campaign's days.")
ERROR_FUTURE_DAY = _("You cannot report a day that has not come yet.")
ERROR_NEGATIVE = _("Figures cannot be negative.")
ERROR_VERIFIED = _("This figure has been verified by the office and can no longer be changed.")
ERROR_REASON_NEEDED = _("Say why the figure is sent back.")
ERROR_NOT_AWAITING = _("Only a figure awaiting verification can be verified or sent back.")

FIGURE_FIELDS = ["orders", "quantity", "sales", "status"]


@transaction.atomic
def submit_campaign_figure(
    *,
    campaign: SalesCampaign,
    shop,
    day: datetime.date,
    orders: int,
    quantity: int,
    sales: Decimal,
    by,
    today: datetime.date | None = None,
) -> CampaignDayFigure:
    """The shop's owner reports (or corrects, until verified) the shop's sales on a campaign day."""
    if shop.owner_id != getattr(by, "pk", None):
        raise PermissionDenied
    today = today or periods.today()
    if not campaign.shops.filter(pk=shop.pk).exists():
        raise ValidationError({"shop": ERROR_NOT_PARTICIPATING})
    if not campaign.starts_on <= day <= campaign.ends_on:
        raise ValidationError({"day": ERROR_OUTSIDE_CAMPAIGN})
    if day > today:
        raise ValidationError({"day": ERROR_FUTURE_DAY})
    errors = {name: ERROR_NEGATIVE for name, value in (("orders", orders), ("quantity", quantity), ("sales", sales))
              if value is None or value < 0}  # fmt: skip
    if errors:
        raise ValidationError(errors)
    figure = CampaignDayFigure.objects.select_for_update().filter(campaign=campaign, shop=shop, day=day).first()
    before = None
    if figure is None:
        figure = CampaignDayFigure(campaign=campaign, shop=shop, day=day)
    else:
        if figure.status == CampaignDayFigure.Status.VERIFIED:
            raise ValidationError(ERROR_VERIFIED)
        before = history.snapshot(figure, FIGURE_FIELDS)
    figure.orders, figure.quantity, figure.sales = orders, quantity, sales
    figure.status = CampaignDayFigure.Status.SUBMITTED
    figure.sent_back_reason = ""
    figure.submitted_by = by
    figure.save()
    history.record(
        figure,
        actor=by,
        before=before,
        fields=FIGURE_FIELDS,
        action=ChangeRecord.Action.CREATED if before is None else ChangeRecord.Action.CHANGED,
    )
    return figure


def _review(figure, *, by, status, reason=""):
    figure = CampaignDayFigure.objects.select_for_update().select_related("campaign", "shop").get(pk=figure.pk)
    if figure.status != CampaignDayFigure.Status.SUBMITTED:
        raise ValidationError(ERROR_NOT_AWAITING)
    before = history.snapshot(figure, ["status"])
    figure.status, figure.sent_back_reason = status, reason
    figure.reviewed_by, figure.reviewed_at = by, timezone.now()
    figure.save(update_fields=["status", "sent_back_reason", "reviewed_by", "reviewed_at", "updated_at"])
    history.record(figure, actor=by, reason=reason, before=before)
    return figure


@transaction.atomic
def verify_campaign_figures(*, figures, by) -> int:
    """The office verifies figures awaiting verification (others are left as they are)."""
    count = 0
    for figure in figures:
        if figure.status == CampaignDayFigure.Status.SUBMITTED:
            _review(figure, by=by, status=CampaignDayFigure.Status.VERIFIED)
            count += 1
    return count


@transaction.atomic
def send_back_campaign_figure(*, figure: CampaignDayFigure, by, reason: str) -> CampaignDayFigure:
    """The office sends a figure back to its merchant with the reason, who is notified."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ERROR_REASON_NEEDED})
    figure = _review(figure, by=by, status=CampaignDayFigure.Status.SENT_BACK, reason=reason)
    from django.urls import reverse

    notifications.notify(
        recipient=figure.shop.owner,
        kind="campaign_figure_sent_back",
        title=notifications.message(
            _("Your figure for %(campaign)s on %(day)s was sent back"),
            campaign=figure.campaign.name,
            day=figure.day.isoformat(),
        ),
        body=reason,
        url=reverse("villages:campaign_figures", args=[figure.campaign_id]),
    )
    return figure
