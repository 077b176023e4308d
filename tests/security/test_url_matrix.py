"""The security matrix: every URL pattern of our site, requested as each of seven people.

The patterns come from the resolver (`get_resolver()`, walked through every include), not from a
hand-kept list: see tests/security/matrix.py for what counts as ours and for the table of
entries. Each of our patterns must have an entry saying how to fill its arguments with real
objects (tests.support.world) and what each persona gets: a page (200), the login page, a 404,
another redirect, or 405 for a POST-only view. A new URL without an entry fails here.

Third-party URLs (Wagtail's own admin, the snippet and model viewsets built on Wagtail's generic
views, allauth, Wagtail documents) are not per-pattern entries: representative rule checks below
cover them (no admin page for people without admin access; our models' admin listings and
forms never leak to trainees or mentors and escape what people typed; allauth's pages answer).

Requests are GETs. For the POST-only and state-changing views, test_post_refused.py shows that
a POST by the wrong person changes nothing, and test_csrf.py that a POST without a CSRF token is
refused. Every page answered (200, HTML) is also checked for unescaped user text: the world is
filled with an XSS probe (tests.support.payloads.XSS).
"""

import pytest

from django.apps import apps
from django.urls import reverse

from tests.security.matrix import (
    ENTRIES,
    LOGIN,
    OK,
    OUR_APP_LABELS,
    PERSONAS,
    our_patterns,
    outcome,
    third_party_patterns,
)
from tests.support.payloads import RAW_MARKERS

pytestmark = pytest.mark.django_db

PATTERNS = our_patterns()


def assert_escaped(response, where: str) -> None:
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8", "replace")
    for marker in RAW_MARKERS:
        assert marker not in text, f"{where}: user text shown unescaped ({marker!r})"


def test_every_url_of_ours_has_a_security_entry():
    missing = [f"new URL without a security entry: {p.name} {p.route}" for p in PATTERNS if p.name not in ENTRIES]
    assert not missing, "\n".join(missing)


def test_the_matrix_covers_every_app_of_ours():
    names = {p.name.split(":")[0] for p in PATTERNS}
    for namespace in ("core", "courses", "mentors", "recruitment", "merchants", "recruitment_admin", "merchants_admin"):
        assert namespace in names, f"no URL of {namespace} found by walking the resolver"
    assert any(p.name.startswith("page:") for p in PATTERNS)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.name)
def test_each_url_answers_each_person_as_expected(pattern, persona, world, as_persona):
    entry = ENTRIES.get(pattern.name)
    if entry is None:
        pytest.fail(f"new URL without a security entry: {pattern.name} {pattern.route}")
    path = entry.path(pattern.name, world)
    response = as_persona(persona).get(path)
    got = outcome(response)
    wanted = entry.expected[persona]
    assert got == wanted, f"GET {path} as {persona}: expected {wanted}, got {got} ({response.get('Location', '')})"
    assert_escaped(response, f"GET {path} as {persona}")


# --- rule checks for third-party URLs -------------------------------------------------------------


@pytest.mark.parametrize("persona", ["anonymous", "trainee_a", "mentor_a"])
@pytest.mark.parametrize("name", ["wagtailadmin_home", "wagtailadmin_explore_root", "wagtailusers_users:index"])
def test_wagtail_admin_is_closed_to_people_without_admin_access(name, persona, world, as_persona):
    response = as_persona(persona).get(reverse(name))
    assert outcome(response) == LOGIN


@pytest.mark.parametrize("persona", ["office", "superuser"])
def test_the_office_reaches_the_admin(persona, world, as_persona):
    response = as_persona(persona).get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    assert_escaped(response, f"admin home as {persona}")


def _our_model_admin_views():
    """Admin views of Wagtail's generic viewsets (snippets, model viewsets) for OUR models."""
    found = []
    for name, route, callback in third_party_patterns():
        model = (getattr(callback, "view_initkwargs", None) or {}).get("model")
        if isinstance(model, str):
            model = apps.get_model(model)
        if model is None or model._meta.app_label not in OUR_APP_LABELS - {"incubator"}:
            continue
        if "choose" in name or "chooser" in name or "<str:" in route or "<slug:" in route:
            continue
        if route.count("<") > 1:
            continue
        found.append((name, route, model))
    return found


MODEL_ADMIN_VIEWS = _our_model_admin_views()


@pytest.mark.parametrize(("name", "route", "model"), MODEL_ADMIN_VIEWS, ids=[v[0] for v in MODEL_ADMIN_VIEWS])
def test_admin_views_of_our_models_are_for_the_office_only_and_escape_user_text(name, route, model, world, as_persona):
    kwargs = {}
    if "<" in route:
        obj = model.objects.order_by("pk").first()
        # Every admin page of an object of ours is opened: a model without a row in the world is
        # a gap of the world (tests/support/world.py), not a page to leave out.
        assert obj is not None, (
            f"no {model.__name__} in the world to open {name} with: add one to tests/support/world.py"
        )
        arg = route.split("<", 1)[1].split(">", 1)[0].split(":")[-1]
        kwargs[arg] = obj.pk
    path = reverse(name, kwargs=kwargs)
    for persona in ("anonymous", "trainee_a", "trainee_b", "mentor_a"):
        response = as_persona(persona).get(path)
        assert outcome(response) == LOGIN, f"GET {path} as {persona}: {response.status_code}"
    for persona in ("office", "superuser"):
        response = as_persona(persona).get(path)
        assert response.status_code < 500, f"GET {path} as {persona}: {response.status_code}"
        assert_escaped(response, f"GET {path} as {persona}")
    assert as_persona("superuser").get(path).status_code in (OK, 302)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("account_login", OK),
        ("account_signup", OK),
        ("account_reset_password", OK),
        ("account_change_password", LOGIN),
        ("account_email", LOGIN),
    ],
)
def test_allauth_pages_answer_anonymous_visitors(name, expected, world, as_persona):
    assert outcome(as_persona("anonymous").get(reverse(name))) == expected


def test_wagtail_documents_of_the_office_are_not_a_way_around_the_checks(world, as_persona):
    # Private uploads (submissions, certificates) are not Wagtail documents: an id that is not a
    # document is a 404 for everyone, whatever exists under that number elsewhere.
    for persona in ("anonymous", "trainee_b"):
        response = as_persona(persona).get(f"/documents/{world.file_a.pk}/photo.jpg")
        assert response.status_code == 404
