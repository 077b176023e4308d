"""The county dashboard's figures, cached per filter and dropped whenever a row they count changes.

Computing the dashboard at county scale aggregates hundreds of thousands of sales reports; the
office opens it far more often than the figures change. Saves and deletes of the rows it counts
bump one version number, so a cached copy is never older than the last change (bulk loads that
bypass signals are covered by the five-minute expiry).
"""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from core import cache_versions
from incubator.merchants import periods, selectors

VERSION_KEY = "county-dashboard:version"
SECONDS = 300


def invalidate(**_kwargs) -> None:
    cache_versions.bump(VERSION_KEY)


def county_dashboard(*, year=None, township=None, targets):
    today = periods.today()
    key = f"county-dashboard:{cache_versions.current(VERSION_KEY)}:{year or ''}:{township.pk if township else ''}:{today.isoformat()}:{targets.pk}"
    data = cache.get(key)
    if data is None:
        data = selectors.county_dashboard(year=year, township=township, targets=targets, today=today)
        cache.set(key, data, SECONDS)
    return data


def dashboard_years(*, targets):
    today = periods.today()
    key = f"county-years:{cache_versions.current(VERSION_KEY)}:{today.year}:{targets.pk}:{targets.programme_start}"
    years = cache.get(key)
    if years is None:
        years = selectors.dashboard_years(targets=targets, today=today)
        cache.set(key, years, SECONDS)
    return years


def summary(*, targets):
    today = periods.today()
    key = f"county-summary:{cache_versions.current(VERSION_KEY)}:{today.isoformat()}:{targets.pk}"
    data = cache.get(key)
    if data is None:
        data = {"kpis": selectors.county_kpis(targets=targets, today=today), "funnel": selectors.funnel()}
        cache.set(key, data, SECONDS)
    return data


def connect() -> None:
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
