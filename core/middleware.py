import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy

from core import roles

SUPPORTED = {code for code, _ in settings.LANGUAGES}


def language_for(request) -> str:
    """The person's language: their saved preference, else the switcher's cookie, else Chinese.

    The browser's Accept-Language is deliberately ignored: many villagers' phones ship set to
    English, and the county's default is Chinese.
    """
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.preferred_language in SUPPORTED:
        return user.preferred_language
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie in SUPPORTED:
        return cookie
    return settings.LANGUAGE_CODE


class PreferredLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


# --- a shared phone keeps nothing of the previous person (docs/pages.md, "Shared phones") -------

# Every HTML page names, as an opaque marker, the person it was made for; the service worker
# tags its copies and outbox with it and drops them when a page for someone else arrives.
PERSON_HEADER = "X-Person"
# A request the service worker sends again from its outbox names the person who queued it.
REPLAY_HEADER = "X-Offline-Replay"
REPLAY_PERSON_HEADER = "X-Offline-Person"
# The browser drops its HTTP cache and the site's storage (the worker, its copies, the outbox).
CLEAR_SITE_DATA = '"cache", "storage"'
LAST_ACTIVITY_KEY = "_office_last_activity"
# Office activity is written to the session at most this often, not on every request.
LAST_ACTIVITY_RESOLUTION = 60
IDLE_SIGN_OUT_MESSAGE = gettext_lazy(
    "You were signed out because there was no activity for a while. Please sign in again."
)


def person_marker(user) -> str:
    """An opaque, stable marker of the signed-in person (never their id); "" for anonymous."""
    if user is None or not user.is_authenticated:
        return ""
    return salted_hmac("core.person-marker", str(user.pk)).hexdigest()[:32]


def is_private_path(path: str) -> bool:
    return path.startswith(tuple(settings.PRIVATE_PATH_PREFIXES))


def _directives(response) -> set[str]:
    return {part.split("=", 1)[0].strip().lower() for part in response.get("Cache-Control", "").split(",")}


def _person_id(request):
    user = getattr(request, "user", None)
    return user.pk if user is not None and user.is_authenticated else None


class PrivatePagesMiddleware:
    """What a browser and its service worker may keep of a page, decided in one place.

    - Under PRIVATE_PATH_PREFIXES (the person's own area, the mentor area, accounts, the admin,
      private files): `Cache-Control: private, no-store`, for everyone, whatever the view said.
    - Any other response for a signed-in person is at least `private`, unless the view declared
      it public (a page that names nobody, like the offline page).
    - Every HTML page that is not public carries the person marker (PERSON_HEADER).
    - A response in which the person changed (signed out by any route, timed out, or another
      person signed in) sends Clear-Site-Data.
    - An outbox replay queued by someone other than the signed-in person is refused (409).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        before = _person_id(request)
        queued_by = request.headers.get(REPLAY_PERSON_HEADER)
        if request.headers.get(REPLAY_HEADER) and queued_by is not None and queued_by != person_marker(request.user):
            return HttpResponse(status=409)  # queued offline by someone else: never sent for this person
        response = self.get_response(request)
        directives = _directives(response)
        if is_private_path(request.path):
            response["Cache-Control"] = "private, no-store"
        elif _person_id(request) is not None and "public" not in directives:
            patch_cache_control(response, private=True)
        if "public" not in directives and response.get("Content-Type", "").startswith("text/html"):
            response[PERSON_HEADER] = person_marker(getattr(request, "user", None))
        if before is not None and _person_id(request) != before:
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response


def note_office_sign_in(sender, request, user, **kwargs):
    """user_logged_in: an office session starts its idle clock at sign-in (no write on the first page)."""
    if request is not None and hasattr(request, "session") and roles.is_office(user):
        request.session[LAST_ACTIVITY_KEY] = int(time.time())


class OfficeIdleTimeoutMiddleware:
    """Office staff and superusers are signed out after STAFF_SESSION_IDLE_MINUTES without a request:
    an office computer or a borrowed phone left open must not stay signed in to the county's data."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not roles.is_office(user):
            return self.get_response(request)
        now = int(time.time())
        last = request.session.get(LAST_ACTIVITY_KEY)
        if last is not None and now - last > settings.STAFF_SESSION_IDLE_MINUTES * 60:
            logout(request)
            messages.info(request, IDLE_SIGN_OUT_MESSAGE)
            return redirect_to_login(request.get_full_path())
        if last is None or now - last >= LAST_ACTIVITY_RESOLUTION:
            request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)
