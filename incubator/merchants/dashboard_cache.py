"""The county dashboard's figures, cached per filter (core/cache_families.py declares the
families, the models that drop them and their lifetimes: COUNTY_DASHBOARD, CLOSED_SALES).

Computing the dashboard at county scale aggregates hundreds of thousands of sales reports; the
office opens it far more often than the figures change. On a miss, the sales of months closed
for edits come from a second, longer-lived family: only the open months' reports are read, so a
miss costs about the same at any scale.
"""

import datetime

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core import cache_families
from core.cache_families import CLOSED_SALES, COUNTY_DASHBOARD, COUNTY_PEOPLE
from incubator.merchants import periods
from incubator.merchants.selectors import dashboard as selectors
from incubator.merchants.services.sales import REPORT_EDIT_DAYS


def is_closed_month_report(instance, **_kwargs) -> bool:
    """Whether a sales report saved or deleted belongs to a month closed for edits (CLOSED_SALES)."""
    return instance.month < closed_months_cutoff(periods.today())


def closed_months_cutoff(today: datetime.date) -> datetime.date:
    """The first month whose reports may still change: every earlier month is closed for edits."""
    return periods.month_start(today - datetime.timedelta(days=REPORT_EDIT_DAYS))


def kept(name: str, *, family, compute, filters=(), today=None):
    """Figures `compute()` makes from the tables of `family` alone (core/cache_families.py),
    kept per filter and day until one of those tables changes. The parts of the dashboard that
    a sales report does not change (its people, cohorts, mentors) are kept
    this way, so the dashboard's miss recomputes only what the change touched."""
    today = today or periods.today()
    parts = ":".join("" if part is None else str(getattr(part, "pk", part)) for part in filters)
    key = f"{name}:{cache_families.generation(family)}:{parts}:{today.isoformat()}"
    return cache.get_or_set(key, compute, family.timeout)


def county_figures(*, today) -> selectors.CountyFigures:
    """The dashboard's grouped figures. The sales of months closed for edits (all but the last
    one or two) are kept in the cache, so a miss reads only the open months' reports; when they
    are not cached, all reports are read in the same one query and the closed part is stored."""
    cutoff = closed_months_cutoff(today)
    key = f"county-sales-closed:{cache_families.generation(CLOSED_SALES)}:{cutoff.isoformat()}"
    closed = cache.get(key)
    if closed is None:
        sales = selectors.sales_by_township_and_month()
        cache.set(key, {k: v for k, v in sales.items() if k[1] < cutoff}, CLOSED_SALES.timeout)
    else:
        sales = {**closed, **selectors.sales_by_township_and_month(since=cutoff)}
    people = kept("county-people", family=COUNTY_PEOPLE, compute=selectors.CountyFigures.people_part, today=today)
    return selectors.CountyFigures(sales=sales, **people)


def cohorts(*, year=None, township=None):
    """The cohort completion table's rows (COUNTY_PEOPLE: a sales report does not move them)."""
    return kept(
        "county-cohorts",
        family=COUNTY_PEOPLE,
        filters=(year, township),
        compute=lambda: selectors.cohort_completion(year=year, township=township),
    )


def mentors(*, township=None):
    """The mentor load table's rows (COUNTY_PEOPLE)."""
    return kept(
        "county-mentors",
        family=COUNTY_PEOPLE,
        filters=(township,),
        compute=lambda: selectors.mentor_load(township=township),
    )


def county_dashboard(*, year=None, township=None, targets):
    today = periods.today()
    key = f"county-dashboard:{cache_families.generation(COUNTY_DASHBOARD)}:{year or ''}:{township.pk if township else ''}:{today.isoformat()}:{targets.pk}"
    return cache.get_or_set(
        key,
        lambda: selectors.county_dashboard(
            year=year,
            township=township,
            targets=targets,
            today=today,
            figures=county_figures(today=today),
        ),
        COUNTY_DASHBOARD.timeout,
    )


def rendered(*, name: str, year=None, township=None, extra: str = "", render, family=COUNTY_DASHBOARD) -> SafeString:
    """A part of the dashboard as HTML, rendered by `render()` once per change of what it reads
    (the COUNTY_DASHBOARD family, or the `family` a section declares it reads from alone),
    filter, day and language, and kept.

    Figures only: `render` is given no request, so nothing of the person reading it (their
    name, their CSRF token, their messages) can be in it; the page around it is rendered for
    them on every request.
    """
    today = periods.today()
    key = (
        f"county-html:{family.name}:{cache_families.generation(family)}:{name}:{year or ''}:"
        f"{township.pk if township else ''}:{today.isoformat()}:{extra}:{get_language()}"
    )
    return mark_safe(cache.get_or_set(key, lambda: str(render()), family.timeout))  # noqa: S308


SECTION_TEMPLATE = "merchants/admin/includes/rendered_section.html"


def section(*, name: str, template: str, compute, year=None, township=None, extra: str = "", family=COUNTY_DASHBOARD):
    """For an app above adding a section of counts and sums (nobody's own data, and only what
    core/cache_families.py declares for COUNTY_DASHBOARD, or for the `family` given when the
    section reads from that family's tables alone): its template rendered with
    `section=compute()` and kept as `rendered` keeps the dashboard's own figures. Returns the
    (template, context) pair the `register_county_dashboard_section` hook answers with."""
    html = rendered(
        name=name,
        year=year,
        township=township,
        extra=extra,
        family=family,
        render=lambda: render_to_string(template, {"section": compute()}),
    )
    return SECTION_TEMPLATE, {"html": html}


def dashboard_years(*, targets):
    """The years the filter offers. They start at the first reported month's year: when that month
    is closed for edits, only a closed month's report can move it (CLOSED_SALES), so the years are
    kept under that family and the dashboard's miss after a sales report does not read them again."""
    today = periods.today()
    cutoff = closed_months_cutoff(today)
    key = (
        f"county-years:{cache_families.generation(CLOSED_SALES)}:{cutoff.isoformat()}:{today.year}:"
        f"{targets.pk}:{targets.programme_start}"
    )
    years = cache.get(key)
    if years is None:
        first = selectors.first_reported_month()
        years = selectors.dashboard_years(targets=targets, today=today, first=first)
        if first is not None and first < cutoff:
            cache.set(key, years, CLOSED_SALES.timeout)
    return years


def summary(*, targets):
    today = periods.today()
    key = f"county-summary:{cache_families.generation(COUNTY_DASHBOARD)}:{today.isoformat()}:{targets.pk}"

    def compute():
        figures = county_figures(today=today)
        return {
            "kpis": selectors.county_kpis(targets=targets, today=today, figures=figures),
            "funnel": selectors.funnel(figures=figures),
        }

    return cache.get_or_set(key, compute, COUNTY_DASHBOARD.timeout)
