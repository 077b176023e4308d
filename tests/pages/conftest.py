import pytest


@pytest.fixture(autouse=True)
def _offline_support_urls(settings):
    """The site's addresses plus incubator.pwa_urls, until incubator/urls.py includes them."""
    settings.ROOT_URLCONF = "tests.pages.urls"
