"""Budgets: the key pages, rendered from the demo data, weigh at most 60 KB (a lesson) or 100 KB
(any other trainee page) on the wire, gzipped, HTML + CSS + JS, before images and video; and
they load nothing from another site (no CDN, no web fonts, no third-party scripts)."""

import gzip
import io
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.db import transaction

from core.models import User
from tests.factories import UserFactory
from tests.pages.key_pages import KEYS, NEWCOMER, discover


class _Resources(HTMLParser):
    """The stylesheets and scripts a page makes the browser fetch, and anything from elsewhere."""

    def __init__(self):
        super().__init__()
        self.styles: list[str] = []
        self.scripts: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        url = None
        if tag == "link" and "stylesheet" in (attrs.get("rel") or "").split():
            url = attrs.get("href")
            self.styles.append(url)
        elif tag == "script" and attrs.get("src"):
            url = attrs["src"]
            self.scripts.append(url)
        elif tag in {"img", "source", "iframe", "video", "audio", "link"}:
            url = attrs.get("src") or attrs.get("href")
        if url and urlsplit(url).netloc:
            self.external.append(f"<{tag}> {url}")


def static_gzip_size(url: str) -> int:
    path = urlsplit(url).path
    assert path.startswith(settings.STATIC_URL), f"{url} is not one of our static files"
    found = finders.find(path[len(settings.STATIC_URL) :])
    assert found, f"{url} was not found among the static files"
    with open(found, "rb") as handle:
        # WhiteNoise stores static files gzipped at the best level (and brotli, smaller still).
        return len(gzip.compress(handle.read(), compresslevel=9))


@pytest.fixture(scope="module")
def demo_pages(django_db_setup, django_db_blocker):
    """The demo county, loaded once for this module inside a transaction rolled back at its end
    (each test's own transaction nests inside it), so no other test sees it."""
    with django_db_blocker.unblock(), transaction.atomic():
        failure = None
        try:
            with transaction.atomic():
                call_command("seed_demo", stdout=io.StringIO())
        except Exception as exc:  # another app's seed may be unfinished: say so, test the rest
            failure = f"seed_demo failed: {type(exc).__name__}: {exc}"
        yield {page.key: page for page in discover()}, failure
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.parametrize("key", KEYS)
def test_page_fits_its_budget_and_loads_nothing_from_elsewhere(key, demo_pages, client):
    pages, seed_failure = demo_pages
    page = pages[key]
    if page.path is None:
        pytest.skip(f"{page.label}: {page.missing}" + (f" ({seed_failure})" if seed_failure else ""))
    if page.account:
        if page.account == NEWCOMER:
            UserFactory(email=NEWCOMER)
        user = User.objects.filter(email=page.account).first()
        if user is None:
            pytest.skip(f"{page.label}: the demo account {page.account} does not exist ({seed_failure})")
        client.force_login(user)

    response = client.get(page.path, HTTP_ACCEPT_ENCODING="gzip, br")
    if response.status_code == 404:
        pytest.skip(f"{page.label}: {page.path} answers 404: not built yet")
    assert response.status_code == 200, f"{page.path} answered {response.status_code}"
    wire = response.content
    assert response.get("Content-Encoding") == "gzip", "HTML must be compressed on the wire"
    html = gzip.decompress(wire).decode()

    resources = _Resources()
    resources.feed(html)
    assert resources.external == [], f"{page.path} loads from another site: {resources.external}"
    assert len(resources.styles) == 1, "one stylesheet, no more"
    assert len(resources.scripts) <= 1, "one small script at most"
    for url in resources.scripts:
        assert f'src="{url}" defer' in html, "the script must be deferred"

    sizes = {"html": len(wire)} | {url: static_gzip_size(url) for url in resources.styles + resources.scripts}
    total = sum(sizes.values())
    assert total <= page.budget, f"{page.label} ({page.path}) weighs {total} bytes gzipped > {page.budget}: {sizes}"
