import re

import pytest

from django.urls import reverse

from core import sms
from core.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

STRONG = "Orange-Grove-2026"


def signup(client, **data):
    payload = {"real_name": "向小梅", "phone": "", "email": "", "password1": STRONG, "password2": STRONG}
    payload.update(data)
    return client.post(reverse("account_signup"), payload)


def test_signup_by_phone_sends_a_code_and_verifies_it(client):
    response = signup(client, phone="138 0013 8000")
    assert response.status_code == 302
    user = User.objects.get(phone="+8613800138000")
    assert user.real_name == "向小梅"
    assert user.phone_verified is False
    phone, message = sms.outbox[-1]
    assert phone == "+8613800138000"
    assert "验证码" in message  # the SMS is in Chinese
    code = re.search(r"\d{6}", message).group(0)
    response = client.get(response.url)
    assert response.status_code == 200
    response = client.post(reverse("account_verify_phone"), {"code": code})
    user.refresh_from_db()
    assert user.phone_verified is True


def test_signup_by_email_only(client):
    response = signup(client, email="xiaomei@example.com")
    assert response.status_code == 302
    user = User.objects.get(email="xiaomei@example.com")
    assert user.phone is None


def test_signup_needs_a_phone_or_an_email_and_keeps_what_was_typed(client):
    response = signup(client)
    assert response.status_code == 200
    html = response.content.decode()
    assert "请填写手机号码或电子邮箱" in html
    assert "向小梅" in html  # the typed name is still in the form


def test_signup_rejects_a_malformed_phone_in_chinese(client):
    response = signup(client, phone="12345")
    assert response.status_code == 200
    html = response.content.decode()
    assert "请输入有效的手机号码" in html
    assert 'value="12345"' in html
    assert not User.objects.exists()


def test_signup_rejects_a_taken_phone(client):
    UserFactory(phone="+8613800138000")
    response = signup(client, phone="13800138000", email="other@example.com")
    assert response.status_code == 200
    html = response.content.decode()
    assert "该手机号码已注册" in html
    assert 'value="other@example.com"' in html
    assert User.objects.filter(phone="+8613800138000").count() == 1


def test_signup_rejects_a_weak_password_in_chinese(client):
    response = signup(client, phone="13800138001", password1="12345678", password2="12345678")
    assert response.status_code == 200
    html = response.content.decode()
    assert "密码" in html and ("常见" in html or "数字" in html)
    assert 'value="13800138001"' in html


def test_login_by_phone_in_local_format(client):
    UserFactory(phone="+8613800138002", phone_verified=True, email="")
    response = client.post(reverse("account_login"), {"login": "13800138002", "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert client.get(reverse("core:me")).status_code == 200


def test_login_by_email(client):
    user = UserFactory(email="mentor@example.com")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    response = client.post(
        reverse("account_login"), {"login": "mentor@example.com", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert client.get(reverse("core:me")).status_code == 200


def test_wrong_password_message_is_chinese(client):
    UserFactory(phone="+8613800138003", phone_verified=True)
    response = client.post(reverse("account_login"), {"login": "13800138003", "password": "nope-nope-nope"})
    assert response.status_code == 200
    assert "手机号码或密码不正确" in response.content.decode()


def test_login_is_rate_limited(client):
    UserFactory(phone="+8613800138004", phone_verified=True)
    statuses = [
        client.post(reverse("account_login"), {"login": "13800138004", "password": f"wrong-{i}"}).status_code
        for i in range(8)
    ]
    last = client.post(reverse("account_login"), {"login": "13800138004", "password": "correct-horse-battery"})
    assert 200 in statuses
    assert last.status_code in (200, 429)
    assert client.get(reverse("core:me")).status_code == 302  # still not signed in


def test_a_phone_only_person_who_forgot_the_password_signs_in_with_an_sms_code(client):
    UserFactory(phone="+8613800138005", phone_verified=True, email="")
    response = client.post(reverse("account_request_login_code"), {"phone": "13800138005"})
    assert response.status_code == 302
    phone, message = sms.outbox[-1]
    assert phone == "+8613800138005"
    code = re.search(r"\d{6}", message).group(0)
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("core:me")).status_code == 200


def test_unknown_pages_get_the_chinese_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
