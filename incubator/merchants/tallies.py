"""The monthly sales kept as the reports are written (models/tallies.py), so that the county
dashboard and the villages' figures read a few hundred sums instead of every report of a month.

A tally is never adjusted by a difference: the rows a change touches are computed again from
the reports, by the same grouped queries that `rebuild` runs over everything, inside the
writing transaction and under one lock (PostgreSQL's advisory lock; SQLite writes one at a
time anyway). A writer that waits for the lock reads, once it has it, what the writer before it
committed, so two reports of the same village and month sent at once both count.

What moves which rows (wired in `connect`, called from MerchantsConfig.ready):

- a report saved or deleted: its village's and its shop's categories' rows of its month;
- a shop given another owner: the two owners' villages and the shop's categories, every month;
- a shop's categories changed: those categories (before and after), every month (a report's
  sales are shared among its shop's categories, so each share changes);
- a person's village changed (their trainee profile's or, without one, their account's): the
  two villages, every month;
- a village or category deleted, and every write that sends no signal
  (`cache_families.bulk_write` of one of these models): everything (`rebuild`).

A report's shop and month never change once it is written (no form or service offers them).
Fixtures loaded with `loaddata` send raw signals, which are left alone: run
`manage.py rebuild_sales_tallies` after loading reports that way.
"""

import sys
import zlib
from array import array
from decimal import Decimal

from django.apps import apps as installed_apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Aggregate, Count, DecimalField, F, Func, JSONField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from core import cache_families
from incubator.merchants.models import (
    AWAITING_VERIFICATION,
    CategoryMonthSales,
    SalesReport,
    Shop,
    VillageMonthSales,
)

ZERO = Decimal("0")
LOCK = zlib.crc32(b"merchants-sales-tallies")

# Where a report counts: its shop owner's trainee profile village, else the owner's own village.
REPORT_PLACE = ("shop__owner__trainee_profile__village", "shop__owner__village")


class DistinctIds(Aggregate):
    """The distinct values of a group as a JSON array (`jsonb_agg` on PostgreSQL,
    `json_group_array` on SQLite); no array when no row of the group passes the filter."""

    function = "JSONB_AGG"
    template = "%(function)s(DISTINCT %(expressions)s)"
    output_field = JSONField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra_context)


class Share(Func):
    """An amount divided by a count, as a decimal. SQLite keeps a whole amount (301.00) as the
    integer 301 and would divide it as one (150, not 150.50): there it is made a real first."""

    arg_joiner = " / "
    template = "(%(expressions)s)"
    output_field = DecimalField(max_digits=30, decimal_places=12)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, arg_joiner=" * 1.0 / ", **extra_context)


# --- the sellers' ids, packed ---------------------------------------------------------------------

ID_TYPE = "I"  # unsigned int: 32 bits on every platform CPython runs on
assert array(ID_TYPE).itemsize == 4


def pack_ids(ids) -> bytes:
    """Shop ids (ascending) as VillageMonthSales.sellers keeps them: unsigned 32-bit, little-endian."""
    packed = array(ID_TYPE, ids)
    if sys.byteorder == "big":
        packed.byteswap()
    return packed.tobytes()


def unpack_ids(packed) -> array:
    """The ids `pack_ids` packed (bytes or a memoryview, as the database driver hands them over)."""
    ids = array(ID_TYPE)
    ids.frombytes(packed or b"")
    if sys.byteorder == "big":
        ids.byteswap()
    return ids


# --- the sums, from the reports --------------------------------------------------------------------


def village_rows(reports, apps=installed_apps) -> list[VillageMonthSales]:
    """The village rows of `reports` (a SalesReport queryset), grouped by place and month: one
    query. Reports sent back count in neither sum; the sellers are the shops whose verified
    report sold something. (`apps`: a migration's models, for the migration that fills them.)"""
    verified = Q(status=SalesReport.Status.VERIFIED)
    awaiting = Q(status__in=AWAITING_VERIFICATION)
    rows = (
        reports.exclude(status=SalesReport.Status.SENT_BACK)
        .annotate(place=Coalesce(*REPORT_PLACE))
        .values("place", "month")
        .annotate(
            verified_sales=Sum("sales", filter=verified),
            verified_orders=Sum("orders", filter=verified),
            awaiting_sales=Sum("sales", filter=awaiting),
            awaiting_orders=Sum("orders", filter=awaiting),
            sellers=DistinctIds("shop_id", filter=verified & Q(sales__gt=0)),
        )
        .order_by()
    )
    tally = apps.get_model("merchants", "VillageMonthSales")
    return [
        tally(
            village_id=row["place"],
            month=row["month"],
            verified_sales=row["verified_sales"] or ZERO,
            verified_orders=row["verified_orders"] or 0,
            awaiting_sales=row["awaiting_sales"] or ZERO,
            awaiting_orders=row["awaiting_orders"] or 0,
            sellers=pack_ids(sorted(row["sellers"] or ())),
        )
        for row in rows
    ]


def category_rows(reports, apps=installed_apps) -> list[CategoryMonthSales]:
    """The category rows of the verified `reports`, grouped by category and month: one query, a
    report's sales shared evenly among its shop's categories."""
    categories = (
        apps.get_model("merchants", "Shop")
        .products.through.objects.filter(shop_id=OuterRef("shop_id"))
        .order_by()
        .values("shop_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    share = Share(F("sales"), Coalesce(Subquery(categories), 1))
    rows = (
        reports.filter(status=SalesReport.Status.VERIFIED)
        .values("shop__products", "month")
        .annotate(amount=Sum(share), merchants=Count("shop__owner", distinct=True, filter=Q(sales__gt=0)))
        .order_by()
        .values_list("shop__products", "month", "amount", "merchants")
    )
    tally = apps.get_model("merchants", "CategoryMonthSales")
    return [
        tally(category_id=category_id, month=month, sales=amount or ZERO, merchants=merchants)
        for category_id, month, amount, merchants in rows
    ]


# --- keeping them ------------------------------------------------------------------------------------


def _lock() -> None:
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK])


def _among(field: str, keys) -> Q:
    """`field` is one of `keys`, where a key None means empty."""
    ids = {key for key in keys if key is not None}
    found = Q(**{f"{field}__in": ids}) if ids else Q(pk__in=[])
    return found | Q(**{f"{field}__isnull": True}) if None in keys else found


def _people_in(places):
    return (
        get_user_model()
        .objects.annotate(place=Coalesce("trainee_profile__village", "village"))
        .filter(_among("place", places))
        .values("pk")
    )


def _shops_in(categories):
    return Shop.objects.filter(_among("products", categories)).values("pk")


def _retally(model, field: str, keys, months, *, reports_among, rows) -> None:
    """The rows of `model` whose `field` is one of `keys` and whose month is one of `months`
    (None: every one), computed again by `rows(reports)` from the reports `reports_among(keys)`
    finds."""
    with transaction.atomic():
        _lock()
        reports, stored = SalesReport.objects.all(), model.objects.all()
        if months is not None:
            reports, stored = reports.filter(month__in=months), stored.filter(month__in=months)
        if keys is not None:
            reports, stored = reports.filter(reports_among(keys)), stored.filter(_among(field, keys))
        fresh = rows(reports)
        if keys is not None:
            # The reports found can count for other keys too (a shop's other categories): only
            # the rows asked for are replaced.
            fresh = [row for row in fresh if getattr(row, f"{field}_id") in keys]
        stored.delete()
        model.objects.bulk_create(fresh)


def retally_places(places=None, months=None) -> None:
    """The village rows of `places` (village ids, None for no village) and `months`, computed
    again from the reports; None: every one."""
    _retally(
        VillageMonthSales,
        "village",
        places,
        months,
        reports_among=lambda keys: Q(shop__owner__in=_people_in(keys)),
        rows=village_rows,
    )


def retally_categories(categories=None, months=None) -> None:
    """The category rows of `categories` (ids, None for shops that name none) and `months`,
    computed again from the reports; None: every one."""
    _retally(
        CategoryMonthSales,
        "category",
        categories,
        months,
        reports_among=lambda keys: Q(shop__in=_shops_in(keys)),
        rows=category_rows,
    )


def rebuild(apps=installed_apps) -> None:
    """Every tally computed again from every report (a bulk load, `manage.py rebuild_sales_tallies`,
    the migration that made them, with its `apps`)."""
    reports = apps.get_model("merchants", "SalesReport").objects.all()
    with transaction.atomic():
        _lock()
        for model, rows in (
            (apps.get_model("merchants", "VillageMonthSales"), village_rows(reports, apps)),
            (apps.get_model("merchants", "CategoryMonthSales"), category_rows(reports, apps)),
        ):
            model.objects.all().delete()
            model.objects.bulk_create(rows, batch_size=2000)


# --- what moves them -----------------------------------------------------------------------------------


def _shop_keys(shop_ids) -> tuple[set, set]:
    """The places of the shops' owners and the shops' categories (None: a shop that names none)."""
    rows = (
        Shop.objects.filter(pk__in=shop_ids)
        .annotate(place=Coalesce("owner__trainee_profile__village", "owner__village"))
        .values_list("place", "products")
    )
    places, categories = set(), set()
    for place, category in rows:
        places.add(place)
        categories.add(category)
    return places, categories


def _retally_report(shop_id, month, keys=None) -> None:
    places, categories = keys or _shop_keys([shop_id])
    if places:
        retally_places(places, {month})
        retally_categories(categories, {month})


def _report_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _retally_report(instance.shop_id, instance.month)


def _report_deleting(sender, instance, **kwargs):
    # Before anything of a cascade is deleted (Django sends every pre_delete first): the shop,
    # its owner and its categories may be gone by the time the report is.
    instance._tally_keys = _shop_keys([instance.shop_id])


def _report_deleted(sender, instance, **kwargs):
    # With the keys of now too: in a person's deletion their profile may go before the report.
    places, categories = instance.__dict__.pop("_tally_keys", (set(), set()))
    now_places, now_categories = _shop_keys([instance.shop_id])
    _retally_report(instance.shop_id, instance.month, (places | now_places, categories | now_categories))


def _shop_saving(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.pk is None or (update_fields is not None and "owner" not in update_fields):
        return
    instance._tally_owner = Shop.objects.filter(pk=instance.pk).values_list("owner_id", flat=True).first()


def _shop_saved(sender, instance, raw=False, **kwargs):
    before = instance.__dict__.pop("_tally_owner", None)
    if raw or before is None or before == instance.owner_id:
        return
    owners = get_user_model().objects.filter(pk__in=[before, instance.owner_id])
    places = set(owners.annotate(place=Coalesce("trainee_profile__village", "village")).values_list("place", flat=True))
    retally_places(places)
    retally_categories(_shop_keys([instance.pk])[1])


def _categories_changing(sender, instance, action, reverse, pk_set=None, **kwargs):
    if pk_set is not None and not pk_set:
        return  # nothing was added or removed
    if reverse:  # from a category's side (the admin's rare path): every share may move
        if action.startswith("post_"):
            retally_categories()
        return
    if action.startswith("pre_"):
        instance._tally_categories = _shop_keys([instance.pk])[1]
    else:
        before = instance.__dict__.pop("_tally_categories", set())
        retally_categories(before | _shop_keys([instance.pk])[1])


def _person_place(user_id) -> set:
    return set(
        get_user_model()
        .objects.filter(pk=user_id)
        .annotate(place=Coalesce("trainee_profile__village", "village"))
        .values_list("place", flat=True)
    )


def _place_saving(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and not {"village", "village_id"} & set(update_fields)):
        return
    user_id = instance.pk if sender is get_user_model() else instance.user_id
    if user_id is not None:
        instance._tally_place = _person_place(user_id)


def _place_saved(sender, instance, raw=False, **kwargs):
    before = instance.__dict__.pop("_tally_place", None)
    if raw or before is None:
        return
    after = _person_place(instance.pk if sender is get_user_model() else instance.user_id)
    if after != before:
        retally_places(before | after)


def _profile_deleting(sender, instance, **kwargs):
    instance._tally_place = _person_place(instance.user_id)


def _profile_deleted(sender, instance, **kwargs):
    before = instance.__dict__.pop("_tally_place", set())
    after = _person_place(instance.user_id)
    if after and after != before:  # not when the person is being deleted with it
        retally_places(before | after)


def _everything(sender, **kwargs):
    rebuild()


_tracked: tuple = ()  # the models whose writes move the tallies (set by `connect`)


def _bulk_written(sender, models, **kwargs):
    if any(issubclass(model, _tracked) for model in models):
        rebuild()


def connect() -> None:
    from core.models import ProductCategory, Village
    from incubator.recruitment.models import TraineeProfile

    global _tracked
    user = get_user_model()
    _tracked = (SalesReport, Shop, Shop.products.through, TraineeProfile, user)
    post_save.connect(_report_saved, sender=SalesReport, dispatch_uid="tallies-report-saved")
    pre_delete.connect(_report_deleting, sender=SalesReport, dispatch_uid="tallies-report-deleting")
    post_delete.connect(_report_deleted, sender=SalesReport, dispatch_uid="tallies-report-deleted")
    pre_save.connect(_shop_saving, sender=Shop, dispatch_uid="tallies-shop-saving")
    post_save.connect(_shop_saved, sender=Shop, dispatch_uid="tallies-shop-saved")
    m2m_changed.connect(_categories_changing, sender=Shop.products.through, dispatch_uid="tallies-categories")
    for model in (user, TraineeProfile):
        pre_save.connect(_place_saving, sender=model, dispatch_uid=f"tallies-place-saving-{model.__name__}")
        post_save.connect(_place_saved, sender=model, dispatch_uid=f"tallies-place-saved-{model.__name__}")
    pre_delete.connect(_profile_deleting, sender=TraineeProfile, dispatch_uid="tallies-profile-deleting")
    post_delete.connect(_profile_deleted, sender=TraineeProfile, dispatch_uid="tallies-profile-deleted")
    for model in (Village, ProductCategory):
        post_delete.connect(_everything, sender=model, dispatch_uid=f"tallies-everything-{model.__name__}")
    cache_families.bulk_written.connect(_bulk_written, dispatch_uid="tallies-bulk-written")
