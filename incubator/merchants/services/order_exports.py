"""A month's figures from the platform's own order export (CSV or XLSX).

The columns are found by the platform's `OrderExportFormat` (data the office edits). Orders in a
status that does not count (refunded, cancelled, unpaid) are left out; an order counts once per
shop, however many files carry it; the month's orders and sales are computed from the orders
imported. A file with any bad row changes nothing and says which rows are wrong.
"""

import datetime
import hashlib
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import history
from core.models import ChangeRecord
from core.notifications import message
from courses.uploads import TOO_LARGE, max_upload_bytes
from incubator.merchants import periods
from incubator.merchants.models import ImportedOrder, OrderExportFormat, OrderExportUpload, SalesReport, Shop
from incubator.merchants.services import sales as sales_services

MAX_ROWS = 50_000
MAX_ERRORS_SHOWN = 20
HEADER_SEARCH_ROWS = 10  # some back offices write a title line or two above the header

ERROR_NO_FORMAT = _(
    "There is no order export format for %(platform)s yet. Attach a screenshot of the seller back office instead."
)
ERROR_EMPTY = _("The file is empty. Please export the orders again.")
ERROR_NOT_A_TABLE = _("“%(name)s” is not a CSV or XLSX order export.")
ERROR_ENCODING = _("“%(name)s” cannot be read: save it as CSV (UTF-8 or GB18030) or XLSX.")
ERROR_COLUMNS = _(
    "The file has no column %(missing)s. A %(platform)s order export has the columns %(expected)s; "
    "this file has %(found)s."
)
ERROR_TOO_MANY_ROWS = _("The file has more than %(count)s rows. Export one month at a time.")
ERROR_DUPLICATE_FILE = _("This file was already uploaded on %(date)s. Nothing was changed.")
ERROR_NOTHING_NEW = _("Every order in this file was already imported. Nothing was changed.")
ERROR_VERIFIED = _("%(month)s has been verified and can no longer be changed. Ask the county office to correct it.")
ERROR_MORE_ROWS = _("… and %(count)s more rows with problems.")
ROW_NO_ID = _("Row %(row)s: the order id is empty.")
ROW_BAD_TIME = _("Row %(row)s: “%(value)s” is not an order time (for example 2026-10-03 14:20:00).")
ROW_OUTSIDE_MONTH = _("Row %(row)s: order %(order)s was placed on %(date)s, which is not in %(month)s.")
ROW_BAD_AMOUNT = _("Row %(row)s: “%(value)s” is not an amount paid.")

TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y%m%d%H%M%S",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日",
)


@dataclass
class ImportResult:
    report: SalesReport
    upload: OrderExportUpload
    added: int = 0
    left_out: int = 0
    already_known: int = 0
    errors: list = field(default_factory=list)


def _cell(value) -> str:
    """A cell as text: back offices wrap ids as ="123" or with a tab so that Excel keeps the digits."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat(sep=" ") if isinstance(value, datetime.datetime) else value.isoformat()
    text = str(value).strip().strip("\t").strip()
    if text.startswith('="') and text.endswith('"'):
        text = text[2:-1]
    return text.lstrip("'").strip()


def _decode(raw: bytes, name: str) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")  # covers GBK and GB2312, what Excel writes on a Chinese Windows
    except UnicodeDecodeError as error:
        raise ValidationError(ERROR_ENCODING, code="encoding", params={"name": name}) from error


def read_table(*, raw: bytes, name: str) -> list[list]:
    """The rows of a CSV or XLSX file as lists of cells (XLSX times stay datetimes)."""
    import csv

    if raw.startswith(b"PK\x03\x04"):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        except Exception as error:  # a zip that is not a workbook
            raise ValidationError(ERROR_NOT_A_TABLE, code="not_a_table", params={"name": name}) from error
        sheet = workbook.worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        workbook.close()
        return rows
    if b"\x00" in raw[:4096]:
        raise ValidationError(ERROR_NOT_A_TABLE, code="not_a_table", params={"name": name})
    text = _decode(raw, name)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    return [list(row) for row in csv.reader(io.StringIO(text), dialect)]


def _parse_time(value) -> datetime.datetime | None:
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, datetime.date):
        return datetime.datetime.combine(value, datetime.time.min)
    text = _cell(value)
    for fmt in TIME_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def _parse_amount(value) -> Decimal | None:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        amount = Decimal(str(value))
    else:
        text = _cell(value).replace(",", "").replace("¥", "").replace("￥", "").replace("元", "").strip()
        try:
            amount = Decimal(text)
        except InvalidOperation:
            return None
    return amount.quantize(Decimal("0.01")) if amount.is_finite() and amount >= 0 else None


@dataclass
class ParsedOrder:
    order_id: str
    ordered_at: datetime.datetime
    amount: Decimal
    counts: bool


def parse_orders(*, rows: list[list], export_format: OrderExportFormat, month: datetime.date) -> list[ParsedOrder]:
    """Every order of the file, or a ValidationError listing the bad rows (row numbers as a
    spreadsheet shows them)."""
    columns = export_format.columns
    header_index = None
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        cells = [_cell(cell) for cell in row]
        if columns["order_id"] in cells:
            header_index = index
            break
    header = [_cell(cell) for cell in rows[header_index]] if header_index is not None else []
    missing = [name for name in columns.values() if name not in header]
    if missing:
        found = [cell for cell in (header or [_cell(c) for c in (rows[0] if rows else [])]) if cell]
        raise ValidationError(
            ERROR_COLUMNS,
            code="columns",
            params={
                "missing": "、".join(f"“{name}”" for name in missing),
                "platform": export_format.get_platform_display(),
                "expected": "、".join(f"“{name}”" for name in columns.values()),
                "found": "、".join(f"“{name}”" for name in found[:12]) or "—",
            },
        )
    position = {key: header.index(name) for key, name in columns.items()}
    statuses = export_format.statuses
    data = rows[header_index + 1 :]
    if len(data) > MAX_ROWS:
        raise ValidationError(ERROR_TOO_MANY_ROWS, code="too_many_rows", params={"count": MAX_ROWS})
    first, last = month, periods.month_end(month)
    errors, orders = [], []
    for offset, row in enumerate(data):
        number = header_index + 2 + offset
        if not any(_cell(cell) for cell in row):
            continue
        row = list(row) + [None] * (len(header) - len(row))
        order_id = _cell(row[position["order_id"]])
        ordered_at = _parse_time(row[position["order_time"]])
        amount = _parse_amount(row[position["amount"]])
        if not order_id:
            errors.append(message(ROW_NO_ID, row=number))
        elif ordered_at is None:
            errors.append(message(ROW_BAD_TIME, row=number, value=_cell(row[position["order_time"]])))
        elif not first <= ordered_at.date() <= last:
            errors.append(
                message(
                    ROW_OUTSIDE_MONTH,
                    row=number,
                    order=order_id,
                    date=ordered_at.date().isoformat(),
                    month=f"{month:%Y-%m}",
                )
            )
        elif amount is None:
            errors.append(message(ROW_BAD_AMOUNT, row=number, value=_cell(row[position["amount"]])))
        else:
            status = _cell(row[position["status"]])
            orders.append(ParsedOrder(order_id[:100], ordered_at, amount, status in statuses))
    if errors:
        shown = [ValidationError(str(error)) for error in errors[:MAX_ERRORS_SHOWN]]
        if len(errors) > MAX_ERRORS_SHOWN:
            shown.append(ValidationError(ERROR_MORE_ROWS, params={"count": len(errors) - MAX_ERRORS_SHOWN}))
        raise ValidationError(shown)
    return orders


def import_order_export(*, shop: Shop, month: datetime.date, upload, by, today=None, reason: str = "") -> ImportResult:
    """Read a platform order export for `month` into the shop's report of that month (made if
    missing). Refused as a whole, with a message per bad row, when anything is wrong. `reason`
    (the office's, see `office_import_order_export`) goes on the record before the file's counts."""
    today = today or periods.today()
    month = periods.month_start(month)
    name = (getattr(upload, "name", "") or "")[:200]
    sales_services.check_figures(month=month, orders=None, sales=None, today=today)
    if month < periods.month_start(shop.opened_on):
        raise ValidationError({"month": sales_services.ERROR_BEFORE_OPENING})
    export_format = OrderExportFormat.objects.filter(platform=shop.platform).first()
    if export_format is None:
        raise ValidationError(ERROR_NO_FORMAT, code="no_format", params={"platform": shop.get_platform_display()})
    if upload.size > max_upload_bytes():
        raise ValidationError(
            TOO_LARGE,
            code="too_large",
            params={"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(max_upload_bytes())},
        )
    upload.seek(0)
    raw = upload.read()
    if not raw.strip():
        raise ValidationError(ERROR_EMPTY, code="empty")
    digest = hashlib.sha256(raw).hexdigest()
    earlier = OrderExportUpload.objects.filter(shop=shop, sha256=digest).first()
    if earlier is not None:
        raise ValidationError(
            ERROR_DUPLICATE_FILE,
            code="duplicate",
            params={"date": f"{timezone.localtime(earlier.uploaded_at):%Y-%m-%d %H:%M}"},
        )
    orders = parse_orders(rows=read_table(raw=raw, name=name), export_format=export_format, month=month)
    try:
        return _store(
            shop=shop, month=month, orders=orders, raw=raw, name=name, digest=digest, by=by, today=today, reason=reason
        )
    except IntegrityError as error:  # the same file uploaded twice at once
        raise ValidationError(ERROR_DUPLICATE_FILE, code="duplicate", params={"date": today.isoformat()}) from error


@transaction.atomic
def _store(*, shop, month, orders, raw, name, digest, by, today, reason="") -> ImportResult:
    Status, Evidence = SalesReport.Status, SalesReport.Evidence
    known = set(
        ImportedOrder.objects.filter(shop=shop, order_id__in=[o.order_id for o in orders]).values_list(
            "order_id", flat=True
        )
    )
    new, seen, left_out, already = [], set(), 0, 0
    for order in orders:
        if order.order_id in seen:
            continue  # one row per item: the order is the same
        seen.add(order.order_id)
        if order.order_id in known:
            already += 1
        elif not order.counts:
            left_out += 1
        else:
            new.append(order)
    report = SalesReport.objects.select_for_update().filter(shop=shop, month=month).first()
    if report is not None and report.status == Status.VERIFIED:
        raise ValidationError(ERROR_VERIFIED, code="verified", params={"month": f"{month:%Y-%m}"})
    if report is not None and not new:
        raise ValidationError(ERROR_NOTHING_NEW, code="nothing_new")
    created = report is None
    if created:
        report = SalesReport(
            shop=shop,
            month=month,
            orders=0,
            sales=Decimal("0"),
            submitted_by=by,
            is_late=today > sales_services.editable_until(month),
        )
        report.save()
        before = None
    else:
        before = history.snapshot(report, sales_services.TRACKED)
    extension = "xlsx" if raw.startswith(b"PK\x03\x04") else "csv"
    stored = OrderExportUpload(
        shop=shop,
        report=report,
        original_name=name,
        extension=extension,
        sha256=digest,
        rows_read=len(orders),
        orders_added=len(new),
        orders_left_out=left_out,
        orders_already_known=already,
        uploaded_by=by,
    )
    stored.file.save(f"orders.{extension}", ContentFile(raw), save=False)
    with transaction.atomic():
        stored.save()
    tz = timezone.get_current_timezone()
    ImportedOrder.objects.bulk_create(
        [
            ImportedOrder(
                shop=shop,
                upload=stored,
                order_id=order.order_id,
                month=month,
                ordered_at=timezone.make_aware(order.ordered_at, tz)
                if timezone.is_naive(order.ordered_at)
                else order.ordered_at,
                amount=order.amount,
            )
            for order in new
        ]
    )
    totals = ImportedOrder.objects.filter(shop=shop, month=month).aggregate(count=Count("pk"), total=Sum("amount"))
    # SQLite sums decimals as floats (1234.5000000001): back to yuan and fen, as stored.
    report.orders = totals["count"] or 0
    report.sales = Decimal(str(totals["total"] or 0)).quantize(Decimal("0.01"))
    report.evidence_level = Evidence.ORDER_EXPORT
    report.submitted_by = by
    sales_services.check_figures(month=month, orders=report.orders, sales=report.sales, today=today)
    if created:
        report.flag_reason = sales_services.flag_reason(
            shop=shop, month=month, sales=report.sales, exclude_pk=report.pk
        )
        report.status = Status.FLAGGED if report.flag_reason else Status.PENDING
    else:
        sales_services.apply_flag_rule(report)
    report.full_clean(validate_unique=False, validate_constraints=False)
    report.save()
    counts = str(
        message(
            _(
                "Order export “%(name)s”: %(added)s new orders, %(left_out)s refunded or cancelled, %(known)s already imported."
            ),
            name=name,
            added=len(new),
            left_out=left_out,
            known=already,
        )
    )
    reason = f"{reason} · {counts}" if reason else counts
    if created:
        history.record(
            report, actor=by, reason=reason, action=ChangeRecord.Action.CREATED, fields=sales_services.TRACKED
        )
    else:
        history.record(report, actor=by, reason=reason, before=before)
    return ImportResult(report=report, upload=stored, added=len(new), left_out=left_out, already_known=already)


def office_import_order_export(*, report: SalesReport, upload, by, reason: str, today=None) -> ImportResult:
    """The office reads an order export the merchant sent (by WeChat, on a USB stick) into the
    report's month, with the reason; the same checks as the merchant's own upload apply, and the
    merchant is notified as for any change the office makes."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": sales_services.ERROR_REASON_REQUIRED})
    result = import_order_export(shop=report.shop, month=report.month, upload=upload, by=by, today=today, reason=reason)
    sales_services.notify_office_change(result.report, reason)
    return result
