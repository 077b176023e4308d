from django.conf import settings
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

urlpatterns = [
    path("", include("core.urls")),
    path("", include("incubator.pwa_urls")),
    path("", include("courses.urls")),
    path("", include("mentors.urls")),
    path("", include("incubator.recruitment.urls")),
    path("", include("incubator.merchants.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
]

if settings.DEBUG or getattr(settings, "SERVE_MEDIA", False):
    # Public media (image renditions, documents) from this process: fine for one machine;
    # behind a load balancer, serve MEDIA_ROOT from the proxy or object storage instead.
    from django.urls import re_path
    from django.views.static import serve

    urlpatterns.append(re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}))

# Wagtail's page tree serves everything else (/, /courses/, /recruit/ ...).
urlpatterns.append(path("", include(wagtail_urls)))
