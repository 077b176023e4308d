"""The office's tables as spreadsheets: one declaration per table, two ways out.

A `Table` names its columns (a heading and how to read the cell from a row: adding a column is
one line), who may export it (the listing's view permission, on top of the office rule) and where
its rows come from (the listing's own queryset, with the listing's filters, search and order).
The apps declare their tables in their `exports.py` and register them with the
`register_export_tables` hook.

- A light table downloads at once from its Wagtail listing (`list_export`): the listing's index
  view takes `TableExportMixin`, so the listing's buttons, filters and order apply and the cells
  are the table's.
- A heavy one (`background=True`: sales reports, trainees, applications, tens of thousands of
  rows at county scale) becomes an `Export` row instead; a Celery task writes the file in chunks,
  recording rows written of the total after every chunk, and the exports page shows that
  progress until the file is ready. The same page can ask for any table the person may export.

Every file is written by core.exports (formulas neutralised). A task's queries do not grow with
the rows: one count, the rows read `chunk` at a time (each chunk one query per prefetch), one
progress UPDATE per chunk.
"""

from __future__ import annotations

import datetime
import logging
import tempfile
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.http import HttpRequest, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from core import exports as spreadsheets
from core.models import Export
from core.notifications import message, notify
from core.office import is_office_staff

logger = logging.getLogger(__name__)

NOT_ALLOWED = _("You may not export this table.")
UNKNOWN_TABLE = _("Choose what to export.")
# Query-string keys of a listing that are not filters.
NOT_FILTERS = ("export", "p", "page", "_w_filter_fragment")


def chunk_rows() -> int:
    """Rows read, written and counted as progress at a time (settings.EXPORT_CHUNK_ROWS)."""
    return max(int(getattr(settings, "EXPORT_CHUNK_ROWS", 2000)), 1)


@dataclass(frozen=True)
class Column:
    """One column: its name (a key in Wagtail's `list_export`), its heading and its cell."""

    name: str
    heading: Any
    value: Callable[[Any], Any]


def _as_is(queryset):
    return queryset


@dataclass(frozen=True)
class Table:
    """One table the office exports.

    `queryset(filters=QueryDict, user=User)` gives the rows the listing shows for these filters;
    `prepare(queryset)` adds what the cells read (select_related, prefetch_related), so the
    queries stay constant per chunk."""

    key: str
    label: Any
    columns: Sequence[Column]
    queryset: Callable[..., Any]
    permission: str | None = None
    background: bool = False
    prepare: Callable[[Any], Any] = field(default=_as_is)

    @property
    def names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def headings(self) -> dict[str, Any]:
        return {column.name: column.heading for column in self.columns}

    def header(self) -> list[str]:
        return [force_str(column.heading) for column in self.columns]

    def row(self, item) -> list:
        return [column.value(item) for column in self.columns]


def tables() -> dict[str, Table]:
    """Every table the apps register (`register_export_tables`: fn() -> list[Table]), by key."""
    found = {}
    for register in hooks.get_hooks("register_export_tables"):
        for table in register():
            found[table.key] = table
    return found


def may_export(user, table: Table) -> bool:
    return is_office_staff(user, permission=table.permission)


def exportable_tables(user) -> list[Table]:
    return [table for table in tables().values() if may_export(user, table)]


def filters_of(query: QueryDict) -> dict[str, list[str]]:
    """A listing's query string without what is not a filter (the export format, the page)."""
    return {key: values for key, values in query.lists() if key not in NOT_FILTERS}


def _query_dict(filters: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in (filters or {}).items():
        query.setlist(key, [str(value) for value in (values if isinstance(values, list) else [values])])
    return query


def listing_queryset(view, *, filters: QueryDict, user):
    """The rows a Wagtail listing view (`viewset.index_view`) shows `user` for these filters,
    search and order, unpaginated: what its export would download, read again in a task."""
    request = HttpRequest()
    request.method = "GET"
    request.GET = filters
    request.user = user
    instance = view.view_class(**view.view_initkwargs)
    instance.setup(request)
    return instance.get_queryset()


# --- the background jobs ---------------------------------------------------------------------------


@transaction.atomic
def request_export(*, table: str, by, filters: dict | None = None, format: str = spreadsheets.CSV) -> Export:
    """Queue the export of `table` with a listing's `filters`; a Celery task writes the file."""
    found = tables().get(table)
    if found is None:
        raise ValidationError(UNKNOWN_TABLE, code="unknown_table")
    if not may_export(by, found):
        raise PermissionDenied(NOT_ALLOWED)
    export = Export(table=table, requested_by=by, filters=filters or {}, format=format)
    export.full_clean()
    export.save()
    transaction.on_commit(partial(_enqueue, export.pk))
    return export


def _enqueue(export_id: int) -> None:
    from core.tasks import build_export as task

    try:
        task.delay(export_id)
    except Exception:
        logger.warning("Could not enqueue export %s", export_id)


class _Superseded(Exception):
    """Another run of the task took the job over: this one stops writing."""


def _claim(export_id: int, token: uuid.UUID) -> Export | None:
    with transaction.atomic():
        export = Export.objects.select_for_update().select_related("requested_by").filter(pk=export_id).first()
        if export is None or not export.is_active:
            return None  # finished (or gone): running the task again changes nothing
        # Pending, or running in a worker that was lost: this run starts it (again) from the top.
        export.status, export.attempt, export.written = Export.Status.RUNNING, token, 0
        export.started_at, export.total = timezone.now(), None
        export.save(update_fields=["status", "attempt", "written", "started_at", "total"])
    return export


def _progress(export_id: int, token: uuid.UUID, **fields) -> None:
    if not Export.objects.filter(pk=export_id, attempt=token).update(**fields):
        raise _Superseded


def _counted_rows(table: Table, queryset, *, export_id: int, token: uuid.UUID, counter: list):
    chunk = chunk_rows()
    for item in queryset.iterator(chunk_size=chunk):
        yield table.row(item)
        counter[0] += 1
        if counter[0] % chunk == 0:
            _progress(export_id, token, written=counter[0])


def build_export(*, export_id: int) -> bool:
    """Write the file of an export, chunk by chunk, with its progress. Idempotent: a finished
    export is left as it is; a second run of an unfinished one takes it over."""
    token = uuid.uuid4()
    export = _claim(export_id, token)
    if export is None:
        return False
    user = export.requested_by
    table = tables().get(export.table)
    try:
        if table is None or not may_export(user, table):  # the role may have gone since the request
            raise PermissionDenied(force_str(NOT_ALLOWED))
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            queryset = table.prepare(table.queryset(filters=_query_dict(export.filters), user=user))
            _progress(export_id, token, total=queryset.count())
            counter = [0]
            rows = _counted_rows(table, queryset, export_id=export_id, token=token, counter=counter)
            with tempfile.TemporaryFile() as handle:
                spreadsheets.write_spreadsheet(
                    handle, format=export.format, header=table.header(), rows=rows, title=force_str(table.label)
                )
                handle.seek(0)
                with transaction.atomic():
                    locked = Export.objects.select_for_update().get(pk=export_id)
                    if locked.attempt != token:
                        raise _Superseded
                    locked.file.save(f"{table.key}-{export_id}.{export.format}", File(handle), save=False)
                    locked.status, locked.written, locked.total = Export.Status.READY, counter[0], counter[0]
                    locked.finished_at = timezone.now()
                    locked.save(update_fields=["file", "status", "written", "total", "finished_at"])
    except _Superseded:
        return False
    except Exception as exc:
        logger.exception("Export %s failed", export_id)
        Export.objects.filter(pk=export_id, attempt=token).update(
            status=Export.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:300], finished_at=timezone.now()
        )
        return False
    notify(
        recipient=user,
        kind="export-ready",
        title=_("Your export is ready"),
        # the table's name in the requester's language, not the worker's
        body=message(
            "%(table)s %(created)s",
            table=table.label,
            created=f"{timezone.localtime(export.created_at):%Y-%m-%d %H:%M}",
        ),
        url=reverse("exports:index"),
    )
    return True


# --- Wagtail listings --------------------------------------------------------------------------------


def start_from_listing(request, *, table: Table):
    """A heavy listing's download button: the export is queued with the listing's filters and
    the office is sent to the exports page, where its progress shows."""
    from django.contrib import messages

    request_export(
        table=table.key,
        by=request.user,
        filters=filters_of(request.GET),
        format=request.GET.get("export", spreadsheets.CSV),
    )
    messages.success(request, _("The export is being prepared. Its progress shows here; it stays listed when ready."))
    return redirect("exports:index")


class TableExportMixin:
    """For a Wagtail index view whose downloads are the table `export_table` (the viewset sets
    `list_export = table.names` and `export_headings = table.headings`): the cells are the
    table's, read in a fixed number of queries; a heavy table is built in the background."""

    export_table: Table

    def get(self, request, *args, **kwargs):
        if self.is_export and self.export_table.background:
            if not may_export(request.user, self.export_table):
                raise PermissionDenied
            return start_from_listing(request, table=self.export_table)
        return super().get(request, *args, **kwargs)

    def to_row_dict(self, item):
        return dict(zip(self.export_table.names, self.export_table.row(item), strict=True))

    def render_to_response(self, context, **response_kwargs):
        if self.is_export:
            if not may_export(self.request.user, self.export_table):
                raise PermissionDenied
            return self.as_spreadsheet(self.export_table.prepare(context["object_list"]), self.request.GET["export"])
        return super().render_to_response(context, **response_kwargs)


def delete_old_exports(*, now=None) -> int:
    """Delete finished and failed exports older than settings.EXPORT_KEEP_DAYS, with their files.

    An export holds a table of people (names, phones, villages): it is kept as long as the office
    needs to download it, not for ever. Exports still waiting or being written are left alone.
    Returns how many were deleted; running it twice deletes nothing more."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.EXPORT_KEEP_DAYS)
    old = Export.objects.filter(status__in=[Export.Status.READY, Export.Status.FAILED], created_at__lt=cutoff).only(
        "pk", "file"
    )
    deleted = 0
    for export in old.iterator(chunk_size=500):
        if export.file:
            export.file.delete(save=False)  # the file first: a row without its file is harmless
        export.delete()
        deleted += 1
    if deleted:
        logger.info("Deleted %d exports older than %d days", deleted, settings.EXPORT_KEEP_DAYS)
    return deleted
