"""A shared phone keeps nothing of the previous person (issue 12): what the browser and the
service worker may store (Cache-Control), Clear-Site-Data on every way of signing out, the
person marker that tags the worker's copies and outbox, sessions that end with the browser
unless "keep me signed in" is ticked, and the office idle sign-out."""

import json
import re
import time

import pytest

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext

from core.account_forms import LoginForm
from core.middleware import (
    IDLE_SIGN_OUT_MESSAGE,
    LAST_ACTIVITY_KEY,
    PERSON_HEADER,
    REPLAY_HEADER,
    REPLAY_PERSON_HEADER,
    person_marker,
)
from courses import services
from tests.courses.factories import jpeg
from tests.factories import MentorFactory, OfficeFactory, TraineeFactory, UserFactory
from tests.pages_factories import CoursePageFactory, LessonPageFactory, course_catalogue

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
NO_STORE = "private, no-store"


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def meta_marker(response):
    found = re.search(r'<meta name="person" content="([^"]*)">', response.content.decode())
    return found.group(1) if found else None


@pytest.fixture
def lesson(db):
    course = CoursePageFactory(parent=course_catalogue())
    return LessonPageFactory(parent=course, task="<p>拍一张白底脐橙照片</p>", task_min_files=1)


# --- what may be stored --------------------------------------------------------------------------


def test_the_own_area_is_never_stored_and_names_its_person(client):
    person = TraineeFactory()
    client.force_login(person)
    for path in ("/me/", "/me/profile/", "/me/notifications/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Cache-Control"] == NO_STORE, path
        assert response[PERSON_HEADER] == person_marker(person), path


def test_the_mentor_area_is_never_stored(client):
    client.force_login(MentorFactory())
    response = client.get("/mentor/")
    assert response.status_code == 200
    assert response["Cache-Control"] == NO_STORE


def test_the_sign_in_pages_are_never_stored_even_for_nobody(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert response["Cache-Control"] == NO_STORE


def test_the_admin_is_never_stored(client):
    client.force_login(OfficeFactory())
    response = client.get("/admin/")
    assert response.status_code == 200
    assert response["Cache-Control"] == NO_STORE


def test_a_private_file_is_never_stored_whatever_its_view_said(client, lesson):
    trainee = TraineeFactory()
    services.enroll(user=trainee, course=lesson.get_parent().specific)
    submission = services.submit_task(user=trainee, lesson=lesson, files=[jpeg()])
    client.force_login(trainee)
    response = client.get(reverse("courses:submission_file", args=[submission.files.get().pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == NO_STORE
    assert PERSON_HEADER not in response  # the marker is for pages


def test_a_certificate_pdf_is_never_stored(client):
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from incubator.merchants.models import Certificate
    from tests.merchants.factories import make_cohort

    holder, cohort = TraineeFactory(), make_cohort()
    certificate = Certificate.objects.create(
        holder=holder,
        cohort=cohort,
        holder_name=holder.real_name,
        cohort_name=cohort.name,
        issued_on=timezone.localdate(),
    )
    certificate.pdf.save("c.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    client.force_login(holder)
    response = client.get(reverse("merchants:certificate_pdf", args=[certificate.code]))
    assert response.status_code == 200
    assert response["Cache-Control"] == NO_STORE


def test_a_lesson_is_private_for_a_signed_in_person_but_readable_offline(client, lesson):
    """Lessons stay storable (reading offline is the point) but never in a shared cache, and the
    worker's copy is tagged with its person; for nobody, the page is left public."""
    anonymous = client.get(lesson.url)
    assert anonymous.status_code == 200
    assert "private" not in directives(anonymous)
    assert anonymous[PERSON_HEADER] == ""

    person = TraineeFactory()
    client.force_login(person)
    response = client.get(lesson.url)
    assert response.status_code == 200
    assert "private" in directives(response)
    assert "no-store" not in directives(response)
    assert response[PERSON_HEADER] == person_marker(person)


def test_a_page_that_names_nobody_stays_public_without_a_marker(client):
    client.force_login(TraineeFactory())
    response = client.get("/offline/")
    assert "public" in directives(response) and "private" not in directives(response)
    assert PERSON_HEADER not in response
    assert meta_marker(response) is None


def test_the_service_worker_never_stores_what_the_setting_declares_private(client, settings):
    def never_stored():
        script = client.get("/sw.js").content.decode()
        return json.loads(script.split("const NEVER_STORED = ", 1)[1].split(";\n", 1)[0])

    assert set(settings.PRIVATE_PATH_PREFIXES) <= set(never_stored())
    settings.PRIVATE_PATH_PREFIXES = (*settings.PRIVATE_PATH_PREFIXES, "/shops-of-mine/")
    assert "/shops-of-mine/" in never_stored()
    assert client.get("/shops-of-mine/")["Cache-Control"] == NO_STORE


# --- the person marker ---------------------------------------------------------------------------


def test_the_marker_differs_per_person_is_stable_and_is_not_the_id(client, lesson, settings):
    first, second = UserFactory(), UserFactory()
    client.force_login(first)
    page = client.get(lesson.url)
    marker = page[PERSON_HEADER]
    assert marker and meta_marker(page) == marker
    assert re.fullmatch(r"[0-9a-f]{32}", marker) and marker != str(first.pk)
    assert client.get("/me/")[PERSON_HEADER] == marker

    client.force_login(second)
    other = client.get(lesson.url)
    assert other[PERSON_HEADER] not in ("", marker) and meta_marker(other) == other[PERSON_HEADER]

    settings.SECRET_KEY = "another-deployment"  # keyed with the secret: nobody can work it out
    assert person_marker(first) != marker


def test_nobody_has_an_empty_marker_even_from_the_anonymous_page_cache(client, settings, lesson):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    client.get(lesson.url)
    cached = client.get(lesson.url)
    assert cached["X-Page-Cache"] == "hit"
    assert cached[PERSON_HEADER] == "" and meta_marker(cached) == ""

    person = UserFactory()
    client.force_login(person)
    page = client.get(lesson.url)
    assert "X-Page-Cache" not in page
    assert meta_marker(page) == person_marker(person)


def test_a_request_queued_offline_by_someone_else_is_refused(client, lesson):
    queued_by, signed_in = TraineeFactory(), TraineeFactory()
    client.force_login(signed_in)
    replay = {f"HTTP_{REPLAY_HEADER.upper().replace('-', '_')}": "1"}
    person_header = f"HTTP_{REPLAY_PERSON_HEADER.upper().replace('-', '_')}"
    refused = client.get(lesson.url, **replay, **{person_header: person_marker(queued_by)})
    assert refused.status_code == 409
    assert client.get(lesson.url, **replay, **{person_header: person_marker(signed_in)}).status_code == 200


# --- signing out by any route clears the site's data ---------------------------------------------


def test_signing_out_on_the_confirmation_page_clears_the_site_data(client):
    client.force_login(UserFactory())
    assert "Clear-Site-Data" not in client.get("/me/")
    confirm = client.get(reverse("account_logout"))
    assert confirm.status_code == 200
    assert "Clear-Site-Data" not in confirm
    assert confirm["Cache-Control"] == NO_STORE

    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert client.get("/me/").status_code == 302  # signed out


def test_signing_out_of_the_admin_clears_the_site_data(client):
    client.force_login(OfficeFactory())
    response = client.post(reverse("wagtailadmin_logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert client.get("/admin/").status_code == 302


# --- sessions that end with the browser ----------------------------------------------------------


def test_keep_me_signed_in_is_offered_unticked_and_in_the_persons_language(client):
    html = client.get(reverse("account_login")).content.decode()
    checkbox = re.search(r"<input[^>]*name=\"remember\"[^>]*>", html).group(0)
    assert 'type="checkbox"' in checkbox and "checked" not in checkbox
    field = LoginForm().fields["remember"]
    assert gettext(str(field.label)) in html
    assert gettext(str(field.help_text)) in html


def login(client, person, **extra):
    response = client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD, **extra})
    assert response.status_code == 302
    return response.cookies[settings.SESSION_COOKIE_NAME]


def test_a_sign_in_without_keep_me_signed_in_ends_with_the_browser(client):
    cookie = login(client, UserFactory())
    assert cookie.value
    assert cookie["expires"] == "" and cookie["max-age"] == ""


def test_keep_me_signed_in_keeps_the_session_after_the_browser_closes(client):
    cookie = login(client, UserFactory(), remember="on")
    assert cookie["expires"] and int(cookie["max-age"]) == settings.SESSION_COOKIE_AGE


# --- the office idle sign-out --------------------------------------------------------------------


def idle_for(client, minutes: float) -> None:
    """Move the session's last activity back in time (no sleeping)."""
    session = client.session
    session[LAST_ACTIVITY_KEY] = int(time.time() - minutes * 60)
    session.save()


@pytest.mark.parametrize("make", [OfficeFactory, lambda: UserFactory(is_staff=True, is_superuser=True)])
def test_office_staff_are_signed_out_after_the_idle_period(client, make):
    client.force_login(make())
    assert LAST_ACTIVITY_KEY in client.session  # the clock starts at sign-in
    idle_for(client, settings.STAFF_SESSION_IDLE_MINUTES + 1)
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next=/admin/pages/"
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    login_page = client.get(response.url)
    assert str(IDLE_SIGN_OUT_MESSAGE) in login_page.content.decode()
    assert client.get("/admin/").status_code == 302


def test_office_activity_within_the_idle_period_keeps_the_session(client, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 10
    client.force_login(OfficeFactory())
    idle_for(client, 9)
    assert client.get("/admin/").status_code == 200
    assert time.time() - client.session[LAST_ACTIVITY_KEY] < 5  # the clock starts again
    idle_for(client, 11)
    assert client.get("/admin/").status_code == 302


def test_villagers_are_not_signed_out_for_being_idle(client):
    client.force_login(TraineeFactory())
    idle_for(client, 24 * 60)
    assert client.get("/me/").status_code == 200
