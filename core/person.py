"""What a request asks about the signed-in person, read from the database in one query.

Their roles (the navigation and every role check), their unread notifications (the header's
badge), whether they have a second factor (the office's door to the admin) and their Django
permissions (the admin): five small queries, asked by different layers of one request. They
are one query (its SQL built once per process), made the first time any of them is asked, and
kept on the user object for the rest of that request only. Nothing here is cached between requests: a role or
a permission taken away is refused on the very next request, on every process, Redis or no
Redis (docs/benchmarks.md, "Cache families"). A fact forgotten after a change in the request
(a role given, notifications read) is read again on its own.
"""

import posixpath

from allauth.mfa.models import Authenticator

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Concat, JSONObject

from core.rows import CompiledQuery, JSONRows, instance_from_json, json_fields

ATTRIBUTE = "_person_facts"
# The second factors that count (recovery codes only back one of these up).
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)

ROLE_NAMES = "role_names"
UNREAD = "unread_notifications"
SECOND_FACTOR = "has_second_factor"
USER_PERMISSIONS = "user_permissions"
GROUP_PERMISSIONS = "group_permissions"


def _unread(user):
    from core.models import Notification

    return Notification.objects.unread().filter(recipient=user.pk)


def _permission_names(permissions):
    return permissions.annotate(dotted=Concat(F("content_type__app_label"), Value("."), F("codename"))).values_list(
        "dotted", flat=True
    )


def _user_permissions(user):
    return _permission_names(Permission.objects.filter(user=user.pk))


def _group_permissions(user):
    return _permission_names(Permission.objects.filter(group__user=user.pk))


# Each fact alone: its own query (a fact forgotten after a change in the request).
_ONE = {
    ROLE_NAMES: lambda user: frozenset(Group.objects.filter(user=user.pk).values_list("name", flat=True)),
    UNREAD: lambda user: _unread(user).count(),
    SECOND_FACTOR: lambda user: Authenticator.objects.filter(user=user.pk, type__in=SECOND_FACTORS).exists(),
    USER_PERMISSIONS: lambda user: frozenset(_user_permissions(user)),
    GROUP_PERMISSIONS: lambda user: frozenset(_group_permissions(user)),
}


# Stands for the person's id while the one query's SQL is built (once per process).
_SOMEONE = -7_700_017


def _fact_columns(person) -> list:
    """The facts of the person `person` (an OuterRef to their row) as columns of one query, in
    the order `_facts_from` reads them: roles, unread count, second factor, both permission sets."""
    from core.models import Notification

    unread = (
        Notification.objects.unread()
        .filter(recipient=person)
        .order_by()
        .values("recipient")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return [
        JSONRows(Group.objects.filter(user=person).values("name")),
        Coalesce(Subquery(unread[:1]), 0),
        Exists(Authenticator.objects.filter(user=person, type__in=SECOND_FACTORS)),
        JSONRows(_permission_names(Permission.objects.filter(user=person))),
        JSONRows(_permission_names(Permission.objects.filter(group__user=person))),
    ]


def _person_query(user_id, *, facts: bool, admin: bool):
    """The person's facts (`facts`) and the rows of what Wagtail's admin asks (`admin`), as one
    row of one query."""
    from core.models import User

    person = OuterRef("pk")
    columns = (*(_fact_columns(person) if facts else ()), *(_admin_columns(person) if admin else ()))
    return User.objects.filter(pk=user_id).values_list(*columns).order_by()


# Built once per process (core/rows.py): they run on every signed-in request, and building the
# subqueries cost more than running them. By (facts, admin).
_PERSON_QUERIES = {
    kinds: CompiledQuery(lambda user_id, kinds=kinds: _person_query(user_id, facts=kinds[0], admin=kinds[1]), _SOMEONE)
    for kinds in ((True, False), (True, True), (False, True))
}


def _row(user, *, facts: bool = True, admin: bool = False) -> tuple | None:
    rows = _PERSON_QUERIES[facts, admin](user.pk, using=user._state.db or "default")
    return rows[0] if rows else None


def _facts_from(roles, unread_count, second_factor, user_permissions, group_permissions) -> dict:
    return {
        ROLE_NAMES: frozenset(roles),
        UNREAD: int(unread_count),
        SECOND_FACTOR: bool(second_factor),
        USER_PERMISSIONS: frozenset(user_permissions),
        GROUP_PERMISSIONS: frozenset(group_permissions),
    }


def _all_in_one_query(user, admin: bool = False) -> dict:
    values = _row(user, admin=admin)
    if values is None:  # the person was deleted while signed in: nothing to grant
        return {ROLE_NAMES: frozenset(), UNREAD: 0, SECOND_FACTOR: False}
    facts, admin_rows = values[:FACT_COUNT], values[FACT_COUNT:]
    return {**_facts_from(*facts), **(_admin_facts(*admin_rows) if admin_rows else {})}


# --- The signed-in person's own row with their facts, in one query ------------------------------
#
# Every signed-in request reads the person's row (Django's `get_user`, from the session) and,
# soon after, their facts: two queries. The authentication backends' `get_user`
# (core/backends.py) reads both at once, the row with the facts' columns beside it, its SQL built
# once per process (core.rows.CompiledQuery). Django then checks the session against the row as
# it always does. The facts live on that user object, for that request only. (What Wagtail's
# admin asks is read apart, on admin pages only: PostgreSQL plans its subqueries afresh on every
# request, 0.7 ms, which every other page would pay for nothing.)

FACT_COUNT = 5
_FACT_NAMES = tuple(f"_person_fact_{n}" for n in range(FACT_COUNT))


def _signed_in_query(user_id):
    from core.models import User

    columns = dict(zip(_FACT_NAMES, _fact_columns(OuterRef("pk")), strict=True))
    return User.objects.filter(pk=user_id).annotate(**columns)


_SIGNED_IN = CompiledQuery(_signed_in_query, _SOMEONE)


def signed_in(user_id, using: str = "default"):
    """The person `user_id` names (as a session keeps it), their facts read with their row; None
    when there is no such person."""
    from core.models import User

    try:
        user_id = User._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    found = _SIGNED_IN(user_id, using=using)
    if not found:
        return None
    (user,) = found
    setattr(user, ATTRIBUTE, _facts_from(*(user.__dict__.pop(name) for name in _FACT_NAMES)))
    return user


# --- What Wagtail's admin asks of the person on every admin page ---------------------------------
#
# Before its own work, every admin page reads the person's Wagtail profile (language, time zone,
# theme), their groups' page permissions (the explorer, the menu, every page action) and
# collection permissions (images, documents), and the explorer's root page from those: four
# queries of Wagtail's own. On admin pages they come with the person's facts in the same one
# query, and are handed to Wagtail where it keeps them for the request (the user profile as the
# user's related object, the permissions under the permission policies' per-request attributes).
# Like the facts, they live on the user object for that request only.

PROFILE = "wagtail_profile"
PAGE_PERMISSIONS = "page_permissions"
COLLECTION_PERMISSIONS = "collection_permissions"


def _admin_columns(person):
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page
    from wagtail.users.models import UserProfile

    def rows(queryset, model, related):
        fields = json_fields(model)
        for name, related_model in related.items():
            fields.update(json_fields(related_model, f"{name}__"))
        return JSONRows(queryset.order_by("pk").values(row=JSONObject(**fields)))

    return (
        rows(UserProfile.objects.filter(user=person), UserProfile, {}),
        rows(
            GroupPagePermission.objects.filter(group__user=person),
            GroupPagePermission,
            {"page": Page, "permission": Permission},
        ),
        rows(
            GroupCollectionPermission.objects.filter(group__user=person),
            GroupCollectionPermission,
            {"collection": Collection, "permission": Permission},
        ),
    )


def _admin_facts(profile_rows, page_rows, collection_rows) -> dict:
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page
    from wagtail.users.models import UserProfile

    def permission(model, row, related, related_model):
        instance = instance_from_json(model, row)
        setattr(instance, related, instance_from_json(related_model, row, f"{related}__"))
        instance.permission = instance_from_json(Permission, row, "permission__")
        return instance

    return {
        PROFILE: instance_from_json(UserProfile, profile_rows[0]) if profile_rows else None,
        PAGE_PERMISSIONS: [permission(GroupPagePermission, row, "page", Page) for row in page_rows],
        COLLECTION_PERMISSIONS: [
            permission(GroupCollectionPermission, row, "collection", Collection) for row in collection_rows
        ],
    }


def _hand_to_wagtail(user, facts: dict) -> None:
    """Where Wagtail looks first for what it would otherwise read itself, for this request."""
    from wagtail.permission_policies.collections import CollectionPermissionLookupMixin
    from wagtail.permission_policies.pages import PagePermissionPolicy
    from wagtail.users.models import UserProfile

    from core.models import User

    profile = facts[PROFILE]
    User._meta.get_field("wagtail_userprofile").set_cached_value(user, profile)
    if profile is not None:
        UserProfile._meta.get_field("user").set_cached_value(profile, user)
    if not user.is_active or user.is_superuser:
        return  # Wagtail decides these without its permission rows
    page_permissions = facts[PAGE_PERMISSIONS]
    setattr(user, PagePermissionPolicy.permission_cache_name, page_permissions)
    setattr(user, CollectionPermissionLookupMixin.permission_cache_name, facts[COLLECTION_PERMISSIONS])
    # The explorer's root: the first common ancestor of the pages the person may explore, when it
    # is one of them (as for the county office, whose permissions are on the root); otherwise
    # Wagtail looks it up itself.
    policy = PagePermissionPolicy()
    codenames = policy._get_permission_codenames({"add", "change", "publish", "lock", "unlock", "bulk_delete"})
    explorable = {perm.page.path: perm.page for perm in page_permissions if perm.permission.codename in codenames}
    if not explorable:
        setattr(user, policy._explorable_root_instance_cache_name, None)
        return
    common = posixpath.commonprefix(list(explorable))
    common = common[: len(common) - len(common) % policy.model.steplen]
    if common in explorable:
        setattr(user, policy._explorable_root_instance_cache_name, explorable[common])


def for_admin(user) -> None:
    """On an admin page, before anything asks: what Wagtail's admin asks of the person, in one
    query, with their facts when their row did not bring them (AdminPersonMiddleware)."""
    facts = getattr(user, ATTRIBUTE, None)
    if facts and PROFILE in facts:
        return  # already read in this request
    if facts:  # the facts came with the person's row (`signed_in`): Wagtail's rows alone
        admin_rows = _row(user, admin=True, facts=False)
        if admin_rows is None:
            return
        facts.update(_admin_facts(*admin_rows))
    else:
        facts = _all_in_one_query(user, admin=True)
        setattr(user, ATTRIBUTE, facts)
    if PROFILE in facts:
        _hand_to_wagtail(user, facts)


class AdminPersonMiddleware:
    """Reads the signed-in person for Wagtail's admin in one query (`for_admin`) on admin paths."""

    def __init__(self, get_response):
        from django.urls import reverse

        self.get_response = get_response
        self.prefix = reverse("wagtailadmin_home")

    def __call__(self, request):
        user = getattr(request, "user", None)
        if request.path.startswith(self.prefix) and user is not None and user.is_authenticated:
            for_admin(user)
        return self.get_response(request)


def fact(user, name: str):
    """One fact about a signed-in person (ROLE_NAMES, UNREAD, ...), read at most once per request."""
    # getattr and setattr, not the instance's __dict__: request.user is a lazy proxy of the user.
    known = getattr(user, ATTRIBUTE, None)
    if known is None:
        known = {}
        setattr(user, ATTRIBUTE, known)
    if name not in known:
        if not known:
            known.update(_all_in_one_query(user))
        if name not in known:
            known[name] = _ONE[name](user)
    return known[name]


def forget(user, *names: str) -> None:
    """After a change in this request (a role given, notifications read), read these again."""
    known = getattr(user, ATTRIBUTE, None) or {}
    for name in names:
        known.pop(name, None)
