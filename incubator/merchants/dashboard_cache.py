"""The county dashboard's figures, cached per filter and dropped whenever a row they count changes.

Computing the dashboard at county scale aggregates hundreds of thousands of sales reports; the
office opens it far more often than the figures change. Saves and deletes of the rows it counts
bump one version number, so a cached copy is never older than the last change (bulk loads that
bypass signals are covered by the five-minute expiry).

On a miss, the sales of months closed for edits come from a second, longer-lived cache (an
hour; dropped by any change to a closed month's report, a shop, a village or a person's
village): only the open months' reports are read, so a miss costs about the same at any scale.
"""

import datetime

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from core import cache_versions
from incubator.merchants import periods, selectors, services

VERSION_KEY = "county-dashboard:version"
SECONDS = 300
# The sales of closed months: dropped when a report of a closed month is saved or deleted (the
# office corrects one in the admin) or when who sold where changes (a shop, a person's village).
CLOSED_VERSION_KEY = "county-sales-closed:version"
CLOSED_SECONDS = 60 * 60


def invalidate_closed_months(**_kwargs) -> None:
    cache_versions.bump(CLOSED_VERSION_KEY)


def _report_changed(sender, instance, **kwargs):
    if instance.month < closed_months_cutoff(periods.today()):
        invalidate_closed_months()


def _place_may_have_changed(sender, update_fields=None, **kwargs):
    if update_fields is None or "village" in update_fields:
        invalidate_closed_months()


def invalidate(**_kwargs) -> None:
    cache_versions.bump(VERSION_KEY)


def closed_months_cutoff(today: datetime.date) -> datetime.date:
    """The first month whose reports may still change: every earlier month is closed for edits."""
    return periods.month_start(today - datetime.timedelta(days=services.REPORT_EDIT_DAYS))


def county_figures(*, today) -> selectors.CountyFigures:
    """The dashboard's grouped figures. The sales of months closed for edits (all but the last
    one or two) are kept in the cache, so a miss reads only the open months' reports; when they
    are not cached, all reports are read in the same one query and the closed part is stored."""
    cutoff = closed_months_cutoff(today)
    key = f"county-sales-closed:{cache_versions.current(CLOSED_VERSION_KEY)}:{cutoff.isoformat()}"
    closed = cache.get(key)
    if closed is None:
        sales = selectors.sales_by_township_and_month()
        cache.set(key, {k: v for k, v in sales.items() if k[1] < cutoff}, CLOSED_SECONDS)
    else:
        sales = {**closed, **selectors.sales_by_township_and_month(since=cutoff)}
    return selectors.CountyFigures.load(sales=sales)


def county_dashboard(*, year=None, township=None, targets):
    today = periods.today()
    key = f"county-dashboard:{cache_versions.current(VERSION_KEY)}:{year or ''}:{township.pk if township else ''}:{today.isoformat()}:{targets.pk}"
    return cache.get_or_set(
        key,
        lambda: selectors.county_dashboard(
            year=year, township=township, targets=targets, today=today, figures=county_figures(today=today)
        ),
        SECONDS,
    )


def dashboard_years(*, targets):
    today = periods.today()
    key = f"county-years:{cache_versions.current(VERSION_KEY)}:{today.year}:{targets.pk}:{targets.programme_start}"
    return cache.get_or_set(key, lambda: selectors.dashboard_years(targets=targets, today=today), SECONDS)


def summary(*, targets):
    today = periods.today()
    key = f"county-summary:{cache_versions.current(VERSION_KEY)}:{today.isoformat()}:{targets.pk}"

    def compute():
        figures = county_figures(today=today)
        return {
            "kpis": selectors.county_kpis(targets=targets, today=today, figures=figures),
            "funnel": selectors.funnel(figures=figures),
        }

    return cache.get_or_set(key, compute, SECONDS)


def connect() -> None:
    from django.contrib.auth import get_user_model

    from core.models import Township, Village
    from incubator.merchants.models import Certificate, Cooperative, CountyTargets, SalesReport, Shop
    from incubator.recruitment.models import Application, Cohort, TraineeProfile
    from mentors.models import MentorAssignment

    for model in (
        SalesReport,
        Shop,
        Certificate,
        Cooperative,
        CountyTargets,
        TraineeProfile,
        Application,
        Cohort,
        MentorAssignment,
    ):
        post_save.connect(invalidate, sender=model, dispatch_uid=f"dashboard-save-{model.__name__}")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"dashboard-delete-{model.__name__}")

    # Closed months' sales: their reports, the shops they belong to, and where each owner lives.
    for signal in (post_save, post_delete):
        signal.connect(_report_changed, sender=SalesReport, dispatch_uid=f"closed-sales-report-{signal}")
        for model in (Shop, Village, Township):
            signal.connect(
                invalidate_closed_months, sender=model, dispatch_uid=f"closed-sales-{model.__name__}-{signal}"
            )
    for model in (TraineeProfile, get_user_model()):
        post_save.connect(_place_may_have_changed, sender=model, dispatch_uid=f"closed-sales-place-{model.__name__}")
