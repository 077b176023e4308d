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

    def __str__(self):
        return f"{self.name} ({self.get_platform_display()})"


class SalesReport(models.Model):
    """One shop's figures for one calendar month (`month` is the first day of that month)."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="reports", verbose_name=_("shop"))
    month = models.DateField(_("month"), help_text=_("The first day of the month reported."))
    orders = models.PositiveIntegerField(_("orders"))
    sales = models.DecimalField(_("sales (yuan)"), max_digits=14, decimal_places=2)
    products_sold = models.CharField(_("main products sold"), max_length=200, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
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
        ]
        indexes = [models.Index(fields=["month"], name="salesreport_month")]

    def __str__(self):
        return f"{self.shop} {self.month:%Y-%m}"
