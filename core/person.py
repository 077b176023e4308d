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

import json
from functools import cache as memoize

from allauth.mfa.models import Authenticator

from django.contrib.auth.models import Group, Permission
from django.db import connections
from django.db.models import Count, Exists, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Concat

from core.rows import JSONRows

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


@memoize
def _one_query_sql(alias: str) -> tuple[str, tuple]:
    """The one query's SQL and parameters, built and compiled once per process: it runs on every
    signed-in request, and building five subqueries cost more than running them."""
    from core.models import Notification, User

    person = OuterRef("pk")
    unread = (
        Notification.objects.unread()
        .filter(recipient=person)
        .order_by()
        .values("recipient")
        .annotate(n=Count("pk"))
        .values("n")
    )
    query = (
        User.objects.filter(pk=_SOMEONE)
        .values_list(
            JSONRows(Group.objects.filter(user=person).values("name")),
            Coalesce(Subquery(unread[:1]), 0),
            Exists(Authenticator.objects.filter(user=person, type__in=SECOND_FACTORS)),
            JSONRows(_permission_names(Permission.objects.filter(user=person))),
            JSONRows(_permission_names(Permission.objects.filter(group__user=person))),
        )
        .order_by()
        .query
    )
    sql, params = query.get_compiler(alias).as_sql()
    if list(params).count(_SOMEONE) != 1:
        raise RuntimeError("the person's id must be the one parameter of the query that stands for them")
    return sql, tuple(params)


def _all_in_one_query(user) -> dict:
    alias = user._state.db or "default"
    sql, params = _one_query_sql(alias)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [user.pk if value == _SOMEONE else value for value in params])
        row = cursor.fetchone()
    if row is None:  # the person was deleted while signed in: nothing to grant
        return {ROLE_NAMES: frozenset(), UNREAD: 0, SECOND_FACTOR: False}
    roles, unread_count, second_factor, user_permissions, group_permissions = (
        json.loads(value) if isinstance(value, str) else value for value in row
    )
    return {
        ROLE_NAMES: frozenset(roles),
        UNREAD: int(unread_count),
        SECOND_FACTOR: bool(second_factor),
        USER_PERMISSIONS: frozenset(user_permissions),
        GROUP_PERMISSIONS: frozenset(group_permissions),
    }


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
