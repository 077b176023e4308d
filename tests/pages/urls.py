"""The site's addresses with the offline support wired in, whether or not incubator/urls.py
already includes incubator.pwa_urls (it should: see docs/pages.md), plus a stand-in lesson for
the browser test of the offline machinery (tests/pages/test_offline_browser.py)."""

from django.urls import include, path

from incubator import urls as site_urls
from tests.pages import views

_wired = any(getattr(pattern, "namespace", None) == "pwa" for pattern in site_urls.urlpatterns)

urlpatterns = [
    path("test-pages/lesson/", views.lesson),
    path("test-pages/mark/", views.mark),
    path("test-pages/signed-in-lesson/", views.signed_in_lesson),
    path("test-pages/mark-signed-in/", views.mark_signed_in),
    *([] if _wired else [path("", include("incubator.pwa_urls"))]),
    *site_urls.urlpatterns,
]
