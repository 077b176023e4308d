from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Shop(models.Model):
    """An online shop run by a trainee, graduate or merchant on one platform."""

    class Platform(models.TextChoices):
        TAOBAO = "taobao", _("Taobao")
        TMALL = "tmall", _("Tmall")
        JD = "jd", _("JD.com")
        PINDUODUO = "pinduoduo", _("Pinduoduo")
        DOUYIN = "douyin", _("Douyin")
        WECHAT = "wechat", _("WeChat shop")
        OTHER = "other", _("Other")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shops", verbose_name=_("owner")
    )
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    name = models.CharField(_("shop name"), max_length=120)
    url = models.URLField(
        _("shop address"), max_length=500, help_text=_("The web address of the shop, starting with https://")
    )
    opened_on = models.DateField(_("opening date"))
    products = models.ManyToManyField(
        "core.ProductCategory", blank=True, related_name="shops", verbose_name=_("main products")
    )
    products_note = models.CharField(
        _("products in your own words"), max_length=200, blank=True, help_text=_("For example: 秭归脐橙 5 kg gift box.")
    )
    in_directory = models.BooleanField(
        _("show in the public merchant directory"),
        default=False,
        help_text=_("Lets buyers find the shop in the county's merchant directory."),
    )
    is_verified = models.BooleanField(_("verified by the office"), default=False)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        ordering = ["owner_id", "opened_on", "id"]
        verbose_name = _("shop")
        verbose_name_plural = _("shops")
        constraints = [
            models.UniqueConstraint(fields=["platform", "url"], name="shop_unique_address_per_platform"),
        ]
        indexes = [
            # The public directory's order (selectors.shops.directory_shops): its first page reads
            # 24 shops in index order instead of sorting every listed shop (16,000 at province
            # scale, 77 ms; docs/benchmarks.md, "Province scale").
            models.Index(
                models.F("is_verified").desc(),
                "name",
                "id",
                name="shop_directory_order",
                condition=models.Q(in_directory=True),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_platform_display()})"


class SalesReport(models.Model):
    """One shop's figures for one calendar month (`month` is the first day of that month).

    A report counts in the county's figures only once it is verified (by the owner's mentor or
    the office); the allowed status changes are `REPORT_TRANSITIONS` below, and
    `incubator.merchants.services.sales` is the only code that changes them."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending verification")
        FLAGGED = "flagged", _("flagged: pending verification")
        VERIFIED = "verified", _("verified")
        SENT_BACK = "sent_back", _("sent back for a fix")

    class Evidence(models.TextChoices):
        NONE = "none", _("the merchant's word")
        DOCUMENT = "document", _("a screenshot or PDF of the seller back office")
        ORDER_EXPORT = "order_export", _("from the platform's order export")

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="reports", verbose_name=_("shop"))
    month = models.DateField(_("month"), help_text=_("The first day of the month reported."))
    orders = models.PositiveIntegerField(_("orders"))
    sales = models.DecimalField(_("sales (yuan)"), max_digits=14, decimal_places=2)
    products_sold = models.CharField(_("main products sold"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    evidence_level = models.CharField(_("evidence"), max_length=14, choices=Evidence.choices, default=Evidence.NONE)
    is_late = models.BooleanField(
        _("reported late"), default=False, help_text=_("Reported after the month's edit window had closed.")
    )
    flag_reason = models.CharField(_("why it was flagged"), max_length=300, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    sent_back_reason = models.CharField(_("reason for sending back"), max_length=500, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["shop_id", "-month"]
        verbose_name = _("monthly sales report")
        verbose_name_plural = _("monthly sales reports")
        constraints = [
            models.UniqueConstraint(fields=["shop", "month"], name="salesreport_one_per_shop_and_month"),
            models.CheckConstraint(condition=Q(sales__gte=0), name="salesreport_sales_not_negative"),
            models.CheckConstraint(condition=Q(orders__gte=0), name="salesreport_orders_not_negative"),
            models.CheckConstraint(
                condition=~Q(status="verified") | Q(verified_at__isnull=False),
                name="salesreport_verified_has_a_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent_back") | ~Q(sent_back_reason=""),
                name="salesreport_sent_back_has_a_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["month"], name="salesreport_month"),
            models.Index(fields=["status", "month"], name="salesreport_status_month"),
        ]

    def __str__(self):
        return f"{self.shop} {self.month:%Y-%m}"

    @property
    def counts(self) -> bool:
        """Whether the county's figures count it (verified)."""
        return self.status == self.Status.VERIFIED

    @property
    def awaits_verification(self) -> bool:
        return self.status in AWAITING_VERIFICATION


# The report's status machine: every allowed change, in one table (services.sales.transition).
REPORT_TRANSITIONS: dict[str, tuple[str, ...]] = {
    SalesReport.Status.PENDING: (
        SalesReport.Status.PENDING,  # corrected while waiting
        SalesReport.Status.FLAGGED,  # corrected to a figure the rule flags
        SalesReport.Status.VERIFIED,
        SalesReport.Status.SENT_BACK,
    ),
    SalesReport.Status.FLAGGED: (
        SalesReport.Status.PENDING,
        SalesReport.Status.FLAGGED,
        SalesReport.Status.VERIFIED,  # only with evidence
        SalesReport.Status.SENT_BACK,
    ),
    SalesReport.Status.SENT_BACK: (
        SalesReport.Status.PENDING,  # fixed and sent again
        SalesReport.Status.FLAGGED,
    ),
    SalesReport.Status.VERIFIED: (
        # Only the office's correction reopens a verified month: it waits for verification again.
        SalesReport.Status.PENDING,
        SalesReport.Status.FLAGGED,
    ),
}

AWAITING_VERIFICATION = (SalesReport.Status.PENDING, SalesReport.Status.FLAGGED)
