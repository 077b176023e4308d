"""Form widgets that cost less on pages drawn on every request.

Django writes each option of a select through two templates (the option and its attributes)
and builds a dictionary per option first: on the office's listings, whose filters offer a
hundred options, that was a fifth of the page. `QuickSelect` writes the same markup in Python.
Selects with option groups are left to Django.
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

SELECTED = mark_safe(" selected")  # noqa: S308 (a constant)


class QuickSelectMixin:
    def render(self, name, value, attrs=None, renderer=None):
        choices = list(self.choices)
        if any(isinstance(label, (list, tuple)) for _value, label in choices):
            return super().render(name, value, attrs, renderer)  # option groups: Django's templates
        chosen = self.format_value(value)
        chosen = {chosen} if isinstance(chosen, str) else {str(item) for item in chosen}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((str(option), SELECTED if str(option) in chosen else "", label) for option, label in choices),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(self.build_attrs(self.attrs, attrs)), options
        )


class QuickSelect(QuickSelectMixin, forms.Select):
    """A select of plain options, written without a template per option."""


class QuickNullBooleanSelect(QuickSelectMixin, forms.NullBooleanSelect):
    """Yes, no or either, written without a template per option."""
