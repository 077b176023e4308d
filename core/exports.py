"""The one writer of every spreadsheet the project hands out, CSV and XLSX.

A spreadsheet program runs a cell that starts with = + - @, a tab or a carriage return as a
formula, so a merchant who types `=HYPERLINK(...)` as a shop name could attack the office that
opens the export (CSV injection). Every text cell that starts that way gets a single quote in
front (the OWASP advice). Real numbers (int, float, Decimal) stay numbers: a negative sales
figure is not text.

Views call `spreadsheet_response` (or `csv_response`/`xlsx_response`); a file made by a task
(core/export_jobs.py) uses `write_spreadsheet` and is served by `file_response`. Wagtail's own listing exports (the reports, and any viewset with
`list_export`) are routed here by `route_wagtail_exports`, called once from CoreConfig.ready.
No other module writes CSV or XLSX: tests/security/test_export_injection.py checks it.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from urllib.parse import quote

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.encoding import force_str

from core import storage

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel reads a UTF-8 CSV (and so its Chinese text) correctly only after a byte-order mark.
BOM = "\ufeff"
DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
NUMBERS = (int, float, Decimal)

# Characters an XLSX file cannot hold (openpyxl refuses them): control characters but tab and newlines.
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_FILENAME_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|;]+')
_ASCII_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_SHEET_TITLE_UNSAFE = re.compile(r"[\\/*?:\[\]]")


def neutralise(value, *, for_xlsx: bool = False):
    """One cell, safe to open in a spreadsheet program: numbers as numbers, text never a formula."""
    if value is None:
        return ""
    if isinstance(value, NUMBERS):  # bool is an int: True/False stay what they are
        return value
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        return value if for_xlsx else value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, datetime.date | datetime.time):
        return value if for_xlsx else value.isoformat()
    text = force_str(value)
    if for_xlsx:
        text = _XLSX_ILLEGAL.sub("", text)
    if text.startswith(DANGEROUS_PREFIXES):
        return "'" + text
    return text


def _lines(header: Sequence | None, rows: Iterable[Sequence]) -> Iterator[list]:
    if header is not None:
        yield list(header)
    yield from rows


class _Line:
    """A file-like object that hands back what csv.writer writes to it (one line at a time)."""

    def write(self, value: str) -> str:
        return value


def iter_csv(*, header: Sequence | None, rows: Iterable[Sequence]) -> Iterator[str]:
    """The CSV text, a line at a time, byte-order mark first."""
    writer = csv.writer(_Line())
    yield BOM
    for row in _lines(header, rows):
        yield writer.writerow([neutralise(cell) for cell in row])


def csv_bytes(*, header: Sequence | None, rows: Iterable[Sequence]) -> tuple[bytes, int]:
    """The whole CSV file as UTF-8 bytes, and how many rows (not counting the header) it has."""
    buffer = io.StringIO()
    count = 0

    def counted():
        nonlocal count
        for row in rows:
            count += 1
            yield row

    for line in iter_csv(header=header, rows=counted()):
        buffer.write(line)
    return buffer.getvalue().encode("utf-8"), count


def xlsx_bytes(*, header: Sequence | None, rows: Iterable[Sequence], title: str = "Sheet1") -> bytes:
    """The XLSX workbook (one sheet, written row by row: memory stays flat) as bytes."""
    return xlsx_workbook_bytes(sheets=[(title, header, rows)])


def xlsx_workbook_bytes(*, sheets: Iterable[tuple[str, Sequence | None, Iterable[Sequence]]]) -> bytes:
    """An XLSX workbook of several sheets, each (title, header, rows), as bytes (see `write_workbook`)."""
    buffer = io.BytesIO()
    write_workbook(buffer, sheets=sheets)
    return buffer.getvalue()


def write_xlsx(handle, *, header: Sequence | None, rows: Iterable[Sequence], title: str = "Sheet1") -> None:
    """The XLSX workbook of one sheet into a binary file `handle`."""
    write_workbook(handle, sheets=[(title, header, rows)])


def write_workbook(handle, *, sheets: Iterable[tuple[str, Sequence | None, Iterable[Sequence]]]) -> None:
    """An XLSX workbook of several sheets into a binary file `handle` (openpyxl's write-only mode:
    rows are not kept). Titles are made safe for Excel and unique (a second "甲镇" becomes "甲镇 (2)")."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    used = set()
    for title, header, rows in sheets:
        name, n = sheet_title(title), 1
        while name.lower() in used:
            n += 1
            suffix = f" ({n})"
            name = sheet_title(title)[: 31 - len(suffix)] + suffix
        used.add(name.lower())
        sheet = workbook.create_sheet(title=name)
        for row in _lines(header, rows):
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, neutralise(value, for_xlsx=True))
                if cell.data_type == "f":  # never a formula, whatever openpyxl guessed
                    cell.data_type = "s"
                cells.append(cell)
            sheet.append(cells)
    if not used:
        workbook.create_sheet(title="Sheet1")
    workbook.save(handle)


def write_spreadsheet(
    handle, *, format: str, header: Sequence | None, rows: Iterable[Sequence], title: str = "Sheet1"
) -> None:
    """A CSV or XLSX file into a binary file `handle`, a line at a time (a task's export)."""
    if format == XLSX:
        write_xlsx(handle, header=header, rows=rows, title=title)
    elif format == CSV:
        for line in iter_csv(header=header, rows=rows):
            handle.write(line.encode("utf-8"))
    else:
        raise ValueError(format)


def sheet_title(title) -> str:
    return _SHEET_TITLE_UNSAFE.sub("-", force_str(title)).strip("'")[:31] or "Sheet1"


def content_disposition(filename: str) -> str:
    """`attachment` with a filename no browser misreads: an ASCII fallback, and the real
    (Chinese) name in RFC 5987 `filename*`."""
    name = _FILENAME_UNSAFE.sub("-", force_str(filename)).strip(" .-") or "export"
    fallback = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    stem, dot, extension = fallback.rpartition(".")
    if not dot:
        stem, extension = extension, ""
    stem = re.sub(r"[-.]{2,}", "-", _ASCII_UNSAFE.sub("-", stem)).strip("-.") or "export"
    fallback = f"{stem}.{_ASCII_UNSAFE.sub('', extension)}" if extension else stem
    header = f'attachment; filename="{fallback}"'
    if fallback != name:
        header += f"; filename*=UTF-8''{quote(name, safe='')}"
    return header


def _private(response):
    # An export is the office's data: no browser or proxy keeps a copy.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def csv_response(*, filename: str, header: Sequence | None, rows: Iterable[Sequence], stream: bool = False):
    """A CSV download; `filename` without its extension. `stream` sends it line by line."""
    disposition = content_disposition(f"{filename}.csv")
    if stream:
        response = StreamingHttpResponse(
            (line.encode("utf-8") for line in iter_csv(header=header, rows=rows)), content_type=CSV_TYPE
        )
    else:
        response = HttpResponse(csv_bytes(header=header, rows=rows)[0], content_type=CSV_TYPE)
    response["Content-Disposition"] = disposition
    return _private(response)


def xlsx_response(*, filename: str, header: Sequence | None, rows: Iterable[Sequence], title: str = "Sheet1"):
    """An XLSX download; `filename` without its extension, `title` the sheet's name."""
    response = HttpResponse(xlsx_bytes(header=header, rows=rows, title=title), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition(f"{filename}.xlsx")
    return _private(response)


def xlsx_workbook_response(*, filename: str, sheets: Iterable[tuple[str, Sequence | None, Iterable[Sequence]]]):
    """An XLSX download of several sheets (see `xlsx_workbook_bytes`); `filename` without its extension."""
    response = HttpResponse(xlsx_workbook_bytes(sheets=sheets), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition(f"{filename}.xlsx")
    return _private(response)


def file_response(*, field_file, filename: str, format: str = CSV):
    """A file made earlier by `write_spreadsheet` (a task's export), from the private storage:
    streamed from the folder, or a redirect to a link that expires (core.storage)."""
    return storage.private_file_response(
        field_file=field_file,
        content_type=XLSX_TYPE if format == XLSX else CSV_TYPE,
        filename=filename,
        as_attachment=True,
    )


def spreadsheet_response(
    *, format: str, filename: str, header: Sequence | None, rows: Iterable[Sequence], title: str = "Sheet1"
):
    """A download in `format` ("csv" or "xlsx")."""
    if format == XLSX:
        return xlsx_response(filename=filename, header=header, rows=rows, title=title)
    if format == CSV:
        return csv_response(filename=filename, header=header, rows=rows)
    raise ValueError(format)


# --- Wagtail's listing exports ---------------------------------------------------------------------


def _wagtail_as_spreadsheet(view, queryset, spreadsheet_format):
    """SpreadsheetExportMixin.as_spreadsheet through the one writer (Wagtail's own CSV writer
    leaves formulas in place). Wagtail's per-field preprocessing (labels, dates) still applies."""
    fields = list(view.list_export)
    header = [view.get_heading(queryset, field) for field in fields]
    rows = (
        [
            view.preprocess_field_value(field, value, spreadsheet_format)
            for field, value in view.to_row_dict(item).items()
        ]
        for item in queryset
    )
    if spreadsheet_format == view.FORMAT_CSV:
        return csv_response(filename=view.get_filename(), header=header, rows=rows, stream=True)
    if spreadsheet_format == view.FORMAT_XLSX:
        return xlsx_response(filename=view.get_filename(), header=header, rows=rows)
    return None


def route_wagtail_exports() -> None:
    """Send every Wagtail listing export (reports, viewsets with `list_export`) through this module."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    SpreadsheetExportMixin.as_spreadsheet = _wagtail_as_spreadsheet
