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
  restriction applies on the next request.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from wagtail.models import Page, PageViewRestriction


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


class ViewRestrictionsInOneQueryMixin:
    """Wagtail's view restrictions of a page and its ancestors, in one query instead of two."""

    def get_view_restrictions(self):
        step = self.steplen
        paths = [self.path[:end] for end in range(step, len(self.path) + 1, step)]
        # As Wagtail does, a page on the way that is an alias is guarded by its original's
        # restrictions, never by its own (Wagtail copies them onto a new alias).
        own = Q(page__path__in=paths, page__alias_of__isnull=True)
        return PageViewRestriction.objects.filter(own | Q(page__aliases__path__in=paths)).distinct()
