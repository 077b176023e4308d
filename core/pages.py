"""Cheaper page serving for Wagtail, without changing what is served.

Wagtail routes a URL one level at a time (two queries a level: the child, then its specific
row) and, before serving, looks up view restrictions on the page and all its ancestors (two
more queries). A lesson four levels down cost ten queries before its own view ran. Here:

- ``DirectRouteMixin`` (for a site's root page) resolves the whole path with one query over
  the chain of ``url_path``s and one for the specific page. It takes that shortcut only when
  every page on the way routes the default way; any page with its own ``route`` (a routable
  campaign page, say) or any missing level falls back to Wagtail's routing, so sub-routes,
  404s and redirects behave exactly as before (tests/core/test_direct_route.py compares the two
  on every page of the demo tree).
- ``ViewRestrictionsInOneQueryMixin`` finds the restrictions on a page and its ancestors in one
  query (the ancestors' tree paths are prefixes of the page's own), never from a cache: a new
  restriction applies on the next request. A page routed directly needs none: the routing query
  has already said whether there is any restriction on the way (read in the same request).
- ``serve`` (the site's page view, incubator/urls.py) routes without reading the site root's
  own row when the root routes directly.
- ``ServePathMixin`` (every page type, through ``ViewRestrictionsInOneQueryMixin``) makes a
  page's URL as Wagtail does, with the one costly step, reversing ``wagtail_serve`` for the
  page's path below its site root, remembered by the process: a pure function of that path and
  the URL configuration (a page moved or renamed has another path, so another entry). My
  learning draws 35 links.
"""

import functools

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

from wagtail.coreutils import WAGTAIL_APPEND_SLASH  # as Wagtail reads it: once, at import
from wagtail.models import Page, PageViewRestriction, Site

# Set on a routed page when the routing query found no view restriction on it or any ancestor.
NO_RESTRICTIONS = "_no_view_restrictions_on_the_way"


def _routes_by_default(model) -> bool:
    return model is not None and model.route is Page.route


def _tree_ancestors(page) -> list[str]:
    """The tree paths of a page and its ancestors (every prefix of its own path)."""
    return [page.path[:end] for end in range(page.steplen, len(page.path) + 1, page.steplen)]


def direct_route(root, path_components):
    """The live or draft page at `path_components` under the site root `root` (a base Page is
    enough), in two queries, or None when Wagtail's own routing must answer (a level that routes
    its own way, a missing level). The first query also tells whether any page on the way, the
    root or its ancestors has a view restriction, so that serving it needs no third one."""
    url_paths = [root.url_path + "/".join(path_components[: depth + 1]) + "/" for depth in range(len(path_components))]
    # As Wagtail does, a page that is an alias is guarded by its original's restrictions.
    restricted = Exists(PageViewRestriction.objects.filter(page=Coalesce(OuterRef("alias_of_id"), OuterRef("pk"))))
    rows = (
        Page.objects.filter(
            Q(url_path__in=url_paths, depth__gt=root.depth, path__startswith=root.path)
            | Q(path__in=_tree_ancestors(root))
        )
        .annotate(restricted=restricted)
        .values_list("url_path", "content_type_id", "depth", "restricted")
    )
    chain, any_restriction = {}, False
    for url_path, content_type_id, depth, is_restricted in rows:
        any_restriction = any_restriction or is_restricted
        if depth > root.depth:
            chain[url_path] = content_type_id
    if len(chain) != len(url_paths):
        return None  # a missing level: a sub-route of a routable page, or a 404
    models = [ContentType.objects.get_for_id(chain[url_path]).model_class() for url_path in url_paths]
    if not all(_routes_by_default(model) for model in models[:-1]) or models[-1] is None:
        return None
    page = models[-1].objects.filter(url_path=url_paths[-1], path__startswith=root.path).first()
    if page is not None and not any_restriction:
        setattr(page, NO_RESTRICTIONS, True)
    return page


class DirectRouteMixin:
    """For the root page of a site: route a path in two queries when nothing on it is special."""

    def route(self, request, path_components):
        if path_components:
            page = direct_route(self, path_components)
            if page is not None:
                return page.route(request, [])
        return super().route(request, path_components)


def route_for_request(request, path: str):
    """Wagtail's `Page.route_for_request`, without reading the site root's own page row when the
    root routes directly (its class is known from its content type; the site's query has the
    rest). The result is kept where Wagtail looks for it (`request._wagtail_route_for_request`)."""
    if not hasattr(request, "_wagtail_route_for_request"):
        result = None
        try:
            site = Site.find_for_request(request)  # its query built once per process: core/sites.py
            if site is not None:
                components = [component for component in path.split("/") if component]
                root = site.root_page.localized
                page = None
                if components and issubclass(root.specific_class or Page, DirectRouteMixin):
                    page = direct_route(root, components)
                result = page.route(request, []) if page is not None else root.specific.route(request, components)
        except Http404:
            result = None
        request._wagtail_route_for_request = result
    return request._wagtail_route_for_request


def serve(request, path):
    """Wagtail's page view, routed by `route_for_request` (incubator/urls.py)."""
    from wagtail import views as wagtail_views

    route_for_request(request, path)
    return wagtail_views.serve(request, path)


@functools.lru_cache(maxsize=16384)
def _serve_path(tail: str, urlconf: str, script_prefix: str) -> str | None:
    try:
        return reverse("wagtail_serve", args=(tail,), urlconf=urlconf)
    except NoReverseMatch:
        return None


class ServePathMixin:
    """Wagtail's `Page.get_url_parts` for a page of one site without Wagtail's i18n (this
    project's case; anything else is left to Wagtail), `wagtail_serve` reversed once per path."""

    def get_url_parts(self, request=None):
        if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
            return super().get_url_parts(request)
        possible_sites = self._get_relevant_site_root_paths(request)
        if len({values[0] for values in possible_sites}) != 1:
            return super().get_url_parts(request)  # no site, or more than one: Wagtail chooses
        site_id, root_path, root_url, _language_code = possible_sites[0]
        urlconf = get_urlconf() or settings.ROOT_URLCONF
        page_path = _serve_path(self.url_path[len(root_path) :], urlconf, get_script_prefix())
        if page_path is None:
            return (site_id, None, None)
        if not WAGTAIL_APPEND_SLASH and page_path != "/":
            page_path = page_path.rstrip("/")
        return (site_id, root_url, page_path)


class ViewRestrictionsInOneQueryMixin(ServePathMixin):
    """Wagtail's view restrictions of a page and its ancestors, in one query instead of two (none
    when the routing query found that there are none)."""

    def get_view_restrictions(self):
        if getattr(self, NO_RESTRICTIONS, False):
            return PageViewRestriction.objects.none()
        paths = _tree_ancestors(self)
        # As Wagtail does, a page on the way that is an alias is guarded by its original's
        # restrictions, never by its own (Wagtail copies them onto a new alias).
        own = Q(page__path__in=paths, page__alias_of__isnull=True)
        return PageViewRestriction.objects.filter(own | Q(page__aliases__path__in=paths)).distinct()
