"""The races of issue 13, on PostgreSQL with the production cache backend on a real Redis:

1. a reader inside the writing transaction's window caches nothing that outlives the commit;
2. a bump made while Redis is away is not lost: when Redis comes back with the old entries
   still in it, they are not served;
3. a revoked office role is refused on the very next request, with Redis up or down.
"""

import os
import threading
import uuid

import pytest

from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connections, transaction

from core import roles
from core.choices import township_choices
from tests.factories import OfficeFactory, TownshipFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="needs PostgreSQL (DATABASE_URL)"
    ),
]

REDIS = os.environ.get("CACHE_TEST_REDIS", "redis://127.0.0.1:6379/14")
AWAY = "redis://127.0.0.1:1/0"  # nothing listens there: every call is refused


def redis_cache(location: str, prefix: str) -> dict:
    return {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }


@pytest.fixture
def shared_cache(settings):
    """The site's cache on the real Redis, under a prefix of this test's own."""
    prefix = f"races-{uuid.uuid4().hex[:8]}"
    settings.CACHES = redis_cache(REDIS, prefix)
    cache.set("probe", "up")
    if cache.get("probe") != "up":
        pytest.skip(f"Redis is not answering at {REDIS}")
    yield prefix
    settings.CACHES = redis_cache(REDIS, prefix)
    cache.clear()  # only this run's database number; the prefix keeps other runs' keys apart


def in_another_connection(fn):
    """Run `fn` in a thread of its own, so on a database connection of its own."""
    result = {}

    def run():
        try:
            result["value"] = fn()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    return result["value"]


def names() -> set[str]:
    return {label for _pk, label in township_choices()}


def test_a_reader_inside_the_writing_transaction_caches_nothing_that_outlives_the_commit(shared_cache):
    township = TownshipFactory(name="城关镇")
    assert "城关镇" in names()
    with transaction.atomic():
        township.name = "城关街道"
        township.save()  # the bump is an UPDATE in this transaction
        # Another request, before the commit: it sees (and may cache) only the old data...
        assert "城关镇" in in_another_connection(names)
    # ...under the generation that the commit replaced: the next read, anywhere, is fresh.
    assert "城关街道" in in_another_connection(names)
    assert "城关街道" in names()


def test_a_bump_during_a_redis_outage_is_not_lost(settings, shared_cache):
    township = TownshipFactory(name="城关镇")
    assert "城关镇" in names()  # cached in Redis
    settings.CACHES = redis_cache(AWAY, shared_cache)  # Redis goes away
    township.name = "城关街道"
    township.save()
    assert "城关街道" in names()  # the database decides while the cache cannot answer
    settings.CACHES = redis_cache(REDIS, shared_cache)  # Redis is back, the old list still in it
    assert "城关街道" in names()
    assert "城关镇" not in names()


def test_the_old_entry_is_still_in_redis_but_never_read_again(settings, shared_cache):
    from core import cache_families

    TownshipFactory(name="城关镇")
    township_choices()
    old_key = f"choices:{cache_families.generation(cache_families.CHOICES)}:townships:zh-hans"
    assert cache.get(old_key) is not None
    settings.CACHES = redis_cache(AWAY, shared_cache)
    TownshipFactory(name="白马镇")  # the bump lands in PostgreSQL, not in the unreachable Redis
    settings.CACHES = redis_cache(REDIS, shared_cache)
    assert cache.get(old_key) is not None  # Redis kept the old list...
    assert "白马镇" in names()  # ...and nobody reads it


@pytest.mark.parametrize("redis", ["up", "down"])
def test_a_revoked_office_role_is_refused_on_the_very_next_request(client, settings, shared_cache, redis):
    settings.STAFF_MFA_REQUIRED = False
    person = OfficeFactory()
    client.force_login(person)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/").status_code == 200  # whatever can be cached is cached now
    if redis == "down":
        settings.CACHES = redis_cache(AWAY, shared_cache)
    Group.objects.get(name=roles.OFFICE).user_set.remove(person)  # as the office's user admin does
    response = client.get("/admin/")
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/admin/")
    assert not roles.is_office(type(person).objects.get(pk=person.pk))
