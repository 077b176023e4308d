"""Choice lists of tables that change a few times a year (townships, villages, products,
campaigns, cohorts), kept in the cache per language so that a filter form does not read five
tables on every request.

`cached_choices(name, build)` stores `build()`'s list under the generation of the CHOICES family
(core/cache_families.py declares the models it reads; a change of any drops every list).
"""

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import get_language

from core import cache_families
from core.cache_families import CHOICES


def cached_list(name: str, build, *, models=()) -> list:
    """`build()`'s list, cached. `models` (what `build` reads) must be declared in the CHOICES
    family, or a change of them would not drop the list."""
    undeclared = [m for m in models if CHOICES not in {family for family, _when in cache_families.families_for(m)}]
    if undeclared:
        raise ImproperlyConfigured(f"{name} reads {undeclared}: declare them in core.cache_families.CHOICES")
    key = f"choices:{cache_families.generation(CHOICES)}:{name}:{get_language()}"
    return cache.get_or_set(key, lambda: list(build()), CHOICES.timeout)


def cached_choices(name: str, build, *, models=()) -> list:
    """`build()`'s (value, label) pairs, cached (`cached_list`), each label translated now."""
    return cached_list(name, lambda: [(value, str(label)) for value, label in build()], models=models)


def townships() -> list:
    """The townships in the order of their codes: every list of the county's townships (the
    filters, the dashboard's tables, the poverty report) reads them from here, so a look that
    finds them gone from the cache reads the table once."""
    from core.models import Township

    return cached_list("township-rows", lambda: Township.objects.order_by("code"), models=[Township])


def township_choices() -> list:
    from core.models import Township

    return cached_choices("townships", lambda: ((t.pk, t) for t in townships()), models=[Township])


def village_choices() -> list:
    from core.models import Township, Village

    return cached_choices(
        "villages",
        lambda: ((v.pk, v) for v in Village.objects.select_related("township")),
        models=[Township, Village],
    )


def product_choices() -> list:
    from core.models import ProductCategory

    return cached_choices(
        "products", lambda: ((p.pk, p) for p in ProductCategory.objects.all()), models=[ProductCategory]
    )


def township_code_choices() -> list:
    """(code, name) of the townships: for filters whose addresses carry the township's code."""
    from core.models import Township

    return cached_choices("townships:code", lambda: ((t.code, t) for t in townships()), models=[Township])
