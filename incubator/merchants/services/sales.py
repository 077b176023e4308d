"""Monthly sales reports, one per shop and month, and the window in which they may be corrected."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from incubator.merchants import periods
from incubator.merchants.models import SalesReport, Shop
from incubator.merchants.services.activity import refresh_activity

# How long after a month ends its report may still be corrected.
REPORT_EDIT_DAYS = getattr(settings, "MERCHANTS_REPORT_EDIT_DAYS", 15)


ERROR_FUTURE_MONTH = _("You cannot report a month that has not started yet.")
ERROR_DUPLICATE_MONTH = _("This shop already has a report for that month. Edit it instead.")
ERROR_NEGATIVE = _("Figures cannot be negative.")
ERROR_WINDOW_CLOSED = _("This month can no longer be changed: reports can be corrected until %(date)s.")
ERROR_BEFORE_OPENING = _("The shop had not opened yet in that month.")


def editable_until(month: datetime.date) -> datetime.date:
    """The last day a month's report may be created or corrected."""
    return periods.month_end(month) + datetime.timedelta(days=REPORT_EDIT_DAYS)


def is_month_open(month: datetime.date, *, today: datetime.date | None = None) -> bool:
    today = today or periods.today()
    return periods.month_start(month) <= periods.month_start(today) and today <= editable_until(month)


def _check_figures(*, month: datetime.date, orders, sales, today: datetime.date) -> None:
    errors = {}
    if orders is not None and orders < 0:
        errors["orders"] = ERROR_NEGATIVE
    if sales is not None and Decimal(sales) < 0:
        errors["sales"] = ERROR_NEGATIVE
    if month > periods.month_start(today):
        errors["month"] = ERROR_FUTURE_MONTH
    elif today > editable_until(month):
        errors["month"] = ValidationError(
            ERROR_WINDOW_CLOSED, params={"date": editable_until(month).isoformat()}, code="closed"
        )
    if errors:
        raise ValidationError(errors)


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
) -> SalesReport:
    """Record a shop's figures for a month: one report per shop and month, not for a future
    month, not after the edit window, no negatives. Refreshes the owner's active/dormant stage."""
    today = today or periods.today()
    month = periods.month_start(month)
    _check_figures(month=month, orders=orders, sales=sales, today=today)
    if month < periods.month_start(shop.opened_on):
        raise ValidationError({"month": ERROR_BEFORE_OPENING})
    if SalesReport.objects.filter(shop=shop, month=month).exists():
        raise ValidationError({"month": ERROR_DUPLICATE_MONTH})
    report = SalesReport(
        shop=shop, month=month, orders=orders, sales=Decimal(sales), products_sold=products_sold, submitted_by=by
    )
    report.full_clean(validate_unique=False, validate_constraints=False)
    try:
        # A savepoint: two concurrent submissions race to the unique constraint; the loser
        # gets the same clear message as a sequential duplicate.
        with transaction.atomic():
            report.save()
    except IntegrityError as exc:
        raise ValidationError({"month": ERROR_DUPLICATE_MONTH}) from exc
    refresh_activity(user=shop.owner, today=today, by=by)
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
    """Correct a report while its month is still open for edits."""
    today = today or periods.today()
    _check_figures(month=report.month, orders=orders, sales=sales, today=today)
    report.orders = orders
    report.sales = Decimal(sales)
    report.products_sold = products_sold
    report.submitted_by = by or report.submitted_by
    report.full_clean(validate_unique=False, validate_constraints=False)
    report.save()
    refresh_activity(user=report.shop.owner, today=today, by=by)
    return report
