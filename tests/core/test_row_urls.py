"""core.links.row_urls: each row's address from one reverse(), the same as reverse() gives."""

import pytest

from django.urls import NoReverseMatch, reverse
from django.utils import translation

from core.links import row_urls


@pytest.mark.parametrize("name", ["recruitment_admin:application_detail", "mentors:trainee"])
def test_row_urls_are_reverses_own_addresses(name):
    url_for = row_urls(name)
    for pk in (1, 42, 987_654_321, "17"):
        assert url_for(pk) == reverse(name, args=[pk])


def test_an_address_of_two_ids_is_not_a_rows():
    with pytest.raises(NoReverseMatch):
        row_urls("mentors:grant_attempts")


def test_row_urls_write_the_id_as_an_integer():
    url_for = row_urls("mentors:trainee")
    with pytest.raises(ValueError):
        url_for("1/../../admin")


def test_row_urls_follow_the_script_prefix_of_the_request(settings):
    from django.urls import set_script_prefix

    set_script_prefix("/county/")
    try:
        assert row_urls("mentors:trainee")(5) == reverse("mentors:trainee", args=[5])
        assert row_urls("mentors:trainee")(5).startswith("/county/")
    finally:
        set_script_prefix("/")
    with translation.override("en"):
        assert row_urls("mentors:trainee")(5) == reverse("mentors:trainee", args=[5])
