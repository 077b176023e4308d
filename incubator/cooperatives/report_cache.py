"""The poverty-alleviation figures the dashboard and the report page show, cached per filter
(core/cache_families.py declares the family POVERTY_REPORT and the models that drop it)."""

from django.core.cache import cache

from core import cache_families
from core.cache_families import POVERTY_REPORT
from incubator.cooperatives.selectors import report as selectors
from incubator.merchants import periods


def poverty_report(*, year: int, township=None, targets) -> selectors.PovertyReport:
    key = (
        f"poverty-report:{cache_families.generation(POVERTY_REPORT)}:{year}:"
        f"{township.pk if township else ''}:{targets.pk}:{targets.cooperatives_per_township}"
    )
    return cache.get_or_set(
        key,
        lambda: selectors.poverty_report(
            year=year, township=township, cooperatives_per_township=targets.cooperatives_per_township
        ),
        POVERTY_REPORT.timeout,
    )


def poor_households_linked() -> int:
    today = periods.today()
    key = f"poverty-report:{cache_families.generation(POVERTY_REPORT)}:linked:{today.isoformat()}"
    return cache.get_or_set(key, lambda: selectors.poor_households_linked(day=today), POVERTY_REPORT.timeout)
