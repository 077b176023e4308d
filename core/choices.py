"""Choice lists of tables that change a few times a year (townships, villages, products,
campaigns, cohorts), kept in the cache per language so that a filter form does not read five
tables on every request.

`cached_choices(name, build, models=...)` stores `build()`'s list under the versions of the
models it reads; a save or delete of any row of a tracked model bumps that model's version
(`track` them in an app's `ready`), so the next request builds the list anew.
"""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

from core import cache_versions

TIMEOUT = 60 * 60
_tracked: set[str] = set()


def _version_key(model) -> str:
    return f"choices:version:{model._meta.label_lower}"


def track(*models) -> None:
    _tracked.update(model._meta.label_lower for model in models)


def _changed(sender, **kwargs):
    if sender._meta.label_lower in _tracked:
        cache_versions.bump(_version_key(sender))


def connect() -> None:
    post_save.connect(_changed, dispatch_uid="choices-saved")
    post_delete.connect(_changed, dispatch_uid="choices-deleted")


def cached_choices(name: str, build, *, models) -> list:
    versions = ".".join(str(cache_versions.current(_version_key(model))) for model in models)
    key = f"choices:{name}:{get_language()}:{versions}"
    return cache.get_or_set(key, lambda: [(value, str(label)) for value, label in build()], TIMEOUT)


def township_choices() -> list:
    from core.models import Township

    return cached_choices(
        "townships", lambda: ((t.pk, t) for t in Township.objects.order_by("code")), models=[Township]
    )


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

    return cached_choices(
        "townships:code", lambda: ((t.code, t) for t in Township.objects.order_by("code")), models=[Township]
    )
