from django import template

from wagtail import hooks

register = template.Library()


@register.simple_tag
def mentor_area_tabs():
    """The tabs higher apps add to the mentor area: each `mentors_area_tabs` hook returns
    (key, label, url), or None."""
    return [tab for tab in (fn() for fn in hooks.get_hooks("mentors_area_tabs")) if tab]
