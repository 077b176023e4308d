"""Wagtail's admin sidebar packed without gathering media nobody reads.

Every admin page writes the sidebar's menu as JSON (Wagtail's `{% sidebar_props %}`), packed by
telepath. Packing each menu item also adds the item's media to the packing context: telepath
renders the tags that load the item's scripts to a string, every time, to see whether it has them already
(some seventy times a page: 1.2 ms of the 4.4 ms the sidebar takes). `sidebar_props` throws that
media away: the sidebar's script is in every admin page's `<head>` (Wagtail's admin_base.html).
`MediaFreeJSContext` packs the same values into the same JSON and skips the media;
`pack_sidebars_without_media` (at start-up, core.apps) gives it to `sidebar_props`, the one user
of that name in Wagtail's template tags. tests/core/test_sidebar.py holds the JSON to Wagtail's
own for several people and checks that `sidebar_props` is still the name's only user.
"""

from wagtail.admin.telepath import JSContext


class MediaFreeJSContext(JSContext):
    """telepath's context for values packed into JSON that no page reads the media of."""

    def add_media(self, media=None, js=None, css=None):
        """The packed values do not depend on the media: nothing to gather."""


def pack_sidebars_without_media() -> None:
    from wagtail.admin.templatetags import wagtailadmin_tags

    wagtailadmin_tags.JSContext = MediaFreeJSContext
