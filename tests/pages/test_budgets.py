"""Budgets: the key pages, rendered from the demo data, weigh at most 60 KB (a lesson) or 100 KB
(any other trainee page) on the wire, gzipped, HTML + CSS + JS, before images and video; and
they load nothing from another site (no CDN, no web fonts, no third-party scripts)."""

import gzip
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from django.conf import settings
from django.contrib.staticfiles import finders

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


@pytest.fixture
def demo_pages(demo_county):
    return {page.key: page for page in discover()}


@pytest.mark.django_db
@pytest.mark.parametrize("key", KEYS)
def test_page_fits_its_budget_and_loads_nothing_from_elsewhere(key, demo_pages, client):
    page = demo_pages[key]
    # The demo county has every key page: one it lacks is a gap in the demo, not a reason to skip.
    assert page.path is not None, f"{page.label}: {page.missing}"
    if page.account:
        if page.account == NEWCOMER:
            UserFactory(email=NEWCOMER)
        user = User.objects.filter(email=page.account).first()
        assert user is not None, f"{page.label}: the demo account {page.account} does not exist"
        client.force_login(user)

    response = client.get(page.path, HTTP_ACCEPT_ENCODING="gzip, br")
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
