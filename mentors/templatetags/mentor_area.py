"""The mentor area's tabs that higher apps add (`mentors_area_tabs` hook: fn() -> (key, label, url))."""

from django import template

from wagtail import hooks

register = template.Library()


@register.simple_tag
def extra_mentor_tabs():
    return [tab for tab in (fn() for fn in hooks.get_hooks("mentors_area_tabs")) if tab]
