"""The authentication backends: Django's model backend for permissions only, and allauth's for
signing in; both read a signed-in person's row with their facts in one query.

`PermissionsOnlyModelBackend` never signs anyone in: every login goes through allauth's backend
(email or phone, rate limited, verified), so a generated username and password posted to any
`authenticate()` call (Wagtail's old login forms, a script) finds nobody. Permissions are
Django's: read from the database once per request (with the person's roles, in one query:
core/person.py) and kept on the user object, never cached between requests, so a revoked
permission is refused on the next request.

`AuthenticationBackend` is allauth's, with that `get_user`: a sign-in stores its path in the
session. A session signed in before it existed names allauth's own backend, which stays listed
in AUTHENTICATION_BACKENDS for them (two queries where these take one) and checks no password:
a login this backend refuses stops there, not tried a second time by allauth's.
"""

from allauth.account import auth_backends

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from core import person


class SignedInPersonMixin:
    """`get_user` for the session's person: their row and their facts in one query
    (`core.person.signed_in`), the same checks as Django's model backend."""

    def get_user(self, user_id):
        user = person.signed_in(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class PermissionsOnlyModelBackend(SignedInPersonMixin, ModelBackend):
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


class AuthenticationBackend(SignedInPersonMixin, auth_backends.AuthenticationBackend):
    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        if user is None:
            # allauth's own backend, listed after this one for older sessions, would check the
            # same credentials again (and hash the password again): stop here.
            raise PermissionDenied
        return user
