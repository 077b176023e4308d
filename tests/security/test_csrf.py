"""CSRF: every one of our URLs refuses a POST without a CSRF token (403), as the person who may
use it. The URLs are those of the security matrix (tests/security/matrix.py): a view made
`csrf_exempt`, or a new state-changing URL, shows up here by itself. allauth's forms (sign in,
sign up, password reset) and the Wagtail admin's are checked the same way.
"""

import pytest

from django.urls import reverse

from tests.security.matrix import ENTRIES, NOT_ALLOWED, OK, PERSONAS, our_patterns

pytestmark = pytest.mark.django_db

PATTERNS = [pattern for pattern in our_patterns() if pattern.name in ENTRIES]

# Views exempt from CSRF on purpose, each with why it is harmless (checked below).
EXEMPT_BY_DESIGN = {
    # core/views.py: the language switch keeps the token out of the footer so that anonymous
    # pages can be cached whole. A cross-site POST carries no session cookie (SameSite=Lax), so
    # a forged switch can only change the visitor's language cookie, never a stored profile.
    "core:set_language": "language switch",
    # core/security.py: browsers send violation reports without a token; the view only logs a
    # bounded, rate-limited line (test_the_exempt_csp_report_only_writes_the_log).
    "csp_report": "CSP violation reports",
    # core/sms/receipts.py: the SMS providers' servers push delivery receipts without a session;
    # the URL's secret token authenticates them (test_receipts_need_the_secret_token).
    "core:sms_receipt": "SMS delivery receipts",
}


def allowed_persona(entry) -> str:
    """The first persona who may use the URL (a POST-only view answers them 405 to a GET)."""
    for persona in PERSONAS:
        if entry.expected[persona] in (OK, NOT_ALLOWED):
            return persona
    return "superuser"


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.name)
def test_a_post_without_a_csrf_token_is_refused(pattern, world, as_persona):
    if pattern.name in EXEMPT_BY_DESIGN:
        pytest.skip(f"exempt by design ({EXEMPT_BY_DESIGN[pattern.name]}): see test_the_exempt_* below")
    entry = ENTRIES[pattern.name]
    persona = allowed_persona(entry)
    client = as_persona(persona, enforce_csrf_checks=True)
    path = entry.path(pattern.name, world)
    response = client.post(path, {"anything": "1"})
    assert response.status_code == 403, f"POST {path} as {persona} without a CSRF token: {response.status_code}"


@pytest.mark.parametrize(
    ("name", "persona"),
    [
        ("account_login", "anonymous"),
        ("account_signup", "anonymous"),
        ("account_reset_password", "anonymous"),
        ("account_logout", "trainee_a"),
        ("account_change_password", "trainee_a"),
        ("wagtailadmin_home", "office"),
        ("wagtailusers_users:add", "superuser"),
    ],
)
def test_third_party_forms_need_a_csrf_token_too(name, persona, world, as_persona):
    response = as_persona(persona, enforce_csrf_checks=True).post(reverse(name), {"login": "x", "password": "y"})
    assert response.status_code == 403


def test_a_post_with_the_token_gets_through(world, as_persona):
    """The control: the same kind of request with the page's token is not refused."""
    client = as_persona("trainee_a", enforce_csrf_checks=True)
    client.get(reverse("core:notifications"))
    token = client.cookies["csrftoken"].value
    response = client.post(reverse("core:notifications_mark_read"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_the_exempt_language_switch_changes_nothing_but_a_cookie(world, as_persona, settings):
    from core.models import User

    # Browsers send no session cookie with a cross-site POST: a forger is always anonymous here.
    assert settings.SESSION_COOKIE_SAMESITE in ("Lax", "Strict")
    before = dict(User.objects.values_list("pk", "preferred_language"))
    response = as_persona("anonymous", enforce_csrf_checks=True).post(
        reverse("core:set_language"), {"language": "en", "next": "https://evil.example.com/"}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert set(response.cookies) == {settings.LANGUAGE_COOKIE_NAME}
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME]["samesite"] == "Lax"
    assert dict(User.objects.values_list("pk", "preferred_language")) == before


def test_the_exempt_csp_report_only_writes_the_log(as_persona, caplog):
    import json

    client = as_persona("anonymous", enforce_csrf_checks=True)
    report = {"csp-report": {"violated-directive": "script-src", "blocked-uri": "inline", "document-uri": "/x/"}}
    with caplog.at_level("WARNING", logger="incubator.security"):
        response = client.post(reverse("csp_report"), json.dumps(report), content_type="application/csp-report")
    assert response.status_code == 204
    assert "CSP violation: script-src blocked inline on /x/" in caplog.text
    assert client.post(reverse("csp_report"), "not json", content_type="application/csp-report").status_code == 400
