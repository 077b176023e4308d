"""Guessing is slowed down: allauth's rate limits on failed logins, password resets and login codes.

The test settings keep the production limits that matter here (ACCOUNT_RATE_LIMITS):
login_failed "10/m/ip,5/5m/key", reset_password "20/m/ip,5/m/key"; login codes keep allauth's
default "20/m/ip,3/m/key". A forged X-Forwarded-For header does not give an attacker a fresh
address (no proxy is trusted unless configured).
"""

import re

import pytest

from django.core import mail
from django.urls import reverse

from core import sms
from tests.factories import UserFactory
from tests.support.production import shell_output

pytestmark = pytest.mark.django_db

TOO_MANY = "登录失败次数过多，请稍后重试。"
PASSWORD = "correct-horse-battery"


def login(client, who: str, password: str, **extra):
    return client.post(reverse("account_login"), {"login": who, "password": password}, **extra)


def signed_in(client) -> bool:
    return client.get(reverse("core:me")).status_code == 200


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client, settings):
    assert settings.ACCOUNT_RATE_LIMITS["login_failed"] == "10/m/ip,5/5m/key"
    UserFactory(email="meili@example.com")
    for attempt in range(5):
        response = login(client, "meili@example.com", f"wrong-{attempt}")
        assert response.status_code == 200
        assert TOO_MANY not in response.content.decode()
    response = login(client, "meili@example.com", PASSWORD)
    assert TOO_MANY in response.content.decode()
    assert not signed_in(client)


def test_the_lock_is_per_account_an_other_account_still_signs_in(client):
    UserFactory(email="locked@example.com")
    UserFactory(email="other@example.com")
    for attempt in range(5):
        login(client, "locked@example.com", f"wrong-{attempt}")
    assert TOO_MANY in login(client, "locked@example.com", PASSWORD).content.decode()
    response = login(client, "other@example.com", PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)


def test_ten_failures_from_one_address_stop_guessing_across_accounts(client):
    people = [UserFactory(email=f"p{n}@example.com") for n in range(12)]
    for n in range(10):
        response = login(client, people[n].email, "wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
        assert TOO_MANY not in response.content.decode()
    # An eleventh account, a new forged forwarding address: still the same client, still refused.
    response = login(client, people[10].email, PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert TOO_MANY in response.content.decode()
    assert not signed_in(client)
    # Someone else, from another address, is not affected.
    other = client.__class__(REMOTE_ADDR="192.0.2.77")
    assert login(other, people[11].email, PASSWORD).status_code == 302


def test_password_reset_emails_are_limited_per_address(client, settings):
    assert settings.ACCOUNT_RATE_LIMITS["reset_password"] == "20/m/ip,5/m/key"
    UserFactory(email="forgetful@example.com")
    statuses = [
        client.post(reverse("account_reset_password"), {"email": "forgetful@example.com"}).status_code for _ in range(6)
    ]
    assert statuses == [302] * 5 + [429]
    assert len(mail.outbox) == 5


def test_password_reset_requests_are_limited_per_client(client):
    people = [UserFactory(email=f"reset{n}@example.com") for n in range(21)]
    for person in people[:20]:
        response = client.post(reverse("account_reset_password"), {"email": person.email})
        assert response.status_code == 302
    response = client.post(reverse("account_reset_password"), {"email": people[20].email})
    assert response.status_code == 429
    assert len(mail.outbox) == 20


def test_probing_which_emails_have_an_account_is_rate_limited_too(client):
    pages = [
        client.post(reverse("account_reset_password"), {"email": f"probe{n}@example.com"}).content.decode()
        for n in range(25)
    ]
    assert any(TOO_MANY in page for page in pages)


def test_sms_login_codes_are_limited_per_phone(client):
    UserFactory(phone="+8613800139001", phone_verified=True, email="")
    responses = []
    for _ in range(4):
        responses.append(client.post(reverse("account_request_login_code"), {"phone": "13800139001"}))
        client.cookies.clear()  # a fresh session each time, as a script would
    assert [response.status_code for response in responses[:3]] == [302, 302, 302]
    assert responses[3].status_code == 200
    assert TOO_MANY in responses[3].content.decode()
    codes = [message for phone, message in sms.outbox if phone == "+8613800139001" and re.search(r"\d{6}", message)]
    assert len(codes) == 3


def test_probing_which_phones_have_an_account_is_rate_limited_too(client):
    pages = [
        client.post(reverse("account_request_login_code"), {"phone": f"1380013{n:04d}"}).content.decode()
        for n in range(25)
    ]
    assert any(TOO_MANY in page for page in pages)


def test_production_rate_limits_count_the_visitor_not_the_proxy():
    code = (
        "from django.test import RequestFactory\n"
        "from allauth.core.internal.httpkit import get_client_ip\n"
        "request = RequestFactory().get('/', REMOTE_ADDR='127.0.0.1', HTTP_X_FORWARDED_FOR='203.0.113.9')\n"
        "print(get_client_ip(request))\n"
    )
    assert shell_output(code) == "203.0.113.9"
