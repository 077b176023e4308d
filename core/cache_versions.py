"""Version numbers kept in the cache, for dropping a whole family of cached entries at once:
put the version in each entry's key, bump it when the data behind the family changes."""

from django.core.cache import cache


def current(key: str) -> int:
    version = cache.get(key)
    if version is None:
        cache.add(key, 1, None)
        version = cache.get(key) or 1
    return version


def current_many(*keys: str) -> str:
    """The versions of several families at once (one cache round trip), joined for a key."""
    found = cache.get_many(keys)
    return ".".join(str(found[key]) if key in found else str(current(key)) for key in keys)


def bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # expired or never set: any new number drops the old entries
        cache.set(key, 2, None)
