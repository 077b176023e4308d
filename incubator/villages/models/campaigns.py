"""Sales campaigns (a navel orange festival): dates, target, participating shops, and a daily
figure per shop and day that counts once the office has verified it."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class SalesCampaign(models.Model):
    class Unit(models.TextChoices):
        JIN = "jin", _("jin")
        KG = "kg", _("kg")
        PIECES = "pieces", _("pieces")

    name = models.CharField(_("name"), max_length=120, unique=True)
    product = models.ForeignKey(
        "core.ProductCategory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sales_campaigns",
        verbose_name=_("product"),
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    target_quantity = models.PositiveIntegerField(_("target quantity"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.JIN)
    target_sales = models.DecimalField(_("target sales (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    shops = models.ManyToManyField(
        "merchants.Shop", blank=True, related_name="sales_campaigns", verbose_name=_("participating shops")
    )

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("sales campaign")
        verbose_name_plural = _("sales campaigns")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="salescampaign_ends_after_start"),
            models.CheckConstraint(
                condition=Q(target_sales__isnull=True) | Q(target_sales__gte=0),
                name="salescampaign_target_not_negative",
            ),
        ]

    def __str__(self):
        return self.name


class CampaignDayFigure(models.Model):
    """One participating shop's sales on one day of a campaign. Verified by the office before it
    counts, under the monthly sales reports' rules: the same limits, flagged by the same rule
    when far above what the shop usually sells, and a flagged figure verified only on evidence."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("awaiting verification")
        FLAGGED = "flagged", _("flagged: awaiting verification")
        VERIFIED = "verified", _("verified")
        SENT_BACK = "sent_back", _("sent back")

    campaign = models.ForeignKey(
        SalesCampaign, on_delete=models.CASCADE, related_name="figures", verbose_name=_("campaign")
    )
    shop = models.ForeignKey(
        "merchants.Shop", on_delete=models.CASCADE, related_name="campaign_figures", verbose_name=_("shop")
    )
    day = models.DateField(_("day"))
    orders = models.PositiveIntegerField(_("orders"))
    quantity = models.PositiveIntegerField(_("quantity sold"))
    sales = models.DecimalField(_("sales (yuan)"), max_digits=14, decimal_places=2)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    sent_back_reason = models.CharField(_("reason for sending back"), max_length=300, blank=True)
    flag_reason = models.CharField(_("why it was flagged"), max_length=300, blank=True)
    evidence_note = models.CharField(
        _("evidence checked"),
        max_length=300,
        blank=True,
        help_text=_("For a flagged figure: what the office checked before verifying it."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["campaign_id", "day", "shop_id"]
        verbose_name = _("campaign day figure")
        verbose_name_plural = _("campaign day figures")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "shop", "day"], name="campaignfigure_one_per_shop_and_day"),
            models.CheckConstraint(condition=Q(sales__gte=0), name="campaignfigure_sales_not_negative"),
            models.CheckConstraint(
                condition=~Q(status="sent_back") | ~Q(sent_back_reason=""), name="campaignfigure_sent_back_needs_reason"
            ),
            # A flagged figure is verified only with the evidence the office checked written down.
            models.CheckConstraint(
                condition=~Q(status="verified") | Q(flag_reason="") | ~Q(evidence_note=""),
                name="campaignfigure_flagged_verified_on_evidence",
            ),
        ]

    def __str__(self):
        return f"{self.campaign} · {self.shop} · {self.day:%Y-%m-%d}"

    @property
    def awaits_verification(self) -> bool:
        return self.status in AWAITING_VERIFICATION


AWAITING_VERIFICATION = (CampaignDayFigure.Status.SUBMITTED, CampaignDayFigure.Status.FLAGGED)
