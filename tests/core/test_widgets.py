"""The quick selects (core/widgets.py) write what Django's selects write, without a template per option."""

import pytest

from django import forms
from django.test.html import parse_html

from core.widgets import QuickNullBooleanSelect, QuickSelect

CHOICES = [("", "---"), ("1", "一 & <b>"), ("2", "二")]
GROUPED = [("", "---"), ("组", [("1", "一"), ("2", "二")])]


class Django(forms.Form):
    one = forms.ChoiceField(choices=CHOICES, required=False)
    grouped = forms.ChoiceField(choices=GROUPED, required=False)
    yes_no = forms.NullBooleanField()


class Quick(forms.Form):
    one = forms.ChoiceField(choices=CHOICES, required=False, widget=QuickSelect)
    grouped = forms.ChoiceField(choices=GROUPED, required=False, widget=QuickSelect)
    yes_no = forms.NullBooleanField(widget=QuickNullBooleanSelect)


@pytest.mark.parametrize(
    "data", [None, {"one": "2", "grouped": "1", "yes_no": "true"}, {"one": "x", "yes_no": "false"}]
)
@pytest.mark.parametrize("name", ["one", "grouped", "yes_no"])
def test_a_quick_select_writes_what_django_writes(data, name):
    assert parse_html(str(Quick(data)[name])) == parse_html(str(Django(data)[name]))


def test_what_a_label_says_is_escaped():
    assert "&lt;b&gt;" in str(Quick()["one"]) and "<b>" not in str(Quick()["one"])
