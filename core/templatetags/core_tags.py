from django import template
from django.utils.html import format_html

from core.models.bilingual import english_active
from core.phone import display_phone

register = template.Library()


@register.filter
def bilingual(obj, field: str = "title"):
    """The English variant of a field (`title_en`) when English is active and it is filled in."""
    if english_active():
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, field, "")


@register.filter
def phone(value):
    return display_phone(value or "")


@register.filter
def percent(value, total=None):
    """0..1 (or value/total) as a whole percentage for progress bars."""
    try:
        ratio = float(value) / float(total) if total is not None else float(value)
    except (TypeError, ValueError, ZeroDivisionError):
        return 0
    return max(0, min(100, round(ratio * 100)))


@register.simple_tag
def progress_bar(value, label=""):
    """An accessible progress bar; `value` is a whole percentage.

    Built in Python rather than an included template: lists show it once per course per person
    (a mentor's dashboard draws hundreds), and an inclusion costs a template render each.
    """
    value = int(value or 0)
    label_attribute = format_html(' aria-label="{}"', label) if label else ""
    # A native <progress>: no inline style, so the Content-Security-Policy needs no 'unsafe-inline'.
    return format_html(
        '<progress class="progress" max="100" value="{}"{}>{}%</progress><span class="progress-text">{}%</span>',
        value,
        label_attribute,
        value,
        value,
    )


@register.simple_tag(takes_context=True)
def parent_pageurl(context, page):
    """The URL of a page's parent, from the page's own URL: breadcrumbs without a tree query.

    Wagtail URLs follow the tree (a page's URL is its parent's plus its slug), so cutting the
    last segment gives the parent's URL, relative or absolute as the page's is.
    """
    url = page.get_url(context.get("request"))
    if not url:
        return ""
    trimmed = url.rstrip("/")
    return trimmed[: trimmed.rfind("/") + 1] or "/"
