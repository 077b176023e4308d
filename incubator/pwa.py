"""The pieces that make the site installable and readable offline: the web app manifest, the
service worker (served from the site root so that its scope is the whole site), the offline
fallback page and robots.txt. See docs/pages.md for the caching strategy."""

import hashlib
import json
from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse
from django.shortcuts import render, resolve_url
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.middleware import PERSON_HEADER, REPLAY_HEADER, REPLAY_PERSON_HEADER

# The theme colours of static/css/site.css (--brand-dark and --bg).
THEME_COLOR = "#8a2e12"
BACKGROUND_COLOR = "#fffdf9"
SERVICE_WORKER_SOURCE = "js/sw.js"
# A form with `data-offline-queue` gets this hidden field from static/js/app.js; the service
# worker keeps such a POST in its outbox when the network fails, and sends it again later.
QUEUE_FIELD = "offline_queue"
# ... and this one, naming the person whose page it was (the marker of core.middleware), so that
# the worker never sends it for someone else.
PERSON_FIELD = "offline_person"
# Never stored by the worker besides the private pages (settings.PRIVATE_PATH_PREFIXES, which
# also answer no-store): documents, the worker itself, and the offline page (kept in the shell).
NEVER_STORED_EXTRA = ("/documents/", "/sw.js", "/offline/")

# Areas a search engine has no business in: personal pages, the admin, sign-in forms.
ROBOTS_DISALLOW = ["/admin/", "/me/", "/mentor/", "/accounts/", "/offline/"]


def _read_static(path: str) -> str:
    """A static source file's text, from the source folders or else from the collected files."""
    found = finders.find(path)
    if found:
        with open(found, encoding="utf-8") as handle:
            return handle.read()
    with staticfiles_storage.open(path) as handle:
        return handle.read().decode("utf-8")


def precache_urls() -> list[str]:
    """What the service worker stores when it installs: the shell every page needs offline."""
    return [
        reverse("pwa:offline"),
        static("css/site.css"),
        static("js/app.js"),
        static("img/icon.svg"),
    ]


def never_stored() -> list[str]:
    """Address prefixes the service worker never keeps a copy of."""
    return [*settings.PRIVATE_PATH_PREFIXES, *NEVER_STORED_EXTRA]


@lru_cache(maxsize=4)
def _service_worker_script(precache: tuple[str, ...], never: tuple[str, ...]) -> str:
    # The version is a digest of the worker and of what is written above it (the hashed static
    # addresses it stores among them), so a deploy that changes the stylesheet, the script or
    # the private prefixes installs a new worker and drops old caches.
    source = _read_static(SERVICE_WORKER_SOURCE)
    constants = {
        "PRECACHE": list(precache),
        "NEVER_STORED": list(never),
        "STATIC_PREFIX": settings.STATIC_URL,
        "MEDIA_PREFIX": settings.MEDIA_URL,
        "LOGIN_PATH": resolve_url(settings.LOGIN_URL),
        "QUEUE_FIELD": QUEUE_FIELD,
        "PERSON_FIELD": PERSON_FIELD,
        "PERSON_HEADER": PERSON_HEADER,
        "REPLAY_HEADER": REPLAY_HEADER,
        "REPLAY_PERSON_HEADER": REPLAY_PERSON_HEADER,
    }
    version = hashlib.sha256((source + json.dumps(constants)).encode()).hexdigest()[:12]
    constants = {"VERSION": version, **constants}
    prelude = "".join(f"const {name} = {json.dumps(value)};\n" for name, value in constants.items())
    return prelude + source


@require_GET
def service_worker(request):
    """The service worker at /sw.js: its scope is the whole site, and browsers re-check it often."""
    response = HttpResponse(
        _service_worker_script(tuple(precache_urls()), tuple(never_stored())),
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/"
    patch_cache_control(response, no_cache=True, max_age=0)
    return response


@require_GET
def manifest(request):
    """The web app manifest, in the person's language, so the site can be added to a home screen."""
    data = {
        "id": "/",
        "name": _("County E-commerce Incubator"),
        "short_name": _("Incubator"),
        "description": _("Training, mentoring and support for villagers who want to sell their farm products online."),
        "lang": get_language() or "zh-hans",
        "dir": "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": [
            {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {
                "src": static("img/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
            {"src": static("img/icon.svg"), "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
        ],
        "shortcuts": [
            {"name": _("My learning"), "url": "/me/learning/"},
            {"name": _("Courses"), "url": "/courses/"},
        ],
    }
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=1), content_type="application/manifest+json; charset=utf-8"
    )
    patch_cache_control(response, public=True, max_age=60 * 60 * 24)
    response["Vary"] = "Cookie, Accept-Language"
    return response


@require_GET
def offline(request):
    """The page the service worker shows when a page was never opened and there is no connection.
    It names nobody and reads nothing from the database, so one stored copy suits everyone."""
    response = render(request, "offline.html")
    patch_cache_control(response, public=True, max_age=60 * 60)
    return response


@require_GET
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), ""]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    patch_cache_control(response, public=True, max_age=60 * 60 * 24)
    return response
