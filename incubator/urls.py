from django.conf import settings
from django.urls import include, path, re_path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from core import pages, security

# One way in (core/security.py): Wagtail's own login forms answer with a redirect to allauth's,
# and a page's shared password is rate limited. These come before Wagtail's URLconfs, so they win.
one_way_in = [
    path("admin/login/", security.login_through_allauth, name="wagtailadmin_login"),
    path("_util/login/", security.login_through_allauth, name="wagtailcore_login"),
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        security.authenticate_with_page_password,
        name="wagtailcore_authenticate_with_password",
    ),
    path(
        "documents/authenticate_with_password/<int:restriction_id>/",
        security.authenticate_with_document_password,
        name="wagtaildocs_authenticate_with_password",
    ),
]

urlpatterns = [
    *one_way_in,
    path("csp-report/", security.csp_report, name="csp_report"),
    path("", include("core.urls")),
    path("", include("incubator.pwa_urls")),
    path("", include("courses.urls")),
    path("", include("mentors.urls")),
    path("", include("incubator.recruitment.urls")),
    path("", include("incubator.outreach.urls")),
    path("", include("incubator.merchants.urls")),
    path("", include("incubator.villages.urls")),
    path("", include("incubator.pavilion.urls")),
    path("", include("incubator.cooperatives.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
]

if settings.DEBUG or getattr(settings, "SERVE_MEDIA", False):
    # Public media (image renditions, documents) from this process: fine for one machine;
    # behind a load balancer, serve MEDIA_ROOT from the proxy or object storage instead.
    from django.views.static import serve

    urlpatterns.append(re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}))

# Wagtail's page tree serves everything else (/, /courses/, /recruit/ ...), routed by core/pages.py.
urlpatterns.append(re_path(wagtail_urls.serve_pattern, pages.serve, name="wagtail_serve"))
urlpatterns.append(path("", include(wagtail_urls)))
