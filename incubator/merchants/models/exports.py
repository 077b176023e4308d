from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .certificates import private_storage


class DashboardExport(models.Model):
    """A heavy CSV export built by a Celery task and offered for download when ready."""

    class Kind(models.TextChoices):
        SALES_REPORTS = "sales_reports", _("All monthly sales reports")
        MERCHANTS = "merchants", _("All merchants with their shops")

    class Status(models.TextChoices):
        PENDING = "pending", _("being prepared")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("export"), max_length=30, choices=Kind.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("requested by")
    )
    filters = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(storage=private_storage, upload_to="exports/", blank=True)
    row_count = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("dashboard export")
        verbose_name_plural = _("dashboard exports")

    def __str__(self):
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"
