"""Django's model backend, for permissions only.

It never signs anyone in: every login goes through allauth's backend (email or phone, rate
limited, verified), so a generated username and password posted to any `authenticate()` call
(Wagtail's old login forms, a script) finds nobody. Permissions are Django's: read from the
database once per request and kept on the user object, never cached between requests, so a
revoked permission is refused on the next request.
"""

from django.contrib.auth.backends import ModelBackend


class PermissionsOnlyModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        return None
