"""The declaration of the cache families (core/cache_families.py) is the whole truth: every
declared model drops its families when saved, deleted or its relations change, the project's own
writes that send no signal are wrapped in `bulk_write`, and production needs a shared cache."""

import ast
import datetime
from pathlib import Path

import pytest

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

from core import cache_families
from core.cache_families import FAMILIES
from tests.support.production import run_manage

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ["core", "courses", "mentors", "incubator"]
BULK_METHODS = {"update", "bulk_create", "bulk_update", "execute", "executemany", "raw"}


def declared():
    for family in FAMILIES:
        for label in family.models:
            yield family, label, cache_families._resolve(label)


def blank(model):
    """An unsaved row whose dates are long past (a closed month, for the conditions that read it)."""
    instance = model()
    for field in model._meta.concrete_fields:
        if field.get_internal_type() == "DateField":
            setattr(instance, field.attname, datetime.date(2000, 1, 1))
    return instance


@pytest.mark.parametrize(
    ("family", "label", "model"), list(declared()), ids=[f"{f.name}:{label}" for f, label, _m in declared()]
)
def test_each_declared_model_drops_its_family(family, label, model):
    # The receivers are connected for every sender; they are called here as Django calls them
    # (other apps' receivers, the search index say, would choke on a row that was never saved).
    receivers = {
        signal: [r for r in signal._live_receivers(model)[0] if r.__module__ == "core.cache_families"]
        for signal in (post_save, post_delete, m2m_changed)
    }
    is_through = model._meta.auto_created
    before = cache_families.generation(family)
    key = f"test:{family.name}:{before}"
    cache.set(key, "old")
    if is_through:
        assert receivers[m2m_changed], f"{label}: nothing listens to its relations"
        for receiver in receivers[m2m_changed]:
            receiver(sender=model, instance=None, action="post_add", reverse=False, model=None, pk_set={1})
    else:
        assert receivers[post_save] and receivers[post_delete], f"{label}: nothing listens to its saves"
        for receiver in receivers[post_save]:
            receiver(sender=model, instance=blank(model), created=False, update_fields=None, raw=False)
    after_save = cache_families.generation(family)
    assert after_save != before, f"changing {label} does not drop {family.name}"
    assert cache.get(key) == "old" and cache.get(f"test:{family.name}:{after_save}") is None  # not served
    if not is_through:
        for receiver in receivers[post_delete]:
            receiver(sender=model, instance=blank(model))
        assert cache_families.generation(family) != after_save, f"deleting {label} does not drop {family.name}"


def test_a_real_save_and_a_sign_in_each_do_what_they_should(client):
    from tests.mentors.factories import MentorProfileFactory

    profile = MentorProfileFactory()
    before = cache_families.generation(cache_families.COUNTY_DASHBOARD)
    profile.capacity += 1
    profile.save()
    after = cache_families.generation(cache_families.COUNTY_DASHBOARD)
    assert after != before  # the mentor table reads the profiles
    mentor = profile.user
    mentor.last_login = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    mentor.save(update_fields=["last_login"])  # what a sign-in writes
    assert cache_families.generation(cache_families.COUNTY_DASHBOARD) == after


# --- writes that send no signal ----------------------------------------------------------------


def _model_names():
    from django.apps import apps

    return {model.__name__: model for model in apps.get_models()}


def _receiver_model(node, models):
    """The model named in `Model.objects....method(...)`, if the receiver says it."""
    while isinstance(node, (ast.Attribute, ast.Call, ast.Subscript)):
        if isinstance(node, ast.Attribute) and node.attr == "objects" and isinstance(node.value, ast.Name):
            return models.get(node.value.id)
        node = node.func if isinstance(node, ast.Call) else node.value
    return None


def _wrapped_models(stack):
    """The model names given to enclosing `with ...bulk_write(...)` blocks."""
    names = set()
    for node in stack:
        if isinstance(node, ast.With):
            for item in node.items:
                call = item.context_expr
                if (
                    isinstance(call, ast.Call)
                    and getattr(call.func, "attr", getattr(call.func, "id", "")) == "bulk_write"
                ):
                    names |= {arg.id for arg in call.args if isinstance(arg, ast.Name)}
    return names


def bulk_writes(source: str, models):
    """(line, method, model or None, wrapped model names) of every write that sends no signal."""
    found = []

    def visit(node, stack):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in BULK_METHODS:
            model = _receiver_model(node.func.value, models)
            method = node.func.attr
            looks_like_queryset = model is not None or method != "update" or not node.args
            if looks_like_queryset:
                found.append((node.lineno, method, model, _wrapped_models(stack), ast.unparse(node.func)[:80]))
        for child in ast.iter_child_nodes(node):
            visit(child, [*stack, node])

    visit(ast.parse(source), [])
    return found


# Writes without signals on models no family reads, whose receiver the scan cannot name: each
# checked by hand. A new one fails the test until it is wrapped or listed here with its reason.
NOT_CACHED = {
    ("core/views.py", "cursor.execute"): "the health check's SELECT 1",
    ("core/person.py", "cursor.execute"): "a SELECT: what a request asks about the person",
    ("core/cache_families.py", "cursor.execute"): "a SELECT: every family's token",
    ("core/rows.py", "cursor.execute"): "a SELECT: a queryset's, compiled once (CompiledQuery)",
    ("core/notifications.py", "qs.update"): "notifications: no family reads them (the badge is not cached)",
    ("core/roles.py", "wanted.setdefault(role, set()).update"): "a set",
    ("core/cache_families.py", "CacheGeneration.objects.filter(family=name).update"): "the generations themselves",
    ("incubator/recruitment/demo.py", "application.events.update"): "application events: no family reads them",
    ("courses/views.py", "found.update"): "a set",
    ("core/wagtail_hooks.py", "context.update"): "a template context",
    ("core/search/operations.py", "schema_editor.execute"): "a migration's DDL (the trigram indexes): no rows",
    ("incubator/merchants/tallies.py", "cursor.execute"): "the sales tallies' advisory lock: no rows",
    ("incubator/villages/selectors/stations.py", "cursor.execute"): "a SELECT: the stations' records (RECORDS_SQL)",
    ("incubator/villages/models/stations.py", "days.update"): "a station day's sums of its purchase "
    "lines: written only with a write of the lines, which drops every family that reads the days",
    ("incubator/merchants/tallies.py", "model.objects.bulk_create"): "the sales tallies: written only "
    "with a write of the reports, shops, categories or people, which drops the families reading them",
}


def test_every_write_that_sends_no_signal_drops_the_families_it_should():
    models = _model_names()
    problems = []
    for source in SOURCES:
        for path in sorted((ROOT / source).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative:
                continue
            for line, _method, model, wrapped, text in bulk_writes(path.read_text(), models):
                if model is None:
                    if (relative, text) not in NOT_CACHED and not wrapped:
                        problems.append(f"{relative}:{line} {text}: wrap it in cache_families.bulk_write(Model)")
                elif cache_families.families_for(model) and model.__name__ not in wrapped:
                    problems.append(f"{relative}:{line} {text}: {model.__name__} is cached; wrap it in bulk_write")
    assert problems == []


def test_the_scan_finds_an_unwrapped_bulk_write():
    models = _model_names()
    source = (
        "def f(reports):\n"
        "    SalesReport.objects.bulk_create(reports)\n"
        "    with cache_families.bulk_write(Shop):\n"
        "        Shop.objects.filter(pk=1).update(name='x')\n"
        "    context.update({'a': 1})\n"
    )
    writes = bulk_writes(source, models)
    assert [(line, model.__name__, wrapped) for line, _m, model, wrapped, _t in writes] == [
        (2, "SalesReport", set()),
        (4, "Shop", {"Shop"}),
    ]


def test_bulk_write_drops_the_families_after_the_write():
    from core.models import Township

    before = cache_families.generation(cache_families.CHOICES)
    with cache_families.bulk_write(Township):
        Township.objects.update(name_en="")
    assert cache_families.generation(cache_families.CHOICES) != before


# --- a shared cache in production ---------------------------------------------------------------


def test_production_refuses_to_start_without_a_shared_cache():
    result = run_manage("check", unset=("CACHE_URL",))
    assert result.returncode != 0
    assert "ImproperlyConfigured: CACHE_URL must name the shared Redis cache" in result.stderr
