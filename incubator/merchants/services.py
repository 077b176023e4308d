"""Changes of the merchants app: shops, monthly sales, the active/dormant stage, graduation,
certificates, reminders and exports. Every function is keyword-only and checks nothing about
who calls it: views and admin views check permissions first."""

import datetime
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.notifications import notify

from . import periods
from .models import Certificate, DashboardExport, SalesReport, Shop

logger = logging.getLogger(__name__)

# How long after a month ends its report may still be corrected.
REPORT_EDIT_DAYS = getattr(settings, "MERCHANTS_REPORT_EDIT_DAYS", 15)
# A merchant with no report with orders in this many complete months (plus the current one) is dormant.
DORMANT_AFTER_MONTHS = getattr(settings, "MERCHANTS_DORMANT_AFTER_MONTHS", 3)

ERROR_FUTURE_MONTH = _("You cannot report a month that has not started yet.")
ERROR_DUPLICATE_MONTH = _("This shop already has a report for that month. Edit it instead.")
ERROR_NEGATIVE = _("Figures cannot be negative.")
ERROR_WINDOW_CLOSED = _("This month can no longer be changed: reports can be corrected until %(date)s.")
ERROR_BEFORE_OPENING = _("The shop had not opened yet in that month.")
ERROR_NOT_ELIGIBLE = _("%(name)s cannot graduate yet: %(missing)s")
ERROR_ALREADY_GRADUATED = _("%(name)s has already graduated.")
ERROR_REVOKE_REASON = _("Please give the reason for revoking the certificate.")
ERROR_ALREADY_REVOKED = _("This certificate has already been revoked.")


def _stage_api():
    """The recruitment app's stage machine (imported late: the merchants app sits above it)."""
    from incubator.recruitment import services as recruitment_services
    from incubator.recruitment.models import TraineeProfile

    return recruitment_services, TraineeProfile


# --- Shops ---------------------------------------------------------------------------------


@transaction.atomic
def register_shop(
    *,
    owner,
    platform: str,
    name: str,
    url: str,
    opened_on: datetime.date,
    products=(),
    products_note: str = "",
    in_directory: bool = False,
) -> Shop:
    """Register a shop; a graduate who registers one becomes a merchant."""
    shop = Shop(
        owner=owner,
        platform=platform,
        name=name,
        url=url,
        opened_on=opened_on,
        products_note=products_note,
        in_directory=in_directory,
    )
    shop.full_clean()
    shop.save()
    shop.products.set(products)
    promote_graduate_with_shop(user=owner)
    return shop


@transaction.atomic
def update_shop(*, shop: Shop, products=None, **fields) -> Shop:
    """Change a shop's details (name, address, platform, opening date, products, directory flag)."""
    allowed = {"platform", "name", "url", "opened_on", "products_note", "in_directory"}
    for key, value in fields.items():
        if key not in allowed:
            raise TypeError(f"update_shop() got an unexpected field {key!r}")
        setattr(shop, key, value)
    shop.full_clean()
    shop.save()
    if products is not None:
        shop.products.set(products)
    return shop


@transaction.atomic
def set_shop_verified(*, shop: Shop, by, verified: bool = True) -> Shop:
    """The office marks a shop verified (or withdraws the mark)."""
    shop.is_verified = verified
    shop.verified_at = timezone.now() if verified else None
    shop.verified_by = by if verified else None
    shop.save(update_fields=["is_verified", "verified_at", "verified_by"])
    return shop


# --- Monthly sales -------------------------------------------------------------------------


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


# --- Active and dormant --------------------------------------------------------------------


def activity_window_start(today: datetime.date) -> datetime.date:
    """The first month that counts for activity: the last DORMANT_AFTER_MONTHS complete months
    and the current one. On 1 December, with 3 months: September."""
    return periods.add_months(periods.month_start(today), -DORMANT_AFTER_MONTHS)


def _active_sales_exists(today: datetime.date):
    return Exists(
        SalesReport.objects.filter(
            shop__owner_id=OuterRef("user_id"), orders__gt=0, month__gte=activity_window_start(today)
        )
    )


def _grace_cutoff(today: datetime.date) -> datetime.datetime:
    """Someone who became a merchant after the window began has not had three months yet."""
    start = activity_window_start(today)
    return timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))


@transaction.atomic
def promote_graduate_with_shop(*, user, by=None) -> bool:
    """A graduate with a shop is a merchant. Returns True when the stage changed."""
    recruitment_services, TraineeProfile = _stage_api()
    profile = TraineeProfile.objects.filter(user=user, stage=TraineeProfile.Stage.GRADUATE).first()
    if profile is None or not Shop.objects.filter(owner=user).exists():
        return False
    recruitment_services.change_stage(
        profile=profile, to=TraineeProfile.Stage.MERCHANT, by=by, note=str(_("Registered a shop."))
    )
    return True


@transaction.atomic
def refresh_activity(*, user, today: datetime.date | None = None, by=None) -> str | None:
    """Set one person's merchant/dormant stage from their reports. Returns the new stage if it changed."""
    today = today or periods.today()
    recruitment_services, TraineeProfile = _stage_api()
    Stage = TraineeProfile.Stage
    profile = (
        TraineeProfile.objects.filter(user=user, stage__in=[Stage.MERCHANT, Stage.DORMANT])
        .annotate(has_sales=_active_sales_exists(today))
        .first()
    )
    if profile is None:
        return None
    if profile.stage == Stage.DORMANT and profile.has_sales:
        recruitment_services.change_stage(
            profile=profile, to=Stage.MERCHANT, by=by, note=str(_("Reported sales again."))
        )
        return Stage.MERCHANT
    in_grace = profile.stage_changed_at is not None and profile.stage_changed_at >= _grace_cutoff(today)
    if profile.stage == Stage.MERCHANT and not profile.has_sales and not in_grace:
        recruitment_services.change_stage(
            profile=profile, to=Stage.DORMANT, by=by, note=str(_("No sales reported for three months."))
        )
        return Stage.DORMANT
    return None


def refresh_all_activity(*, today: datetime.date | None = None) -> dict[str, int]:
    """The nightly pass: every merchant without recent sales becomes dormant, every dormant one
    with sales becomes active again. Each change is its own transaction. Returns the counts."""
    today = today or periods.today()
    _recruitment_services, TraineeProfile = _stage_api()
    Stage = TraineeProfile.Stage
    profiles = TraineeProfile.objects.filter(stage__in=[Stage.MERCHANT, Stage.DORMANT]).annotate(
        has_sales=_active_sales_exists(today)
    )
    to_wake = profiles.filter(stage=Stage.DORMANT, has_sales=True)
    to_sleep = profiles.filter(stage=Stage.MERCHANT, has_sales=False).exclude(
        stage_changed_at__gte=_grace_cutoff(today)
    )
    counts = {"merchant": 0, "dormant": 0}
    for user_id in list(to_wake.values_list("user_id", flat=True)) + list(to_sleep.values_list("user_id", flat=True)):
        changed = refresh_activity(user=_user(user_id), today=today)
        if changed:
            counts[changed] += 1
    return counts


def _user(user_id):
    from core.models import User

    return User.objects.get(pk=user_id)


# --- Reminders -----------------------------------------------------------------------------


def send_monthly_reminders(*, today: datetime.date | None = None) -> int:
    """Remind every shop owner who has not reported last month for all their shops. Safe to
    run twice: each reminder has a dedupe key per person and month. Returns how many were sent."""
    today = today or periods.today()
    month = periods.add_months(periods.month_start(today), -1)
    missing = (
        Shop.objects.filter(opened_on__lte=periods.month_end(month))
        .exclude(reports__month=month)
        .values_list("owner_id", flat=True)
        .distinct()
    )
    from core.models import User

    sent = 0
    deadline = editable_until(month)
    for owner in User.objects.filter(pk__in=list(missing), is_active=True):
        key = f"sales-reminder-{owner.pk}-{month:%Y-%m}"
        notify(
            recipient=owner,
            kind="sales-reminder",
            title=_("Please report last month's sales"),
            body=_("Report %(month)s for each of your shops by %(date)s.")
            % {"month": f"{month:%Y-%m}", "date": deadline.isoformat()},
            url=reverse("merchants:shops"),
            dedupe_key=key,
        )
        sent += 1
    return sent


# --- Graduation and certificates -----------------------------------------------------------


@dataclass
class GraduationResult:
    approved: list = field(default_factory=list)
    refused: list = field(default_factory=list)  # (profile, message)


@transaction.atomic
def approve_graduations(*, profiles, by, today: datetime.date | None = None) -> GraduationResult:
    """Graduate each eligible profile: stage `graduate` (then `merchant` with a shop), a
    certificate with a fresh code, its PDF made by a Celery task, a notification. Profiles
    that are not eligible are left alone, with the reason."""
    from . import selectors

    today = today or periods.today()
    recruitment_services, TraineeProfile = _stage_api()
    Stage = TraineeProfile.Stage
    profiles = list(profiles)
    result = GraduationResult()
    statuses = selectors.graduation_statuses(profiles=profiles)
    for profile in profiles:
        status = statuses[profile.pk]
        if profile.stage != Stage.TRAINEE:
            result.refused.append((profile, ERROR_ALREADY_GRADUATED % {"name": profile.user.display_name}))
            continue
        if not status.is_eligible:
            message = ERROR_NOT_ELIGIBLE % {"name": profile.user.display_name, "missing": "；".join(status.missing)}
            result.refused.append((profile, message))
            continue
        recruitment_services.change_stage(
            profile=profile, to=Stage.GRADUATE, by=by, note=str(_("Graduation approved."))
        )
        certificate = issue_certificate(profile=profile, by=by, today=today, course_titles=status.course_titles)
        promote_graduate_with_shop(user=profile.user, by=by)
        notify(
            recipient=profile.user,
            kind="graduated",
            title=_("Congratulations, you have graduated!"),
            body=_("Your certificate is ready to download in your area. Its code is %(code)s.")
            % {"code": certificate.code},
            url=reverse("merchants:my_certificates"),
        )
        result.approved.append(profile)
    return result


@transaction.atomic
def issue_certificate(*, profile, by=None, today: datetime.date | None = None, course_titles=None) -> Certificate:
    """Create a certificate for a graduate and enqueue its PDF once the transaction commits."""
    cohort = profile.cohort
    if course_titles is None:
        course_titles = [course.title for course in cohort.required_courses.all()] if cohort else []
    certificate = Certificate(
        holder=profile.user,
        cohort=cohort,
        holder_name=profile.user.real_name or profile.user.display_name,
        cohort_name=cohort.name if cohort else "",
        course_titles=list(course_titles),
        issued_on=today or periods.today(),
        issued_by=by,
    )
    certificate.full_clean(validate_constraints=False)
    certificate.save()
    transaction.on_commit(partial(_enqueue_certificate_pdf, certificate.pk))
    return certificate


def _enqueue_certificate_pdf(certificate_id: int) -> None:
    from .tasks import generate_certificate_pdf

    try:
        generate_certificate_pdf.delay(certificate_id)
    except Exception:  # the broker is down: the nightly task makes whatever PDF is missing
        logger.warning("Could not enqueue the PDF of certificate %s", certificate_id)


def make_certificate_pdf(*, certificate_id: int, force: bool = False) -> bool:
    """Render and store a certificate's PDF. Idempotent: does nothing when it exists (unless forced)."""
    from django.core.files.base import ContentFile

    from .pdf import render_certificate

    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().filter(pk=certificate_id).first()
        if certificate is None or (certificate.pdf and not force):
            return False
        content = render_certificate(certificate)
        old_name = certificate.pdf.name if certificate.pdf else ""
        certificate.pdf.save(f"{certificate.code}.pdf", ContentFile(content), save=False)
        certificate.save(update_fields=["pdf"])
    if old_name and old_name != certificate.pdf.name:
        certificate.pdf.storage.delete(old_name)
    return True


@transaction.atomic
def revoke_certificate(*, certificate: Certificate, by, reason: str) -> Certificate:
    """Revoke a certificate with a reason; the public page then says so."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ERROR_REVOKE_REASON})
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.is_revoked:
        raise ValidationError(ERROR_ALREADY_REVOKED)
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason[:300]
    certificate.revoked_by = by
    certificate.full_clean(validate_constraints=False)
    certificate.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
    notify(
        recipient=certificate.holder,
        kind="certificate-revoked",
        title=_("Your certificate has been revoked"),
        body=reason,
        url=reverse("merchants:my_certificates"),
    )
    return certificate


# --- Exports -------------------------------------------------------------------------------


@transaction.atomic
def request_export(*, kind: str, by, filters: dict | None = None) -> DashboardExport:
    """Queue a heavy CSV export; the file is built by a Celery task and offered when ready."""
    export = DashboardExport(kind=kind, requested_by=by, filters=filters or {})
    export.full_clean()
    export.save()
    transaction.on_commit(partial(_enqueue_export, export.pk))
    return export


def _enqueue_export(export_id: int) -> None:
    from .tasks import build_dashboard_export

    try:
        build_dashboard_export.delay(export_id)
    except Exception:
        logger.warning("Could not enqueue dashboard export %s", export_id)


def build_export(*, export_id: int) -> bool:
    """Write the CSV of an export. Idempotent: a finished export is left as it is."""
    from django.core.files.base import ContentFile

    from . import exports

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
            body=str(export),
            url=reverse("merchants_admin:exports"),
        )
    return export.status == DashboardExport.Status.READY
