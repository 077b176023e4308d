"""A text box that suggests values as one types: for a filter or a field with hundreds of
possible values (cohorts, villages), instead of a select that draws every option on every
request.

Without JavaScript it is a plain text box: what is typed is matched against the labels
(`matching_values`). With it (static/js/suggest.js), the browser's own suggestion list
(`<datalist>`) is filled from a small JSON view as the person types (`suggestions_response`).
"""

from django import forms
from django.http import JsonResponse
from django.utils.html import format_html

MAX_SUGGESTIONS = 20


class SuggestingTextInput(forms.TextInput):
    """A search box whose suggestions come from `url` (`?q=` what is typed so far)."""

    input_type = "search"

    def __init__(self, *, url, attrs=None):
        self.url = url
        super().__init__(attrs={"autocomplete": "off", **(attrs or {})})

    class Media:
        js = ["js/suggest.js"]

    def render(self, name, value, attrs=None, renderer=None):
        attrs = {**(attrs or {})}
        listing = f"{attrs.get('id') or name}-suggestions"
        attrs.update({"list": listing, "data-suggest": str(self.url)})
        return format_html('{}<datalist id="{}"></datalist>', super().render(name, value, attrs, renderer), listing)


def matching_values(choices, typed: str) -> list:
    """The values of the (value, label) choices whose label contains what was typed (any case);
    a number typed is taken as a value itself (links and exports made with the old selects)."""
    typed = (typed or "").strip()
    if not typed:
        return []
    if typed.isdigit():
        return [int(typed)]
    folded = typed.casefold()
    return [value for value, label in choices if folded in str(label).casefold()]


def suggestions_response(choices, typed: str) -> JsonResponse:
    """The labels that contain what was typed, at most MAX_SUGGESTIONS, as JSON."""
    folded = (typed or "").strip().casefold()
    labels = [str(label) for _value, label in choices if folded in str(label).casefold()] if folded else []
    return JsonResponse({"suggestions": list(dict.fromkeys(labels))[:MAX_SUGGESTIONS]})
