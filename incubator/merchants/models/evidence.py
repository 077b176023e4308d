"""What stands behind a sales report: screenshots or PDFs of the seller back office, and the
platform's order exports with the orders read from them."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from core.storage import private_storage

from .sales import SalesReport, Shop


def evidence_upload_to(instance, filename):
    # The uploaded name is never used on disk: a random name with the detected extension.
    return f"sales-evidence/{instance.report.shop_id}/{uuid.uuid4().hex}.{instance.extension}"


class SalesEvidence(models.Model):
    """A screenshot or PDF of the platform's seller back office attached to a report (private)."""

    report = models.ForeignKey(SalesReport, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("report"))
    file = models.FileField(_("file"), storage=private_storage, upload_to=evidence_upload_to, max_length=200)
    original_name = models.CharField(_("original name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    extension = models.CharField(_("extension"), max_length=10)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("sales evidence")
        verbose_name_plural = _("sales evidence")

    def __str__(self):
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class OrderExportFormat(models.Model):
    """How one platform's order export names its columns, and which order statuses count as
    sales. Data the office edits in the admin when a platform renames a column."""

    platform = models.CharField(_("platform"), max_length=20, choices=Shop.Platform.choices, unique=True)
    order_id_column = models.CharField(_("order id column"), max_length=100)
    order_time_column = models.CharField(_("order time column"), max_length=100)
    amount_column = models.CharField(_("amount paid column"), max_length=100)
    status_column = models.CharField(_("order status column"), max_length=100)
    counted_statuses = models.TextField(
        _("statuses that count as sales"),
        help_text=_("One per line, exactly as the export writes them. Orders in any other status are left out."),
    )
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    panels = [
        FieldPanel("platform"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("order_id_column"), FieldPanel("order_time_column")]),
                FieldRowPanel([FieldPanel("amount_column"), FieldPanel("status_column")]),
            ],
            heading=_("Column headers"),
        ),
        FieldPanel("counted_statuses"),
        FieldPanel("notes"),
    ]

    class Meta:
        ordering = ["platform"]
        verbose_name = _("order export format")
        verbose_name_plural = _("order export formats")

    def __str__(self):
        return self.get_platform_display()

    @property
    def statuses(self) -> set[str]:
        return {line.strip() for line in self.counted_statuses.splitlines() if line.strip()}

    @property
    def columns(self) -> dict[str, str]:
        return {
            "order_id": self.order_id_column.strip(),
            "order_time": self.order_time_column.strip(),
            "amount": self.amount_column.strip(),
            "status": self.status_column.strip(),
        }


def order_export_upload_to(instance, filename):
    return f"order-exports/{instance.shop_id}/{uuid.uuid4().hex}.{instance.extension}"


class OrderExportUpload(models.Model):
    """One order export file a merchant uploaded for a month (kept, privately, as the evidence)."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="order_exports", verbose_name=_("shop"))
    report = models.ForeignKey(
        SalesReport, on_delete=models.CASCADE, related_name="order_exports", verbose_name=_("report")
    )
    file = models.FileField(_("file"), storage=private_storage, upload_to=order_export_upload_to, max_length=200)
    original_name = models.CharField(_("original name"), max_length=200)
    extension = models.CharField(_("extension"), max_length=10)
    sha256 = models.CharField(max_length=64)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    orders_added = models.PositiveIntegerField(_("new orders"), default=0)
    orders_left_out = models.PositiveIntegerField(_("refunded or cancelled"), default=0)
    orders_already_known = models.PositiveIntegerField(_("already imported"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("order export")
        verbose_name_plural = _("order exports")
        constraints = [
            models.UniqueConstraint(fields=["shop", "sha256"], name="orderexport_same_file_once_per_shop"),
        ]

    def __str__(self):
        return self.original_name


class ImportedOrder(models.Model):
    """One order read from an order export: counted once per shop, however many files carry it."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="imported_orders")
    upload = models.ForeignKey(OrderExportUpload, on_delete=models.CASCADE, related_name="orders")
    order_id = models.CharField(_("order id"), max_length=100)
    month = models.DateField(_("month"))
    ordered_at = models.DateTimeField(_("order time"))
    amount = models.DecimalField(_("amount paid"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["ordered_at", "id"]
        verbose_name = _("imported order")
        verbose_name_plural = _("imported orders")
        constraints = [
            models.UniqueConstraint(fields=["shop", "order_id"], name="importedorder_once_per_shop"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="importedorder_amount_not_negative"),
        ]
        indexes = [models.Index(fields=["shop", "month"], name="importedorder_shop_month")]

    def __str__(self):
        return self.order_id
