"""A spreadsheet of one of the office's tables, built by a Celery task (core/export_jobs.py)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.storage import private_storage


class Export(models.Model):
    """One export the office asked for: which table, with the listing's filters, in which format,
    how far the task has got (rows written of the total) and the finished file."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("being prepared")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    table = models.CharField(_("export"), max_length=40)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices, default=Format.CSV)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("requested by")
    )
    # The listing's query string as a dict of lists (QueryDict.lists()): its filters, search and order.
    filters = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(_("rows to write"), null=True, blank=True)
    written = models.PositiveIntegerField(_("rows written"), default=0)
    # The run that owns the job: a second delivery of the task takes it over, the first one stops.
    attempt = models.UUIDField(null=True, blank=True, editable=False)
    file = models.FileField(storage=private_storage, upload_to="exports/", blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "running", "ready", "failed"]), name="export_status_valid"
            ),
            models.CheckConstraint(condition=models.Q(format__in=["csv", "xlsx"]), name="export_format_valid"),
        ]
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="export_requester_recent")]

    def __str__(self):
        return f"{self.table} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.READY:
            return 100
        return min(100, self.written * 100 // self.total) if self.total else 0

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)
