"""Browser policies: a Content-Security-Policy without inline script, enforced on the public site and
the signed-in area and report-only on Wagtail's admin; a Permissions-Policy on every response;
and no template of ours that would need inline script."""

import re
from pathlib import Path

import pytest

from django.urls import reverse

from tests.factories import OfficeFactory, TraineeFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


@pytest.fixture
def home(db):
    from incubator.demo import get_or_create_home

    return get_or_create_home()


def assert_enforced(response):
    assert "Content-Security-Policy-Report-Only" not in response
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_public_pages_enforce_the_policy(client, home):
    assert_enforced(client.get("/"))
    assert_enforced(client.get(reverse("account_login")))


def test_the_signed_in_area_enforces_the_policy(client):
    client.force_login(TraineeFactory())
    assert_enforced(client.get(reverse("core:me")))
    assert_enforced(client.get(reverse("mfa_index")))


def test_the_admin_gets_the_policy_report_only(client):
    client.force_login(OfficeFactory())
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response
    assert directives(response["Content-Security-Policy-Report-Only"])["script-src"] == ["'self'"]


def test_every_response_has_a_permissions_policy(client, home):
    client.force_login(OfficeFactory())
    for path in ("/", "/admin/", reverse("core:me"), "/healthz"):
        policy = client.get(path)["Permissions-Policy"]
        assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy


OUR_TEMPLATE_DIRS = [ROOT / "templates", *[p for p in ROOT.glob("*/templates") if p.parent.name != ".venv"]]
OUR_TEMPLATE_DIRS += list((ROOT / "incubator").glob("*/templates"))
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(ld\+)?json\")[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"<[^>]+\sstyle\s*=", re.I)


def our_templates():
    for folder in OUR_TEMPLATE_DIRS:
        yield from folder.rglob("*.html")


def test_no_template_of_the_site_needs_inline_script_or_style():
    offending = []
    for path in our_templates():
        text = path.read_text(encoding="utf-8")
        admin = "/admin/" in path.as_posix() or "wagtailadmin" in path.as_posix()
        if INLINE_SCRIPT.search(text) or INLINE_HANDLER.search(text):
            offending.append(f"{path.relative_to(ROOT)}: inline script")
        if not admin and INLINE_STYLE.search(text):
            offending.append(f"{path.relative_to(ROOT)}: inline style")
    assert not offending, "\n".join(offending)


def test_no_html_built_in_python_carries_inline_style_or_script():
    offending = []
    for package in ("core", "courses", "mentors", "incubator"):
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts or "/admin" in path.as_posix():
                continue
            text = path.read_text(encoding="utf-8")
            if INLINE_STYLE.search(text) or INLINE_HANDLER.search(text) or INLINE_SCRIPT.search(text):
                offending.append(str(path.relative_to(ROOT)))
    assert not offending, offending
