"""Whole-page cache for anonymous visitors of public pages.

A GET from someone without a session (no session or messages cookie) is served from the cache
when a copy exists for the same host, path, query string and language (the one the site would
choose: core.middleware.language_for, which for an anonymous visitor is the switcher's cookie
when valid, else Chinese). A response is stored only when it is a plain 200 HTML page that sets
no cookie and carries no CSRF token, so a copy never holds anything personal. Copies expire
after PUBLIC_PAGE_CACHE_SECONDS and are all dropped at once by the PUBLIC_PAGES family
(core/cache_families.py): any page saved, published, unpublished, moved or deleted, a view
restriction added or changed, a certificate, shop, cooperative or application changed.
Signed-in people are never served from this cache.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

from core import cache_families
from core.middleware import language_for

EXCLUDED_PREFIXES = ("/admin/", "/accounts/", "/me/", "/mentor/", "/healthz", "/static/", "/media/", "/documents/")


def _cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path.startswith(EXCLUDED_PREFIXES):
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _key(request, generation: str) -> str:
    # This middleware runs before the session and the language middleware: for a visitor with
    # no session the language chosen later is the one language_for gives now.
    raw = f"{request.get_host()}|{request.get_full_path()}|{language_for(request)}"
    return f"public-pages:{generation}:{hashlib.sha256(raw.encode()).hexdigest()}"


def _storable(response) -> bool:
    return (
        response.status_code == 200
        and not response.cookies
        and not getattr(response, "streaming", False)
        and response.get("Content-Type", "").startswith("text/html")
        and "no-store" not in response.get("Cache-Control", "")
        and b"csrfmiddlewaretoken" not in response.content
    )


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 0)
        if not seconds or not _cacheable_request(request):
            return self.get_response(request)
        key = _key(request, cache_families.generation(cache_families.PUBLIC_PAGES))
        cached = cache.get(key)
        if cached is not None:
            cached["X-Page-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
            response.render()
        if _storable(response):
            cache.set(key, response, seconds)
            response["X-Page-Cache"] = "miss"
        return response
