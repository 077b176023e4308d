"""Django's model backend, for permissions only, with each person's permissions cached between requests.

It never signs anyone in: every login goes through allauth's backend (email or phone, rate
limited, verified), so a generated username and password posted to any `authenticate()` call
(Wagtail's old login forms, a script) finds nobody.

Every admin page asks for the person's permissions (twice: their own, then their groups'), and
so did every public page for the navigation. The sets are cached under the access version of
`core.roles`, which any change of group membership, of a group's or a person's permissions, or
of a group bumps; a person's active or superuser flag is part of the key.
"""

import functools

from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache

from core import roles


class CachedModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        return None

    def _get_permissions(self, user_obj, obj, from_name):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        attribute = f"_{from_name}_perm_cache"
        if not hasattr(user_obj, attribute):
            version = roles.access_version(user_obj.pk)
            key = f"perms:{version}:{from_name}:{user_obj.pk}:{int(user_obj.is_superuser)}"
            read = functools.partial(super()._get_permissions, user_obj, obj, from_name)
            setattr(user_obj, attribute, cache.get_or_set(key, read, roles.ACCESS_TIMEOUT))
        return getattr(user_obj, attribute)
