"""Django's model backend, for permissions only.

It never signs anyone in: every login goes through allauth's backend (email or phone, rate
limited, verified), so a generated username and password posted to any `authenticate()` call
(Wagtail's old login forms, a script) finds nobody. Permissions are Django's: read from the
database once per request (with the person's roles, in one query: core/person.py) and kept on
the user object, never cached between requests, so a revoked permission is refused on the next
request.
"""

from django.contrib.auth.backends import ModelBackend

from core import person


class PermissionsOnlyModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        return None

    def _reads_own_permissions(self, user_obj, obj) -> bool:
        # Superusers have every permission (Django lists them all), inactive people and objects none.
        return user_obj.is_active and not user_obj.is_anonymous and not user_obj.is_superuser and obj is None

    def get_user_permissions(self, user_obj, obj=None):
        if not self._reads_own_permissions(user_obj, obj):
            return super().get_user_permissions(user_obj, obj)
        return set(person.fact(user_obj, person.USER_PERMISSIONS))

    def get_group_permissions(self, user_obj, obj=None):
        if not self._reads_own_permissions(user_obj, obj):
            return super().get_group_permissions(user_obj, obj)
        return set(person.fact(user_obj, person.GROUP_PERMISSIONS))
