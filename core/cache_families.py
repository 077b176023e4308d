"""Every cache family of the site, declared once, and the one mechanism that drops them.

A family is a set of cached entries computed from some tables. Each entry's key carries the
family's *generation*, a random token kept in the database (`core.CacheGeneration`), not in the
cache. Any save, delete or many-to-many change of a declared model replaces the token with an
UPDATE inside the writing transaction, so:

- a reader in another transaction sees the old token until the data commits with the new one
  (it may store the old data, but only under the old token, which nobody reads after commit);
- a bump made while Redis is away is not lost, and entries stored before it are never served
  again when Redis returns; a token never repeats (random, not a counter that an eviction or a
  restore could reset);
- every process and machine sees the same generation, since it comes from PostgreSQL.

Readers read the generations of all families in one query, once per request. A cache that
cannot be read or written answers as a miss (core/cache.py), so the database decides.

No family holds authorization (roles, permissions, view restrictions, who mentors whom) or
personal data: those are read from the database on every request (docs/benchmarks.md, "Cache
families", for what that costs). The public page cache holds only what anonymous visitors may
see, so a new view restriction, an unpublished or moved page drops it.

Models are named by label ("app_label.Model", or "app_label.Model.field" for a many-to-many
field's through table), so core imports nothing of the higher apps. Writes that send no signal
(`QuerySet.update`, `bulk_create`, `bulk_update`, raw SQL) must run inside
`with cache_families.bulk_write(Model, ...)`; tests/core/test_cache_families.py finds every such
write in the code and fails when one on a declared model is not wrapped.
"""

import contextlib
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache as memoize

from django.apps import apps
from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal
from django.utils.module_loading import import_string


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one object per family
class Family:
    name: str
    key: str  # the shape of its entries' keys, for the reader of this file
    timeout: int  # seconds an entry lives at most
    models: tuple[str, ...]
    # Only some changes of a model drop the family: label -> predicate(instance, **signal kwargs),
    # or the dotted path of one in a higher app (core imports nothing of theirs).
    only_when: dict[str, Callable | str] = field(default_factory=dict)


def _place_may_have_changed(instance, update_fields=None, **kwargs) -> bool:
    return update_fields is None or "village" in update_fields or "village_id" in update_fields


def _not_a_first_load(instance, created=False, **kwargs) -> bool:
    # A settings row created by its first `load()` holds the defaults that were read before it.
    return not created


def _name_may_have_changed(instance, update_fields=None, **kwargs) -> bool:
    # A sign-in saves last_login only: that must not drop the dashboard on every login.
    # (What a name shown falls back to, too: `User.get_full_name`.)
    return update_fields is None or bool(
        {"real_name", "last_name", "email", "phone", "is_active", "village"} & set(update_fields)
    )


PUBLIC_PAGES = Family(
    name="public-pages",
    key="public-pages:<generation>:<sha256 of host|path+query|language>",
    timeout=60,  # the default of settings.PUBLIC_PAGE_CACHE_SECONDS, which the middleware uses
    models=(
        # Any page (each page type saves as its own model; subclasses count), who may see it,
        # and what public pages show: certificates (verification), shops (the directory),
        # cooperatives (home figures), applications (places remaining on a campaign).
        "wagtailcore.Page",
        "wagtailcore.PageViewRestriction",
        "wagtailcore.PageViewRestriction.groups",
        "wagtailcore.CollectionViewRestriction",
        "wagtailcore.CollectionViewRestriction.groups",
        "merchants.Certificate",
        "merchants.Shop",
        "merchants.Cooperative",
        "recruitment.Application",
    ),
)

CHOICES = Family(
    name="choices",
    key="choices:<generation>:<list name>:<language>",
    timeout=60 * 60,
    models=(
        "core.Township",
        "core.Village",
        "core.ProductCategory",
        "recruitment.Cohort",
        "recruitment.RecruitmentCampaignPage",
    ),
)

COUNTY_DASHBOARD = Family(
    name="county-dashboard",
    key="county-dashboard|county-summary|county-html:county-dashboard:<generation>:<filters>:<day>:<targets>",
    timeout=5 * 60,
    # Everything incubator.merchants.selectors.county_dashboard, county_kpis and funnel read: the mentor table reads mentor profiles, their townships, their
    # assignments and their names. And the villages' section (counts and sums, no one's own
    # data): its stations, campaigns, targets and products. (The pavilion's section is kept
    # under PAVILION_FIGURES, the poverty section under POVERTY_REPORT: no sales report drops them.)
    models=(
        "merchants.SalesReport",
        "merchants.Shop",
        "merchants.Certificate",
        "merchants.Cooperative",
        "merchants.CountyTargets",
        # The township table's poor households linked come from the household register.
        "cooperatives.Household",
        "cooperatives.Membership",
        "recruitment.TraineeProfile",
        "recruitment.Application",
        "recruitment.Cohort",
        "mentors.MentorAssignment",
        "mentors.MentorProfile",
        "mentors.MentorProfile.townships",
        "core.Township",
        "core.Village",
        "core.User",
        "core.ProductCategory",
        "merchants.Shop.products",
        "villages.VillageTargets",
        "villages.VillageHouseholds",
        "villages.Station",
        "villages.StationDay",
        "villages.StationPurchase",
        "villages.SalesCampaign",
        "villages.CampaignDayFigure",
    ),
    only_when={
        "core.User": _name_may_have_changed,
        "villages.VillageTargets": _not_a_first_load,
    },
)

CLOSED_SALES = Family(
    name="county-sales-closed",
    key="county-sales-closed|villages-villages-closed|villages-categories-closed|county-years:<generation>:<months>",
    timeout=60 * 60,
    # The sales of months closed for edits, by township (the dashboard), by village and shop and by
    # product category (the villages' section), and the years of the dashboard's filter when the
    # first reported month is a closed one: a closed month's report corrected by the office,
    # who sold where (a shop, a village, a person's village) or what a shop sells.
    # (These figures are read from the monthly sums incubator/merchants/tallies.py keeps, which
    # change only with a write of the models below: the sums need no entry of their own.)
    models=(
        "merchants.SalesReport",
        "merchants.Shop",
        "merchants.Shop.products",
        "core.Village",
        "core.Township",
        "recruitment.TraineeProfile",
        "core.User",
    ),
    only_when={
        "merchants.SalesReport": "incubator.merchants.dashboard_cache.is_closed_month_report",
        "recruitment.TraineeProfile": _place_may_have_changed,
        "core.User": _place_may_have_changed,
    },
)

# The county dashboard's figures that a sales report does not change, each kept under its own
# narrower family: the dashboard's miss (COUNTY_DASHBOARD, dropped by every sales report) then
# recomputes only the sales and reads these from the cache. Counts, sums and the names the
# dashboard shows anyway (mentors, villages): nobody's own data, no authorization.

COUNTY_PEOPLE = Family(
    name="county-people",
    key="county-people|county-cohorts|county-mentors|county-html:county-people (the cohort and mentor tables):<generation>:<filters>:<day>",
    timeout=60 * 60,
    # What incubator.merchants.selectors.dashboard person_figures, cohort_completion, mentor_load
    # and the cooperatives' counts read: the profiles (stage, cohort, village), applications,
    # cohorts, the person's village and name, mentors with their townships and assignments, the
    # cooperatives with their members and the register's poor households, the places.
    models=(
        "recruitment.TraineeProfile",
        "recruitment.Application",
        "recruitment.Cohort",
        "mentors.MentorAssignment",
        "mentors.MentorProfile",
        "mentors.MentorProfile.townships",
        "merchants.Cooperative",
        "cooperatives.Household",
        "cooperatives.Membership",
        "core.Township",
        "core.Village",
        "core.User",
    ),
    only_when={"core.User": _name_may_have_changed},
)

VILLAGE_FIGURES = Family(
    name="village-figures",
    key="county-html:village-figures (the county dashboard's section of the stations and campaigns):<generation>:<day>",
    timeout=60 * 60,
    # What incubator.villages.selectors.stations.records and campaigns.recent_campaigns read: the
    # stations with their days and purchases, the villages and townships they are in, the
    # campaigns with their day figures and products.
    models=(
        "villages.Station",
        "villages.StationDay",
        "villages.StationPurchase",
        "villages.SalesCampaign",
        "villages.CampaignDayFigure",
        "core.Village",
        "core.Township",
        "core.ProductCategory",
    ),
)

POVERTY_REPORT = Family(
    name="poverty-report",
    key="poverty-report|county-html:poverty-report (its dashboard section):<generation>:<year>:<township>:<targets>",
    timeout=5 * 60,
    # Everything incubator.cooperatives.selectors.report reads: the register (poor or not, since
    # when), memberships, the ledger's payments and their corrections, the cooperatives (their
    # townships, leaders' names), the townships and the targets. Counts and sums only: no
    # household's own data is cached.
    models=(
        "cooperatives.Household",
        "cooperatives.Membership",
        "cooperatives.Purchase",
        "cooperatives.DividendDeclaration",
        "cooperatives.DividendPayment",
        "merchants.Cooperative",
        "merchants.CountyTargets",
        "core.Township",
        "core.User",
    ),
    only_when={"core.User": _name_may_have_changed},
)

PAVILION_FIGURES = Family(
    name="pavilion-figures",
    key="county-html:pavilion-figures (its dashboard section):<generation>:<day>:<language>",
    timeout=60 * 60,
    # What the pavilion's section of the county dashboard reads (incubator/pavilion/wagtail_hooks.py):
    # the product pages live, the proposals awaiting review and the target. Counts only.
    models=(
        "pavilion.PavilionTargets",
        "pavilion.ProductProposal",
        "pavilion.PavilionProductPage",
    ),
    only_when={"pavilion.PavilionTargets": _not_a_first_load},
)

FAMILIES = (
    PUBLIC_PAGES,
    CHOICES,
    COUNTY_DASHBOARD,
    CLOSED_SALES,
    COUNTY_PEOPLE,
    VILLAGE_FIGURES,
    POVERTY_REPORT,
    PAVILION_FIGURES,
)


# --- which families a model drops --------------------------------------------------------------


def _resolve(label: str):
    """A model class for "app.Model", or the through model for "app.Model.field"."""
    app_label, model_name, *field_name = label.split(".")
    model = apps.get_model(app_label, model_name)
    return model._meta.get_field(field_name[0]).remote_field.through if field_name else model


def _condition(family: Family, label: str) -> Callable | None:
    when = family.only_when.get(label)
    return import_string(when) if isinstance(when, str) else when


@memoize
def _declared() -> tuple[tuple[type, Family, Callable | None], ...]:
    return tuple((_resolve(label), family, _condition(family, label)) for family in FAMILIES for label in family.models)


@memoize
def families_for(model) -> tuple[tuple[Family, Callable | None], ...]:
    """The families a save or delete of `model` (a class) drops, with their conditions."""
    return tuple((family, when) for declared, family, when in _declared() if issubclass(model, declared))


def declared_models() -> set[type]:
    return {declared for declared, _family, _when in _declared()}


# --- generations -------------------------------------------------------------------------------

_request = threading.local()


def _new_token() -> str:
    return secrets.token_hex(16)


def _forget_generations() -> None:
    _request.tokens = None


def _request_started(**_kwargs) -> None:
    _request.active = True
    _request.tokens = None


def _request_finished(**_kwargs) -> None:
    _request.active = False
    _request.tokens = None


@memoize
def _tokens_sql(alias: str) -> tuple[str, tuple]:
    """Every family's token: read on every request that touches a cache (a page from the public
    page cache among them), so its SQL is built once per process, not by the ORM each time."""
    from core.models import CacheGeneration

    return CacheGeneration.objects.values_list("family", "token").order_by().query.get_compiler(alias).as_sql()


def _read_tokens() -> dict:
    sql, params = _tokens_sql(DEFAULT_DB_ALIAS)
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def generation(family: Family) -> str:
    """The family's current generation: put it in every key of the family's entries.

    All families' generations are read in one query, kept for the rest of the request (or until
    this process bumps one); outside a request every call reads them anew."""
    from core.models import CacheGeneration

    tokens = getattr(_request, "tokens", None)
    if tokens is None or family.name not in tokens:
        tokens = _read_tokens()
        if family.name not in tokens:  # a new database: every family's row, once
            CacheGeneration.objects.bulk_create(
                [CacheGeneration(family=f.name, token=_new_token()) for f in FAMILIES if f.name not in tokens],
                ignore_conflicts=True,
            )
            tokens = _read_tokens()
        if getattr(_request, "active", False):
            _request.tokens = tokens
    return tokens[family.name]


def bump(*families: Family) -> None:
    """Give the families new generations, inside the current transaction (so they commit with it)."""
    from core.models import CacheGeneration

    names = sorted({family.name for family in families})
    if not names:
        return
    with transaction.atomic():
        # Lock every family's row in one order before changing any: two transactions that drop
        # different families in different orders wait for each other instead of deadlocking.
        present = set(CacheGeneration.objects.select_for_update().order_by("family").values_list("family", flat=True))
        missing = [CacheGeneration(family=f.name, token=_new_token()) for f in FAMILIES if f.name not in present]
        if missing:
            CacheGeneration.objects.bulk_create(missing, ignore_conflicts=True)
        for name in names:
            CacheGeneration.objects.filter(family=name).update(token=_new_token())
    _forget_generations()


# Sent by `changed` with `models`, after a write that sent no signal: what keeps figures of its
# own from those tables (incubator/merchants/tallies.py) computes them again.
bulk_written = Signal()


def changed(*models) -> None:
    """Drop every family that reads these models (after a write that sent no signal)."""
    bump(*(family for model in models for family, _when in families_for(model)))
    bulk_written.send(sender=None, models=models)


@contextlib.contextmanager
def bulk_write(*models):
    """Wrap a write that sends no signal (update, bulk_create, bulk_update, raw SQL) on `models`."""
    yield
    changed(*models)


# --- the one place that wires invalidation -------------------------------------------------------


def _saved_or_deleted(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return  # fixtures being loaded: nothing is cached from them yet
    bump(*(family for family, when in families_for(sender) if when is None or when(instance, **kwargs)))


def _relations_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        bump(*(family for family, _when in families_for(sender)))


def _page_event(sender, instance, **kwargs):
    # Publishing, unpublishing and moving save the page too; these cover Wagtail's own updates
    # of descendants (their url paths after a move) that send no signal of their own.
    bump(*(family for family, _when in families_for(type(instance))))


def connect() -> None:
    """Called once, from CoreConfig.ready: every declared model drops its families."""
    from wagtail.signals import page_published, page_unpublished, post_page_move

    _declared()  # every label must name a model or a many-to-many field: fail at start-up
    post_save.connect(_saved_or_deleted, dispatch_uid="cache-families-save")
    post_delete.connect(_saved_or_deleted, dispatch_uid="cache-families-delete")
    m2m_changed.connect(_relations_changed, dispatch_uid="cache-families-m2m")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_page_event, dispatch_uid=f"cache-families-{id(signal)}")
    request_started.connect(_request_started, dispatch_uid="cache-families-request-started")
    request_finished.connect(_request_finished, dispatch_uid="cache-families-request-finished")
