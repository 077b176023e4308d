"""Every door is locked the same way: each view that accepts a password or a code is rate limited.

The doors are found by walking the resolver (every URL pattern, ours and third-party), not by a
hand-kept list: a pattern is a door when its name or route looks like one (login, password, code,
2fa, verification, invitation ...), when its view's form takes a password or a code, or when its
page, opened by a visitor or a signed-in trainee, shows a password or a code field. Each door must
be in DOORS, with a test that proves its limit by hammering it (the limits are tightened for the
test, so that a few requests show that the view counts them), or in NOT_DOORS with the reason
it is not one. A new login-like URL without either fails here.

Wagtail's own login and password-reset views are still in Wagtail's URLconfs but shadowed: their
addresses answer with allauth's login (or 404), which the provers show as well.
"""

from __future__ import annotations

import re
import time

import pytest
from allauth.mfa.models import Authenticator

from django import forms
from django.contrib.auth import authenticate
from django.urls import Resolver404, get_resolver, resolve, reverse

from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from core import roles, sms
from tests.factories import UserFactory
from tests.security.matrix import _walk

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
TOO_MANY = "登录失败次数过多，请稍后重试。"
LOGIN_LIKE = re.compile(
    r"login|logon|password|passwd|code|2fa|mfa|totp|recovery|webauthn|passkey|reauth|verify|invitation|invite|token|key|signup",
    re.I,
)
SECRET_FIELDS = {"password", "password1", "password2", "oldpassword", "code", "otp", "token", "key"}
SECRET_INPUT = re.compile(r'<input[^>]+(type="password"|name="(code|otp|token)")', re.I)


# --- what the resolver has ------------------------------------------------------------------


def _sample_path(route: str) -> str | None:
    """A concrete path for a route, or None when it cannot be filled without real objects."""
    if "(?P" in route or "^" in route:
        return None
    path = re.sub(r"<int:[^>]+>", "1", route)
    return None if "<" in path else "/" + path


def _reachable(route: str, callback) -> bool:
    """False for a pattern shadowed by an earlier one with the same address (Wagtail's own login)."""
    path = _sample_path(route)
    if path is None:
        return True
    try:
        return resolve(path).func is callback
    except Resolver404:
        return True


def _form_takes_a_secret(callback) -> bool:
    view_class = getattr(callback, "view_class", None)
    form_class = getattr(view_class, "form_class", None)
    if not (isinstance(form_class, type) and issubclass(form_class, forms.BaseForm)):
        return False
    return any(
        name in SECRET_FIELDS or isinstance(field.widget, forms.PasswordInput)
        for name, field in form_class.base_fields.items()
    )


def all_patterns():
    return [(name, route, callback) for name, route, callback in _walk(get_resolver()) if name]


def door_candidates() -> dict[str, str]:
    found = {}
    for name, route, callback in all_patterns():
        if not _reachable(route, callback):
            continue
        if LOGIN_LIKE.search(name) or LOGIN_LIKE.search(route) or _form_takes_a_secret(callback):
            found.setdefault(name, route)
    return found


# --- how each door proves its limit ---------------------------------------------------------


def tighten(settings, **limits):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, **limits}


def text(response) -> str:
    return response.content.decode("utf-8", "replace")


def refused(response) -> bool:
    return response.status_code == 429 or TOO_MANY in text(response)


def signed_in(client) -> bool:
    return client.get(reverse("core:me")).status_code == 200


def sign_in(client, user):
    """Through allauth's form, as a person does (so that allauth records a fresh authentication)."""
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, text(response)


def with_totp(user):
    """Give the person an authenticator app; return a function that reads its current code."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, hotp_value

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return lambda: f"{hotp_value(secret, int(time.time()) // 30):06d}"


def wrong_code(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def prove_account_login(client, settings):
    tighten(settings, login_failed="10/m/ip,2/5m/key")
    user = UserFactory(email="door@example.com")
    for _ in range(2):
        assert not refused(client.post(reverse("account_login"), {"login": user.email, "password": "wrong"}))
    assert refused(client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD}))
    assert not signed_in(client)


def prove_wagtail_login_is_allauths(name):
    def prove(client, settings):
        tighten(settings, login_failed="10/m/ip,2/5m/key")
        office = UserFactory(email="office-door@example.com", role=roles.OFFICE)
        # The old form's fields, with the generated username and the right password: no way in.
        response = client.post(reverse(name), {"username": office.username, "password": PASSWORD, "next": "/admin/"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        assert not signed_in(client)
        # Its address is allauth's login, so allauth's lock holds there too.
        for _ in range(2):
            client.post(reverse("account_login"), {"login": office.email, "password": "wrong"})
        assert refused(client.post(reverse("account_login"), {"login": office.email, "password": PASSWORD}))
        assert client.get(reverse(name) + "?next=/admin/pages/")["Location"] == (
            reverse("account_login") + "?next=/admin/pages/"
        )

    return prove


def prove_wagtail_password_reset_is_closed(name, kwargs=None):
    def prove(client, settings):
        UserFactory(email="office-reset@example.com", role=roles.OFFICE)
        url = reverse(name, kwargs=kwargs)
        assert client.get(url).status_code == 404
        assert client.post(url, {"email": "office-reset@example.com"}).status_code == 404

    return prove


def prove_signup(client, settings):
    tighten(settings, signup="2/m/ip")
    statuses = [client.post(reverse("account_signup"), {"email": "x"}).status_code for _ in range(3)]
    assert statuses[-1] == 429


def prove_reauthenticate(client, settings):
    tighten(settings, reauthenticate="2/m/user")
    client.force_login(UserFactory())
    responses = [client.post(reverse("account_reauthenticate"), {"password": "wrong"}) for _ in range(3)]
    assert not refused(responses[0]) and refused(responses[-1])


def prove_change_password(client, settings):
    tighten(settings, change_password="2/m/user")
    client.force_login(UserFactory())
    data = {"oldpassword": "wrong", "password1": "a-new-long-passw0rd", "password2": "a-new-long-passw0rd"}
    responses = [client.post(reverse("account_change_password"), data) for _ in range(3)]
    assert not refused(responses[0]) and refused(responses[-1])


def prove_set_password(client, settings):
    tighten(settings, change_password="2/m/user")
    user = UserFactory()
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    data = {"password1": "a-new-long-passw0rd", "password2": "different-passw0rd"}
    responses = [client.post(reverse("account_set_password"), data) for _ in range(3)]
    assert not refused(responses[0]) and refused(responses[-1])


def prove_reset_password(client, settings):
    tighten(settings, reset_password="20/m/ip,2/m/key")
    UserFactory(email="forgot@example.com")
    responses = [client.post(reverse("account_reset_password"), {"email": "forgot@example.com"}) for _ in range(3)]
    assert not refused(responses[0]) and refused(responses[-1])


def prove_reset_password_from_key(client, settings):
    tighten(settings, reset_password_from_key="2/m/ip")
    user = UserFactory()
    url = reverse("account_reset_password_from_key", kwargs={"uidb36": "1", "key": "guess"})
    data = {"password1": "a-new-long-passw0rd", "password2": "a-new-long-passw0rd"}
    responses = [client.post(url.replace("1-", f"{user.pk}-"), data) for _ in range(3)]
    assert refused(responses[-1])
    assert not signed_in(client)


def prove_request_login_code(client, settings):
    tighten(settings, request_login_code="20/m/ip,2/m/key")
    UserFactory(phone="+8613800139101", phone_verified=True, email="")
    for _ in range(3):
        client.post(reverse("account_request_login_code"), {"phone": "13800139101"})
        client.cookies.clear()
    assert len([m for phone, m in sms.outbox if phone == "+8613800139101"]) == 2


def _code_from_sms(phone: str) -> str:
    return re.search(r"\d{6}", [m for p, m in sms.outbox if p == phone][-1]).group()


def prove_confirm_login_code(client, settings):
    UserFactory(phone="+8613800139102", phone_verified=True, email="")
    client.post(reverse("account_request_login_code"), {"phone": "13800139102"})
    code = _code_from_sms("+8613800139102")
    for _ in range(3):  # allauth's ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS
        client.post(reverse("account_confirm_login_code"), {"code": wrong_code(code)})
    client.post(reverse("account_confirm_login_code"), {"code": code})
    assert not signed_in(client)


def prove_verify_phone(client, settings):
    response = client.post(
        reverse("account_signup"),
        {
            "real_name": "王小梅",
            "phone": "13800139103",
            "password1": "a-new-long-passw0rd",
            "password2": "a-new-long-passw0rd",
        },
    )
    assert response.status_code == 302
    code = _code_from_sms("+8613800139103")
    for _ in range(3):  # allauth's ACCOUNT_PHONE_VERIFICATION_MAX_ATTEMPTS
        client.post(reverse("account_verify_phone"), {"code": wrong_code(code)})
    client.post(reverse("account_verify_phone"), {"code": code})
    from core.models import User

    assert not User.objects.get(phone="+8613800139103").phone_verified
    assert not signed_in(client)


def prove_mfa_authenticate(client, settings):
    tighten(settings, login_failed="10/m/ip,2/5m/key")
    user = UserFactory(email="two-factor@example.com")
    code = with_totp(user)
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"].startswith(reverse("mfa_authenticate"))
    for _ in range(2):
        client.post(reverse("mfa_authenticate"), {"code": wrong_code(code())})
    client.post(reverse("mfa_authenticate"), {"code": code()})
    assert not signed_in(client)


def prove_mfa_reauthenticate(client, settings):
    tighten(settings, login_failed="10/m/ip,2/5m/key")
    user = UserFactory(email="two-factor-re@example.com")
    code = with_totp(user)
    client.force_login(user)
    responses = [client.post(reverse("mfa_reauthenticate"), {"code": wrong_code(code())}) for _ in range(2)]
    responses.append(client.post(reverse("mfa_reauthenticate"), {"code": code()}))
    assert not refused(responses[0])
    assert responses[-1].status_code == 200  # the right code is refused now: the form again, with the lock


def prove_mfa_activate_totp(client, settings):
    from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, hotp_value

    tighten(settings, login_failed="10/m/ip,2/5m/key")
    user = UserFactory(email="activate@example.com")
    client.force_login(user)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    right = lambda: f"{hotp_value(secret, int(time.time()) // 30):06d}"  # noqa: E731
    for _ in range(2):
        client.post(reverse("mfa_activate_totp"), {"code": wrong_code(right())})
    client.post(reverse("mfa_activate_totp"), {"code": right()})
    assert not Authenticator.objects.filter(user=user).exists()


def _shared_password_page():
    from incubator.demo import get_or_create_home

    page = get_or_create_home()
    return page, PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="shared-secret"
    )


def prove_page_password(client, settings):
    tighten(settings, page_password="10/m/ip,2/h/key")
    page, restriction = _shared_password_page()
    url = reverse(
        "wagtailcore_authenticate_with_password",
        kwargs={"page_view_restriction_id": restriction.pk, "page_id": page.pk},
    )
    statuses = [client.post(url, {"password": "guess", "return_url": "/"}).status_code for _ in range(2)]
    assert 429 not in statuses
    response = client.post(url, {"password": "shared-secret", "return_url": "/"})
    assert response.status_code == 429


def prove_document_password(client, settings):
    tighten(settings, page_password="10/m/ip,2/h/key")
    collection = Collection.get_first_root_node().add_child(name="私密文件")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.PASSWORD, password="shared-secret"
    )
    url = reverse("wagtaildocs_authenticate_with_password", kwargs={"restriction_id": restriction.pk})
    for _ in range(2):
        assert client.post(url, {"password": "guess", "return_url": "/"}).status_code != 429
    assert client.post(url, {"password": "shared-secret", "return_url": "/"}).status_code == 429


def prove_mentor_invitation(client, settings):
    from mentors import invitations

    tighten(settings, mentor_invitation="2/m/ip")
    sent = invitations.invite_mentor(real_name="新导师", email="new-mentor-door@example.com")
    data = {"decision": "accept", "password1": "short", "password2": "different"}
    statuses = [client.post(sent.link, data).status_code for _ in range(2)]
    assert 429 not in statuses
    good = {"decision": "accept", "password1": "a-new-long-passw0rd", "password2": "a-new-long-passw0rd"}
    assert client.post(sent.link, good).status_code == 429
    assert not signed_in(client)


DOORS = {
    "account_login": prove_account_login,
    "mentors:invitation": prove_mentor_invitation,
    "wagtailadmin_login": prove_wagtail_login_is_allauths("wagtailadmin_login"),
    "wagtailcore_login": prove_wagtail_login_is_allauths("wagtailcore_login"),
    "wagtailadmin_password_reset": prove_wagtail_password_reset_is_closed("wagtailadmin_password_reset"),
    "wagtailadmin_password_reset_done": prove_wagtail_password_reset_is_closed("wagtailadmin_password_reset_done"),
    "wagtailadmin_password_reset_confirm": prove_wagtail_password_reset_is_closed(
        "wagtailadmin_password_reset_confirm", {"uidb64": "MQ", "token": "set-password"}
    ),
    "wagtailadmin_password_reset_complete": prove_wagtail_password_reset_is_closed(
        "wagtailadmin_password_reset_complete"
    ),
    "account_signup": prove_signup,
    "account_reauthenticate": prove_reauthenticate,
    "account_change_password": prove_change_password,
    "account_set_password": prove_set_password,
    "account_reset_password": prove_reset_password,
    "account_reset_password_from_key": prove_reset_password_from_key,
    "account_request_login_code": prove_request_login_code,
    "account_confirm_login_code": prove_confirm_login_code,
    "account_verify_phone": prove_verify_phone,
    "mfa_authenticate": prove_mfa_authenticate,
    "mfa_reauthenticate": prove_mfa_reauthenticate,
    "mfa_activate_totp": prove_mfa_activate_totp,
    "wagtailcore_authenticate_with_password": prove_page_password,
    "wagtaildocs_authenticate_with_password": prove_document_password,
}

# Patterns that look like doors but take no password or code, each with why.
NOT_DOORS = {
    "core:sms_receipt": "the SMS providers' receipt push: a long random secret in the URL (SMS_RECEIPT_TOKEN), "
    "compared in constant time; it signs nobody in and only marks our sent messages delivered",
    "villages_admin:campaign_verify": "the office marks sales figures verified: no code, no password",
    "villages_admin:figure_verify": "the office marks a flagged sales figure verified: no code, no password",
    "account_logout": "signs out",
    "account_reset_password_done": "a notice that the email was sent",
    "account_reset_password_from_key_done": "a notice that the password was changed",
    "account_confirm_email": "a signed link (HMAC key), not a guessable code",
    "account_request_reauthentication_code": "sends a code to a signed-in person; the code is checked below",
    "account_confirm_reauthentication_code": "a signed-in person's code, allauth's per-code attempt limit",
    "mfa_index": "lists a signed-in person's second factors",
    "mfa_deactivate_totp": "a button behind reauthentication",
    "mfa_view_recovery_codes": "shows codes behind reauthentication",
    "mfa_generate_recovery_codes": "makes new codes behind reauthentication",
    "mfa_download_recovery_codes": "downloads codes behind reauthentication",
    "mfa_list_webauthn": "lists security keys",
    "mfa_add_webauthn": "a public-key signature, no secret to guess (behind reauthentication)",
    "mfa_reauthenticate_webauthn": "a public-key signature, no secret to guess",
    "mfa_remove_webauthn": "a button behind reauthentication",
    "mfa_edit_webauthn": "renames a security key",
    "socialaccount_login_cancelled": "WeChat sign-in: a notice",
    "socialaccount_login_error": "WeChat sign-in: a notice",
    "socialaccount_signup": "WeChat sign-in: name and email, no password",
    "weixin_login": "WeChat's own OAuth page takes the secret, not ours",
    "weixin_callback": "WeChat's OAuth callback: a one-time state checked by allauth",
    "merchants:certificate_verify": "a random 14-character code (31**14), public by design",
    "merchants:certificate_lookup": "the same public certificate codes, typed in",
    "merchants:certificate_pdf": "the holder's own file by its code, checked per person",
    "mentor_invitations:index": "the office's list of invitations (no tokens shown)",
    "mentor_assignment:group": "`key` names a cohort (office only), not a secret",
    "mentor_assignment:propose": "`key` names a cohort (office only), not a secret",
}


def test_every_door_found_by_walking_the_resolver_is_known():
    candidates = door_candidates()
    unknown = sorted(f"{name} ({route})" for name, route in candidates.items() if name not in DOORS | NOT_DOORS)
    assert not unknown, (
        "login-like URLs without a rate-limit test (add to DOORS) or a reason (NOT_DOORS):\n" + "\n".join(unknown)
    )
    assert "account_login" in candidates and "wagtailadmin_login" in candidates


def test_the_known_doors_still_exist():
    names = {name for name, _route, _callback in all_patterns()}
    assert not sorted((set(DOORS) | set(NOT_DOORS)) - names)


@pytest.mark.parametrize("persona", ["anonymous", "signed_in"])
def test_every_page_that_shows_a_password_or_code_field_is_a_known_door(client, persona):
    client.raise_request_exception = False  # WeChat's pages fail without its keys configured
    if persona == "signed_in":
        client.force_login(UserFactory())
    showing = []
    for name, route, callback in all_patterns():
        path = _sample_path(route)
        if path is None or path.startswith("/admin/") or "<" in route or not _reachable(route, callback):
            continue
        response = client.get(path)
        is_page = response.status_code == 200 and "html" in response.get("Content-Type", "")
        if is_page and SECRET_INPUT.search(text(response)) and name not in DOORS | NOT_DOORS:
            showing.append(f"{name} ({path})")
    assert not showing, "pages with a password or code field that no rate-limit test covers: " + ", ".join(showing)


@pytest.mark.parametrize("name", sorted(DOORS))
def test_the_limit_holds_on_each_door(name, client, settings):
    DOORS[name](client, settings)


def test_wagtails_shadowed_login_views_are_unreachable():
    """Wagtail's LoginView and the front-end login are still in its URLconfs, behind ours."""
    from core import security

    assert resolve("/admin/login/").func is security.login_through_allauth
    assert resolve("/_util/login/").func is security.login_through_allauth


def test_a_generated_username_is_never_a_way_in(client):
    user = UserFactory(phone="+8613800139104", phone_verified=False, email="")
    assert authenticate(username=user.username, password=PASSWORD) is None
    for name in ("wagtailadmin_login", "wagtailcore_login"):
        client.post(reverse(name), {"username": user.username, "password": PASSWORD})
        assert not signed_in(client)
    response = client.post(reverse("account_login"), {"login": user.username, "password": PASSWORD})
    assert not signed_in(client)
    assert response.status_code == 200


def test_an_unverified_phone_cannot_sign_in_with_its_password_alone(client):
    UserFactory(phone="+8613800139105", phone_verified=False, email="")
    response = client.post(reverse("account_login"), {"login": "13800139105", "password": PASSWORD})
    # allauth sends a code to verify the number first; the person is not signed in until then.
    assert not signed_in(client)
    assert response.status_code in (200, 302)
