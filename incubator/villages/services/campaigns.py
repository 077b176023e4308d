"""A sales campaign's daily figures: a participating shop's owner submits a day, the office
verifies it or sends it back with a reason. Only verified figures count in the results.

The rules are a monthly report's (incubator.merchants.services.sales), reused rather than
copied: the same limits (`figure_errors`), the same flagging rule (`flag_reason`: far above the
shop's usual month or the county's 99.5th percentile, so a single day above it is flagged), a
figure awaiting verification (submitted or flagged) verified or sent back with a reason, a
sent-back figure corrected and submitted again by its merchant. A festival's ordinary figures
are verified by the office in bulk; a flagged one only on its own, with the evidence the office
checked written down (docs/villages.md)."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import history, notifications
from core.models import ChangeRecord
from incubator.merchants import periods
from incubator.merchants.services.sales import figure_errors, flag_reason
from incubator.villages.models import CampaignDayFigure, SalesCampaign
from incubator.villages.models.campaigns import AWAITING_VERIFICATION

ERROR_NOT_PARTICIPATING = _("This shop does not take part in the campaign.")
ERROR_OUTSIDE_CAMPAIGN = _("That day is not one of the campaign's days.")
ERROR_FUTURE_DAY = _("You cannot report a day that has not come yet.")
ERROR_NEGATIVE = _("Figures cannot be negative.")
ERROR_VERIFIED = _("This figure has been verified by the office and can no longer be changed.")
ERROR_REASON_NEEDED = _("Say why the figure is sent back.")
ERROR_NOT_AWAITING = _("Only a figure awaiting verification can be verified or sent back.")
ERROR_NOT_FLAGGED = _("Only a flagged figure is verified on its own: tick the others and verify them together.")
ERROR_EVIDENCE_NEEDED = _(
    "This figure is flagged: say what evidence you checked (the order export, a screenshot of the seller back office)."
)

FIGURE_FIELDS = ["orders", "quantity", "sales", "status", "flag_reason"]


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
    if not errors:
        errors = figure_errors(orders=orders, sales=sales)  # the monthly reports' limits
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
    # A day above what the monthly reports' rule flags for a whole month of this shop is flagged.
    figure.flag_reason = flag_reason(shop=shop, month=periods.month_start(day), sales=sales)
    figure.status = CampaignDayFigure.Status.FLAGGED if figure.flag_reason else CampaignDayFigure.Status.SUBMITTED
    figure.evidence_note = ""
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


def _review(figure, *, by, status, reason="", evidence_note=""):
    figure = CampaignDayFigure.objects.select_for_update().select_related("campaign", "shop").get(pk=figure.pk)
    if figure.status not in AWAITING_VERIFICATION:
        raise ValidationError(ERROR_NOT_AWAITING)
    flagged = figure.status == CampaignDayFigure.Status.FLAGGED
    if status == CampaignDayFigure.Status.VERIFIED and flagged and not evidence_note:
        raise ValidationError({"evidence_note": ERROR_EVIDENCE_NEEDED}, code="needs_evidence")
    before = history.snapshot(figure, ["status", "evidence_note"])
    figure.status, figure.sent_back_reason, figure.evidence_note = status, reason, evidence_note
    figure.reviewed_by, figure.reviewed_at = by, timezone.now()
    figure.save(
        update_fields=["status", "sent_back_reason", "evidence_note", "reviewed_by", "reviewed_at", "updated_at"]
    )
    history.record(figure, actor=by, reason=reason or evidence_note, before=before)
    return figure


@transaction.atomic
def verify_campaign_figures(*, figures, by) -> int:
    """The office verifies, in bulk, figures awaiting verification that are not flagged (flagged
    ones and the others are left as they are)."""
    count = 0
    for figure in figures:
        if figure.status == CampaignDayFigure.Status.SUBMITTED:
            _review(figure, by=by, status=CampaignDayFigure.Status.VERIFIED)
            count += 1
    return count


@transaction.atomic
def verify_flagged_campaign_figure(*, figure: CampaignDayFigure, by, evidence_note: str) -> CampaignDayFigure:
    """The office verifies one flagged figure, saying what evidence it checked (kept on the
    figure and in its history)."""
    if figure.status != CampaignDayFigure.Status.FLAGGED:
        raise ValidationError(ERROR_NOT_FLAGGED)
    evidence_note = (evidence_note or "").strip()[:300]
    return _review(figure, by=by, status=CampaignDayFigure.Status.VERIFIED, evidence_note=evidence_note)


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
