"""A Redis cache that lets the site keep serving while Redis is away.

Everything this site keeps in the cache can be rebuilt from PostgreSQL: sessions (written
through to the database), the anonymous page cache, the dashboard figures, version counters and
the rate-limit counters. Django's Redis backend raises on a refused or timed-out connection, so
a Redis restart would turn every page into an error. This backend answers as an empty cache
instead (a miss on read, nothing stored on write), logs a warning, and picks Redis up again on
the next call once it is back. Rate limits fail open for that time: a short outage must not lock
villagers out of signing in.
"""

import functools
import logging

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError, OSError)


def _tolerant(method, fallback):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except UNAVAILABLE as error:
            logger.warning("Cache unavailable (%s): %s answered as a miss", error.__class__.__name__, method.__name__)
            return fallback(*args, **kwargs)

    return wrapper


def _get_fallback(key, default):
    return default


def _incr_fallback(key, delta):
    # The same answer as for a missing key, so callers that recreate a missing counter do so.
    raise ValueError(f"Key '{key}' not found (cache unavailable)")


class ResilientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        """One `redis.Redis` per connection pool, made on first use and kept. Django makes a new
        one for every cache call, and making one (redis-py fills a table of about 170 reply
        callbacks) cost more than a cached page's GET itself. A client is only its pool and
        that table: it is safe to share between threads, and after a fork its pool opens new
        connections."""
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client

    add = _tolerant(RedisCacheClient.add, lambda *args, **kwargs: False)
    get = _tolerant(RedisCacheClient.get, _get_fallback)
    set = _tolerant(RedisCacheClient.set, lambda *args, **kwargs: None)
    touch = _tolerant(RedisCacheClient.touch, lambda *args, **kwargs: False)
    delete = _tolerant(RedisCacheClient.delete, lambda *args, **kwargs: False)
    get_many = _tolerant(RedisCacheClient.get_many, lambda *args, **kwargs: {})
    has_key = _tolerant(RedisCacheClient.has_key, lambda *args, **kwargs: False)
    incr = _tolerant(RedisCacheClient.incr, _incr_fallback)
    set_many = _tolerant(RedisCacheClient.set_many, lambda *args, **kwargs: [])
    delete_many = _tolerant(RedisCacheClient.delete_many, lambda *args, **kwargs: None)
    clear = _tolerant(RedisCacheClient.clear, lambda *args, **kwargs: False)


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient
