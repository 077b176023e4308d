"""Cheaper page serving for Wagtail, without changing what is served.

Wagtail routes a URL one level at a time (two queries a level: the child, then its specific
row) and, before serving, looks up view restrictions on the page and all its ancestors (two
more queries). A lesson four levels down cost ten queries before its own view ran. Here:

- ``DirectRouteMixin`` (for a site's root page) resolves the whole path with one query over
  the chain of ``url_path``s and one for the specific page. It takes that shortcut only when
  every page on the way routes the default way; any page with its own ``route`` (a routable
  campaign page, say) or any missing level falls back to Wagtail's routing, so sub-routes,
  404s and redirects behave exactly as before.
- ``CachedViewRestrictionsMixin`` answers "no restrictions" from the cache while the site has
  no page view restriction at all (the usual case here: courses and campaigns are public). The
  flag is dropped whenever a restriction is saved or deleted; with any restriction on the site,
  Wagtail's own look-up runs.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from wagtail.models import Page, PageViewRestriction

from core import cache_versions

RESTRICTIONS_VERSION = "pages:restrictions:version"
RESTRICTIONS_TIMEOUT = 60 * 60


def _routes_by_default(model) -> bool:
    return model is not None and model.route is Page.route


class DirectRouteMixin:
    """For the root page of a site: route a path in two queries when nothing on it is special."""

    def route(self, request, path_components):
        if path_components:
            page = self._direct_route(path_components)
            if page is not None:
                return page.route(request, [])
        return super().route(request, path_components)

    def _direct_route(self, path_components):
        url_paths = [
            self.url_path + "/".join(path_components[: depth + 1]) + "/" for depth in range(len(path_components))
        ]
        chain = dict(
            Page.objects.filter(url_path__in=url_paths, depth__gt=self.depth, path__startswith=self.path).values_list(
                "url_path", "content_type_id"
            )
        )
        if len(chain) != len(url_paths):
            return None  # a missing level: a sub-route of a routable page, or a 404
        models = [ContentType.objects.get_for_id(chain[url_path]).model_class() for url_path in url_paths]
        if not all(_routes_by_default(model) for model in models[:-1]) or models[-1] is None:
            return None
        return models[-1].objects.filter(url_path=url_paths[-1], path__startswith=self.path).first()


def site_has_view_restrictions() -> bool:
    key = f"pages:restrictions:{cache_versions.current(RESTRICTIONS_VERSION)}"
    return cache.get_or_set(key, PageViewRestriction.objects.exists, RESTRICTIONS_TIMEOUT)


class CachedViewRestrictionsMixin:
    """Skip the two restriction queries per page view while the site has no restriction."""

    def get_view_restrictions(self):
        if not site_has_view_restrictions():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


def _restrictions_changed(sender, **kwargs):
    cache_versions.bump(RESTRICTIONS_VERSION)


def connect() -> None:
    for signal in (post_save, post_delete):
        signal.connect(_restrictions_changed, sender=PageViewRestriction, dispatch_uid=f"restrictions-{signal}")
