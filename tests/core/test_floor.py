"""The benchmark's floor (core.views.floor): a constant answer that goes through every middleware
of the site and does nothing else, so that `make bench` reads each page against the framework's
own cost (docs/benchmarks.md)."""

import pytest

from django.urls import reverse

from incubator.settings import base
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db

# A real Redis cache on a port where nothing listens: Django's own backend raises on every call,
# so an answer proves that nothing on the way (the public page cache included) touched the cache.
CLOSED_REDIS = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
}

SEEN = []


class Innermost:
    """Placed after every middleware of the site: reached only when none of them answered first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        SEEN.append(request.path)
        return self.get_response(request)


def test_the_floor_is_a_constant_answer_without_a_query(client, django_assert_num_queries):
    assert reverse("core:floor") == "/healthz/floor"
    with django_assert_num_queries(0):
        response = client.get("/healthz/floor")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "no-store" in response["Cache-Control"]


def test_the_floor_touches_no_cache_with_the_public_page_cache_on(client, settings, django_assert_num_queries):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    settings.CACHES = CLOSED_REDIS
    for _ in range(2):
        with django_assert_num_queries(0):  # not even the cache families' generations
            response = client.get("/healthz/floor")
        assert response.status_code == 200
        assert "X-Page-Cache" not in response


def test_a_page_does_touch_that_cache(client, settings):
    # The check above can fail: a public page with the page cache on reaches the closed cache.
    from incubator.demo import seed_site

    seed_site()
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    settings.CACHES = CLOSED_REDIS
    client.raise_request_exception = False
    assert client.get("/").status_code == 500


def test_the_floor_goes_through_every_middleware_of_the_site(client, settings):
    assert settings.MIDDLEWARE == base.MIDDLEWARE  # the stack under test is the production one
    settings.MIDDLEWARE = [*base.MIDDLEWARE, f"{__name__}.Innermost"]
    SEEN.clear()
    response = client.get("/healthz/floor")
    assert SEEN == ["/healthz/floor"]
    # Each header comes from a middleware of the stack.
    assert response["X-Content-Type-Options"] == "nosniff"  # SecurityMiddleware
    assert response["X-Frame-Options"] == "DENY"  # XFrameOptionsMiddleware
    assert "default-src 'self'" in response["Content-Security-Policy"]  # SecurityHeadersMiddleware
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Content-Language"] == "zh-hans"  # PreferredLanguageMiddleware
    assert "Cookie" in response["Vary"]


def test_a_signed_in_person_gets_the_same_constant(client):
    client.force_login(TraineeFactory())
    response = client.get("/healthz/floor")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "private" in response["Cache-Control"]
