"""Every absolute link the site hands out (emails, SMS, PDFs, QR codes) starts with SITE_URL.

Pages are addressed by their path; a message read outside a request (an email sent by the
worker, a printed certificate) needs the public address of the site, and only the setting
knows it: a request's host may be the proxy's, a worker has none, and a Wagtail Site's
hostname may be "localhost". One helper builds them all.
"""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.urls import reverse


def site_url() -> str:
    """The site's public address, without a trailing slash (settings.SITE_URL)."""
    return settings.SITE_URL.rstrip("/")


def _our_hosts() -> set[str]:
    hosts = {urlsplit(site_url()).hostname or ""}
    hosts.update(host.lstrip(".") for host in settings.ALLOWED_HOSTS if host != "*")
    return {host.strip("[]").lower() for host in hosts if host}


def absolute_url(url: str, *, ours: bool = False) -> str:
    """`url` (a path, or an address of this site under any of its host names) under SITE_URL.

    An address on another site is returned unchanged, unless `ours` says it is this site's
    whatever its host (a link built from a request's host); an empty one stays empty.
    """
    if not url:
        return url
    parts = urlsplit(url)
    foreign = parts.scheme and parts.netloc and (parts.hostname or "").lower() not in _our_hosts()
    if foreign and not ours:
        return url
    path = parts.path if parts.path.startswith("/") else f"/{parts.path}"
    base = urlsplit(site_url())
    return urlunsplit((base.scheme, base.netloc, base.path.rstrip("/") + path, parts.query, parts.fragment))


def site_host_and_port() -> tuple[str, int]:
    """The Wagtail Site's hostname and port that match SITE_URL (the demo's default site)."""
    base = urlsplit(site_url())
    return base.hostname or "localhost", base.port or (443 if base.scheme == "https" else 80)


# An id no table reaches, to find where a row's id goes in its page's address.
_MARKER = 987_654_321_987


def row_urls(name: str):
    """A function giving `reverse(name, args=[pk])` for each row of a listing from one reverse():
    Django resolves a name and quotes its arguments on every call, which for a page of fifty rows
    was a fifth of drawing them. Call it within the request (its language and script prefix);
    the id is written as an integer."""
    url = reverse(name, args=[_MARKER])
    head, found, tail = url.partition(str(_MARKER))
    if not found or str(_MARKER) in tail:
        raise ValueError(f"{name} does not take one id as its argument")
    return lambda pk: f"{head}{int(pk)}{tail}"
