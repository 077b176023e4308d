"""No open redirects: a `next` address pointing to another site is replaced by one of ours."""

import pytest

from django.urls import reverse

pytestmark = pytest.mark.django_db

ELSEWHERE = ["https://evil.example.com/", "//evil.example.com/", "/\\evil.example.com/", "https:evil.example.com"]


def is_ours(location: str) -> bool:
    return location.startswith("/") and not location.startswith("//") and "evil" not in location


@pytest.mark.parametrize("target", ELSEWHERE)
def test_the_language_switch_never_sends_people_to_another_site(target, client):
    response = client.post(reverse("core:set_language"), {"language": "en", "next": target})
    assert response.status_code == 302
    assert is_ours(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", ELSEWHERE)
def test_signing_in_never_sends_people_to_another_site(target, client):
    from tests.factories import UserFactory

    UserFactory(email="next@example.com")
    response = client.post(
        reverse("account_login") + "?next=" + target,
        {"login": "next@example.com", "password": "correct-horse-battery", "next": target},
    )
    assert response.status_code == 302
    assert is_ours(response["Location"]), response["Location"]
