"""The exports page of the admin: the office's background exports with their progress, the form
that asks for one, and the download of a finished file (core/export_jobs.py does the work)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import export_jobs
from core import exports as spreadsheets
from core.models import Export
from core.office import office_required

# Seconds between two looks at the page while an export is being prepared (a Refresh, no script).
REFRESH_SECONDS = 3
LISTED = 30


@office_required
def export_list(request):
    exports = list(Export.objects.filter(requested_by=request.user).order_by("-created_at", "-pk")[:LISTED])
    tables = export_jobs.tables()
    for export in exports:
        table = tables.get(export.table)
        export.label = table.label if table else export.table
    active = any(export.is_active for export in exports)
    title = _("Exports")
    return TemplateResponse(
        request,
        "core/admin/exports.html",
        {
            "page_title": title,
            "header_title": title,
            "header_icon": "download",
            "exports": exports,
            "tables": [(table.key, table.label) for table in export_jobs.exportable_tables(request.user)],
            "formats": Export.Format.choices,
            "refresh": REFRESH_SECONDS if active else None,
        },
    )


@office_required
@require_POST
def export_request(request):
    """Ask for an export; the filters are those the form carries (the dashboard's year and township)."""
    table = request.POST.get("table", "")
    export_format = request.POST.get("format") or spreadsheets.CSV
    filters = {
        key: [value for value in request.POST.getlist(key) if value]
        for key in request.POST
        if key not in ("csrfmiddlewaretoken", "table", "format")
    }
    try:
        export_jobs.request_export(
            table=table, by=request.user, filters={k: v for k, v in filters.items() if v}, format=export_format
        )
    except PermissionDenied:
        messages.error(request, str(export_jobs.NOT_ALLOWED))
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(
            request, _("The export is being prepared. Its progress shows here; it stays listed when ready.")
        )
    return redirect("exports:index")


@office_required
def export_download(request, pk):
    export = get_object_or_404(Export, pk=pk, requested_by=request.user, status=Export.Status.READY)
    table = export_jobs.tables().get(export.table)
    if table is None or not export_jobs.may_export(request.user, table):
        raise PermissionDenied
    return spreadsheets.file_response(
        field_file=export.file, filename=f"{export.table}-{export.pk}.{export.format}", format=export.format
    )
