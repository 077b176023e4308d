"""Monthly sales reports: what may be reported, what is flagged, who verifies, and every change
kept on the record (core.history).

A report is for a month that is over. Figures above hard limits are refused; figures far above
the shop's own recent months or the county's distribution for its platform are accepted but
flagged, and a flagged report needs evidence before it is verified. Only verified reports count
in the county's figures (selectors.dashboard) and in a merchant's active/dormant stage
(services.activity). The status changes are `models.REPORT_TRANSITIONS`, done by `_move` only.
"""

import datetime
import math
from decimal import Decimal
from statistics import median

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import history, roles
from core.models import ChangeRecord
from core.notifications import message, notify
from courses.uploads import DOCUMENT_TYPES, WRONG_DOCUMENT_TYPE, check_upload
from incubator.merchants import periods
from incubator.merchants.models import REPORT_TRANSITIONS, SalesEvidence, SalesReport, Shop
from incubator.merchants.services.activity import refresh_activity
from incubator.recruitment.services.transitions import InvalidTransition
from mentors.selectors.relations import is_mentor_of

Status = SalesReport.Status
Evidence = SalesReport.Evidence

# How long after a month ends its report may still be corrected by the merchant.
REPORT_EDIT_DAYS = getattr(settings, "MERCHANTS_REPORT_EDIT_DAYS", 15)

# The defaults of the settings that bound and flag a report (docs/figures.md).
DEFAULT_MAX_SALES = Decimal("20000000")  # yuan in one month: far beyond any of the county's shops
DEFAULT_MAX_ORDERS = 200_000
DEFAULT_FLAG_FACTOR = Decimal("5")
DEFAULT_FLAG_PERCENTILE = Decimal("99.5")
DEFAULT_FLAG_HISTORY_MONTHS = 6
DEFAULT_FLAG_MIN_HISTORY = 3
DEFAULT_PERCENTILE_MIN_SAMPLE = 50
MAX_EVIDENCE_FILES = 10

# The fields a report's history compares.
FIGURES = ["orders", "sales", "products_sold"]
TRACKED = [*FIGURES, "status", "evidence_level", "is_late", "flag_reason", "verified_by", "sent_back_reason"]

ERROR_NOT_OVER = _("%(month)s is not over yet. A month can be reported from %(date)s, once it has ended.")
ERROR_DUPLICATE_MONTH = _("This shop already has a report for that month. Edit it instead.")
ERROR_NEGATIVE = _("Figures cannot be negative.")
ERROR_WINDOW_CLOSED = _("This month can no longer be changed: reports can be corrected until %(date)s.")
ERROR_VERIFIED = _("This month has been verified and can no longer be changed. Ask the county office to correct it.")
ERROR_BEFORE_OPENING = _("The shop had not opened yet in that month.")
ERROR_TOO_MUCH_SALES = _("No shop of the programme sells more than %(limit)s yuan in a month. Please check the figure.")
ERROR_TOO_MANY_ORDERS = _(
    "No shop of the programme has more than %(limit)s orders in a month. Please check the figure."
)
ERROR_REASON_REQUIRED = _("Please give the reason (for example: reported by phone on 3 November).")
ERROR_NOT_AWAITING = _("Only a report awaiting verification can be verified or sent back.")
ERROR_FLAGGED_NEEDS_EVIDENCE = _(
    "This report is flagged: it can be verified only with evidence (a screenshot, a PDF or the order export)."
)
ERROR_MAY_NOT_VERIFY = _("Only the merchant's mentor or the county office can verify this report.")
ERROR_FROM_ORDER_EXPORT = _(
    "These figures come from your order exports. Upload the month's export again to add orders."
)
ERROR_NO_FILES = _("Choose a screenshot or PDF to upload.")
ERROR_TOO_MANY_EVIDENCE = _("A report can carry at most %(count)s files.")

FLAG_ABOVE_MEDIAN = _("more than %(factor)s times the median (%(median)s yuan) of the shop's last %(count)s months")
FLAG_ABOVE_PERCENTILE = _("above the county's %(percentile)sth percentile (%(value)s yuan) for %(platform)s shops")


def _yuan(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


def _setting(name: str, default):
    return getattr(settings, name, default)


def editable_until(month: datetime.date) -> datetime.date:
    """The last day a month's report may be created or corrected in time."""
    return periods.month_end(month) + datetime.timedelta(days=REPORT_EDIT_DAYS)


def is_month_open(month: datetime.date, *, today: datetime.date | None = None) -> bool:
    """Whether the month is over and still within its edit window (a report of it is not late)."""
    today = today or periods.today()
    return periods.month_start(month) < periods.month_start(today) and today <= editable_until(month)


def report_editable_until(report: SalesReport) -> datetime.date:
    """The merchant's last day to correct: the month's window, or for a late report a window as
    long from the day it was reported."""
    if not report.is_late:
        return editable_until(report.month)
    reported_on = timezone.localdate(report.created_at) if report.created_at else periods.today()
    return reported_on + datetime.timedelta(days=REPORT_EDIT_DAYS)


def merchant_may_edit(report: SalesReport, *, today: datetime.date | None = None) -> bool:
    """A month closes for the merchant once verified or past its window; a report sent back stays
    open until it is fixed."""
    if report.status == Status.VERIFIED:
        return False
    if report.status == Status.SENT_BACK:
        return True
    return (today or periods.today()) <= report_editable_until(report)


def may_verify(user, report: SalesReport) -> bool:
    """The owner's current mentor, or the county office; never the owner themselves."""
    if not getattr(user, "is_authenticated", False) or user.pk == report.shop.owner_id:
        return False
    return roles.is_office(user) or is_mentor_of(mentor=user, trainee=report.shop.owner_id, current_only=True)


# --- the rules -------------------------------------------------------------------------------


def figure_errors(*, orders, sales) -> dict:
    """What no figure of sales may say, field -> error: negatives, figures past the limits of a
    month (SALES_REPORT_MAX_ORDERS, SALES_REPORT_MAX_SALES; a day's figure, a campaign's, can be no
    more than a month's)."""
    errors = {}
    if orders is not None and orders < 0:
        errors["orders"] = ERROR_NEGATIVE
    elif orders is not None and orders > int(_setting("SALES_REPORT_MAX_ORDERS", DEFAULT_MAX_ORDERS)):
        errors["orders"] = ValidationError(
            ERROR_TOO_MANY_ORDERS,
            code="limit",
            params={"limit": _setting("SALES_REPORT_MAX_ORDERS", DEFAULT_MAX_ORDERS)},
        )
    if sales is not None and Decimal(sales) < 0:
        errors["sales"] = ERROR_NEGATIVE
    elif sales is not None and Decimal(sales) > Decimal(_setting("SALES_REPORT_MAX_SALES", DEFAULT_MAX_SALES)):
        errors["sales"] = ValidationError(
            ERROR_TOO_MUCH_SALES, code="limit", params={"limit": _setting("SALES_REPORT_MAX_SALES", DEFAULT_MAX_SALES)}
        )
    return errors


def check_figures(*, month: datetime.date, orders, sales, today: datetime.date) -> None:
    """Refuse what no report may say: negatives, a month not over yet, figures past the limits."""
    errors = figure_errors(orders=orders, sales=sales)
    if month >= periods.month_start(today):
        errors["month"] = ValidationError(
            ERROR_NOT_OVER,
            code="not_over",
            params={"month": f"{month:%Y-%m}", "date": periods.add_months(month, 1).isoformat()},
        )
    if errors:
        raise ValidationError(errors)


def percentile_value(values_ascending_query, *, percentile: Decimal) -> Decimal | None:
    """The nearest-rank percentile of a query of sales figures ordered ascending (two queries),
    or None when the sample is smaller than SALES_REPORT_PERCENTILE_MIN_SAMPLE."""
    count = values_ascending_query.count()
    if count < int(_setting("SALES_REPORT_PERCENTILE_MIN_SAMPLE", DEFAULT_PERCENTILE_MIN_SAMPLE)):
        return None
    rank = math.ceil(Decimal(percentile) * count / 100)  # nearest rank, 1-based
    index = min(max(rank - 1, 0), count - 1)
    return values_ascending_query[index]


def flag_reason(*, shop: Shop, month: datetime.date, sales, exclude_pk=None) -> str:
    """Why these sales would be flagged, or "" when they are not.

    Flagged when more than SALES_REPORT_FLAG_FACTOR (5) times the median of the shop's last
    six reported months (verified or pending; once it has SALES_REPORT_FLAG_MIN_HISTORY of them),
    or above the SALES_REPORT_FLAG_PERCENTILE (99.5th) percentile of the verified monthly sales of
    the county's shops on the same platform over the twelve months before."""
    sales = Decimal(sales)
    reasons = []
    factor = Decimal(_setting("SALES_REPORT_FLAG_FACTOR", DEFAULT_FLAG_FACTOR))
    history_months = int(_setting("SALES_REPORT_FLAG_HISTORY_MONTHS", DEFAULT_FLAG_HISTORY_MONTHS))
    own = list(
        SalesReport.objects.filter(shop=shop, status__in=[Status.VERIFIED, Status.PENDING])
        .exclude(month=month)
        .exclude(pk=exclude_pk)
        .order_by("-month")
        .values_list("sales", flat=True)[:history_months]
    )
    if own and len(own) >= int(_setting("SALES_REPORT_FLAG_MIN_HISTORY", DEFAULT_FLAG_MIN_HISTORY)):
        middle = Decimal(median(own)).quantize(Decimal("0.01"))
        if sales > factor * middle:
            reasons.append(
                message(FLAG_ABOVE_MEDIAN, factor=f"{factor.normalize()}", median=f"{middle}", count=len(own))
            )
    percentile = Decimal(_setting("SALES_REPORT_FLAG_PERCENTILE", DEFAULT_FLAG_PERCENTILE))
    county = (
        SalesReport.objects.filter(
            shop__platform=shop.platform,
            status=Status.VERIFIED,
            month__gte=periods.add_months(month, -12),
            month__lt=month,
        )
        .exclude(pk=exclude_pk)
        .order_by("sales")
        .values_list("sales", flat=True)
    )
    value = percentile_value(county, percentile=percentile)
    if value is not None and sales > value:
        reasons.append(
            message(
                FLAG_ABOVE_PERCENTILE,
                percentile=f"{percentile.normalize()}",
                value=f"{value}",
                platform=shop.get_platform_display(),
            )
        )
    return "；".join(str(reason) for reason in reasons)[:300]


def _move(report: SalesReport, to: str) -> None:
    """The one status change: only what REPORT_TRANSITIONS allows."""
    if to not in REPORT_TRANSITIONS.get(report.status, ()):
        raise InvalidTransition(current=Status(report.status), to=Status(to))
    report.status = to


def apply_flag_rule(report: SalesReport) -> None:
    report.flag_reason = flag_reason(shop=report.shop, month=report.month, sales=report.sales, exclude_pk=report.pk)
    _move(report, Status.FLAGGED if report.flag_reason else Status.PENDING)
    report.verified_at = report.verified_by = None
    report.sent_back_reason = ""


def _save(report: SalesReport) -> None:
    report.full_clean(validate_unique=False, validate_constraints=False)
    report.save()


def _report_url(report: SalesReport) -> str:
    return reverse("merchants:report_edit", args=[report.shop_id, report.pk])


# --- the merchant's own reports ------------------------------------------------------------------


@transaction.atomic
def submit_sales_report(
    *,
    shop: Shop,
    month: datetime.date,
    orders: int,
    sales,
    products_sold: str = "",
    by=None,
    today: datetime.date | None = None,
    reason: str = "",
) -> SalesReport:
    """Record a shop's figures for a month that is over: one report per shop and month, within
    the limits, flagged when far above the usual, marked late after the month's window. It waits
    for verification (pending or flagged)."""
    today = today or periods.today()
    month = periods.month_start(month)
    check_figures(month=month, orders=orders, sales=sales, today=today)
    if month < periods.month_start(shop.opened_on):
        raise ValidationError({"month": ERROR_BEFORE_OPENING})
    if SalesReport.objects.filter(shop=shop, month=month).exists():
        raise ValidationError({"month": ERROR_DUPLICATE_MONTH})
    report = SalesReport(
        shop=shop,
        month=month,
        orders=orders,
        sales=_yuan(sales),
        products_sold=products_sold,
        submitted_by=by,
        is_late=today > editable_until(month),
        status=Status.PENDING,
    )
    report.flag_reason = flag_reason(shop=shop, month=month, sales=report.sales)
    if report.flag_reason:
        report.status = Status.FLAGGED
    report.full_clean(validate_unique=False, validate_constraints=False)
    try:
        # A savepoint: two concurrent submissions race to the unique constraint; the loser
        # gets the same clear message as a sequential duplicate.
        with transaction.atomic():
            report.save()
    except IntegrityError as exc:
        raise ValidationError({"month": ERROR_DUPLICATE_MONTH}) from exc
    history.record(report, actor=by, reason=reason, action=ChangeRecord.Action.CREATED, fields=TRACKED)
    return report


@transaction.atomic
def update_sales_report(
    *,
    report: SalesReport,
    orders: int,
    sales,
    products_sold: str = "",
    by=None,
    today: datetime.date | None = None,
) -> SalesReport:
    """The merchant corrects (or fixes a report sent back) while the month is open to them; it
    waits for verification again."""
    today = today or periods.today()
    report = SalesReport.objects.select_for_update().select_related("shop").get(pk=report.pk)
    if report.status == Status.VERIFIED:
        raise ValidationError(ERROR_VERIFIED, code="verified")
    if not merchant_may_edit(report, today=today):
        raise ValidationError(
            ERROR_WINDOW_CLOSED, code="closed", params={"date": report_editable_until(report).isoformat()}
        )
    if report.evidence_level == Evidence.ORDER_EXPORT:
        raise ValidationError(ERROR_FROM_ORDER_EXPORT, code="order_export")
    check_figures(month=report.month, orders=orders, sales=sales, today=today)
    before = history.snapshot(report, TRACKED)
    report.orders, report.sales, report.products_sold = orders, _yuan(sales), products_sold
    report.submitted_by = by or report.submitted_by
    resubmitted = report.status == Status.SENT_BACK
    apply_flag_rule(report)
    _save(report)
    history.record(report, actor=by, before=before, reason=str(_("Fixed and sent again.")) if resubmitted else "")
    return report


@transaction.atomic
def add_evidence(*, report: SalesReport, files, by) -> list[SalesEvidence]:
    """Attach screenshots or PDFs of the seller back office, checked by content like task files.
    Nothing is saved unless every file is valid."""
    files = list(files)
    if not files:
        raise ValidationError({"files": ERROR_NO_FILES})
    report = SalesReport.objects.select_for_update().get(pk=report.pk)
    if report.status == Status.VERIFIED and not roles.is_office(by):
        raise ValidationError(ERROR_VERIFIED, code="verified")
    errors, checked = [], []
    for upload in files:
        try:
            checked.append((upload, *check_upload(upload, allowed=DOCUMENT_TYPES, wrong_type=WRONG_DOCUMENT_TYPE)))
        except ValidationError as error:
            errors.append(error)
    if errors:
        raise ValidationError({"files": errors})
    if report.evidence.count() + len(checked) > MAX_EVIDENCE_FILES:
        raise ValidationError({"files": ValidationError(ERROR_TOO_MANY_EVIDENCE, params={"count": MAX_EVIDENCE_FILES})})
    # The report's `updated_at` moves with every upload, so the history always has the line.
    before = history.snapshot(report, ["evidence_level", "updated_at"])
    stored = []
    for upload, content_type, extension in checked:
        evidence = SalesEvidence(
            report=report,
            original_name=(upload.name or "")[:200],
            content_type=content_type,
            extension=extension,
            size=upload.size,
            uploaded_by=by,
        )
        evidence.file.save(f"evidence.{extension}", upload, save=False)
        evidence.save()
        stored.append(evidence)
    if report.evidence_level == Evidence.NONE:
        report.evidence_level = Evidence.DOCUMENT
    report.save(update_fields=["evidence_level", "updated_at"])
    names = "、".join(item.original_name for item in stored)
    history.record(report, actor=by, before=before, reason=str(message(_("Evidence added: %(names)s"), names=names)))
    return stored


# --- verification ---------------------------------------------------------------------------------


@transaction.atomic
def verify_report(*, report: SalesReport, by, today: datetime.date | None = None) -> SalesReport:
    """The mentor or the office confirms the figures (who, when); a flagged report needs evidence.
    From now on the month counts, and the merchant's active/dormant stage follows."""
    report = SalesReport.objects.select_for_update().select_related("shop__owner").get(pk=report.pk)
    if not may_verify(by, report):
        raise ValidationError(ERROR_MAY_NOT_VERIFY, code="forbidden")
    if not report.awaits_verification:
        raise ValidationError(ERROR_NOT_AWAITING, code="not_awaiting")
    if report.status == Status.FLAGGED and report.evidence_level == Evidence.NONE:
        raise ValidationError(ERROR_FLAGGED_NEEDS_EVIDENCE, code="needs_evidence")
    before = history.snapshot(report, TRACKED)
    _move(report, Status.VERIFIED)
    report.verified_by, report.verified_at = by, timezone.now()
    _save(report)
    history.record(report, actor=by, before=before)
    refresh_activity(user=report.shop.owner, today=today, by=by)
    return report


@transaction.atomic
def send_back_report(*, report: SalesReport, by, reason: str) -> SalesReport:
    """The mentor or the office returns a report with the reason; the merchant is notified and
    may fix it and send it again."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ERROR_REASON_REQUIRED})
    report = SalesReport.objects.select_for_update().select_related("shop__owner").get(pk=report.pk)
    if not may_verify(by, report):
        raise ValidationError(ERROR_MAY_NOT_VERIFY, code="forbidden")
    if not report.awaits_verification:
        raise ValidationError(ERROR_NOT_AWAITING, code="not_awaiting")
    before = history.snapshot(report, TRACKED)
    _move(report, Status.SENT_BACK)
    report.sent_back_reason = reason[:500]
    _save(report)
    history.record(report, actor=by, before=before, reason=reason)
    notify(
        recipient=report.shop.owner,
        kind="sales-report-sent-back",
        title=message(_("Your sales report for %(month)s needs a fix"), month=f"{report.month:%Y-%m}"),
        body=reason,
        url=_report_url(report),
    )
    return report


# --- the office, on a merchant's behalf -------------------------------------------------------


def notify_office_change(report: SalesReport, reason: str) -> None:
    notify(
        recipient=report.shop.owner,
        kind="sales-report-corrected",
        title=message(
            _("The county office recorded your sales for %(month)s (%(shop)s)"),
            month=f"{report.month:%Y-%m}",
            shop=report.shop.name,
        ),
        body=reason,
        url=_report_url(report),
    )


@transaction.atomic
def office_enter_report(
    *, shop: Shop, month, orders: int, sales, products_sold: str = "", by, reason: str, today=None
) -> SalesReport:
    """The office enters a month a villager reported by phone or WeChat, with the reason. The
    same rules as the merchant's own report apply; it waits for verification like any other."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ERROR_REASON_REQUIRED})
    report = submit_sales_report(
        shop=shop,
        month=month,
        orders=orders,
        sales=sales,
        products_sold=products_sold,
        by=by,
        today=today,
        reason=reason,
    )
    notify_office_change(report, reason)
    return report


@transaction.atomic
def office_correct_report(
    *, report: SalesReport, orders: int, sales, products_sold: str = "", by, reason: str, today=None
) -> SalesReport:
    """The office corrects a report at any time, with the reason; the change is on the record,
    the merchant is told, and the corrected month waits for verification again."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ERROR_REASON_REQUIRED})
    today = today or periods.today()
    report = SalesReport.objects.select_for_update().select_related("shop__owner").get(pk=report.pk)
    check_figures(month=report.month, orders=orders, sales=sales, today=today)
    before = history.snapshot(report, TRACKED)
    was_verified = report.status == Status.VERIFIED
    report.orders, report.sales, report.products_sold = orders, _yuan(sales), products_sold
    apply_flag_rule(report)
    _save(report)
    history.record(report, actor=by, before=before, reason=reason)
    notify_office_change(report, reason)
    if was_verified:
        refresh_activity(user=report.shop.owner, today=today, by=by)
    return report
