"""The mentor area's tabs that higher apps add (`mentors_area_tabs` hook: fn() -> (key, label, url)),
and a trainee's courses with their progress, as the dashboard lists them."""

from django import template
from django.utils.html import format_html, format_html_join

from wagtail import hooks

from core.templatetags.core_tags import bilingual, progress_bar

register = template.Library()


@register.simple_tag
def extra_mentor_tabs():
    return [tab for tab in (fn() for fn in hooks.get_hooks("mentors_area_tabs")) if tab]


@register.simple_tag
def course_progress(items, empty):
    """Each course of a trainee's row, its title and its progress bar (`empty`, the words for a
    trainee without one). Written in Python, not a loop in the template: the dashboard draws one
    per course per trainee (some two hundred at county scale), each with two filters and a tag."""
    if not items:
        return format_html('<p class="meta">{}</p>', empty)
    titled = ((bilingual(item.course, "title"), item.percent) for item in items)
    return format_html_join(
        "\n",
        '<div class="course-progress"><span class="meta">{}</span> {}</div>',
        ((title, progress_bar(percent, title)) for title, percent in titled),
    )
