"""Exports of the county dashboard: requested by the office, built by a Celery task."""

import logging
from functools import partial

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.notifications import message, notify
from incubator.merchants.models import DashboardExport

logger = logging.getLogger(__name__)


@transaction.atomic
def request_export(*, kind: str, by, filters: dict | None = None) -> DashboardExport:
    """Queue a heavy CSV export; the file is built by a Celery task and offered when ready."""
    export = DashboardExport(kind=kind, requested_by=by, filters=filters or {})
    export.full_clean()
    export.save()
    transaction.on_commit(partial(_enqueue_export, export.pk))
    return export


def _enqueue_export(export_id: int) -> None:
    from incubator.merchants.tasks import build_dashboard_export

    try:
        build_dashboard_export.delay(export_id)
    except Exception:
        logger.warning("Could not enqueue dashboard export %s", export_id)


def build_export(*, export_id: int) -> bool:
    """Write the CSV of an export. Idempotent: a finished export is left as it is."""
    from django.core.files.base import ContentFile

    from incubator.merchants import exports

    with transaction.atomic():
        export = DashboardExport.objects.select_for_update().filter(pk=export_id).first()
        if export is None or export.status != DashboardExport.Status.PENDING:
            return False
        try:
            content, rows = exports.build_csv(kind=export.kind, filters=export.filters)
        except Exception as exc:
            logger.exception("Dashboard export %s failed", export_id)
            export.status = DashboardExport.Status.FAILED
            export.error = f"{type(exc).__name__}: {exc}"[:300]
        else:
            export.file.save(f"{export.kind}-{export.pk}.csv", ContentFile(content), save=False)
            export.row_count = rows
            export.status = DashboardExport.Status.READY
        export.finished_at = timezone.now()
        export.save()
    if export.status == DashboardExport.Status.READY:
        notify(
            recipient=export.requested_by,
            kind="export-ready",
            title=_("Your export is ready"),
            # the kind's label in the requester's language, not the worker's
            body=message(
                "%(kind)s %(created)s",
                kind=DashboardExport.Kind(export.kind).label,
                created=f"{timezone.localtime(export.created_at):%Y-%m-%d %H:%M}",
            ),
            url=reverse("merchants_admin:exports"),
        )
    return export.status == DashboardExport.Status.READY
