"""Version numbers kept in the cache, for dropping a whole family of cached entries at once:
put the version in each entry's key, bump it when the data behind the family changes."""

from django.core.cache import cache


def current(key: str) -> int:
    version = cache.get(key)
    if version is None:
        cache.add(key, 1, None)
        version = cache.get(key) or 1
    return version


def bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # expired or never set: any new number drops the old entries
        cache.set(key, 2, None)
