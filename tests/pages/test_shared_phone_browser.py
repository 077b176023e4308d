"""A shared phone keeps nothing of the previous person (issue 12), in Debian's Chromium at a
phone's size: after signing out on the /accounts/logout/ page (not the header button), an
offline visit to /me/ shows nothing of who was signed in; and a "mark as read" that A queued
offline is never sent once A's session has ended and B signs in, while B's own is."""

import contextlib
import re
import time

import pytest

from django.core.signals import request_started

from core.middleware import REPLAY_HEADER, REPLAY_PERSON_HEADER, person_marker
from tests.factories import TraineeFactory
from tests.pages import views
from tests.support.waiting import wait_for

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's

pytestmark = [
    pytest.mark.browser,
]


def wsgi_name(header: str) -> str:
    return "HTTP_" + header.upper().replace("-", "_")


@pytest.fixture
def replays():
    """(path, person marker) of each outbox request the service worker sent (the live server runs
    in this process)."""
    seen = []

    def note(sender, environ, **kwargs):
        if environ.get(wsgi_name(REPLAY_HEADER)):
            seen.append((environ["PATH_INFO"], environ.get(wsgi_name(REPLAY_PERSON_HEADER))))

    request_started.connect(note, dispatch_uid="shared-phone-replays")
    yield seen
    request_started.disconnect(dispatch_uid="shared-phone-replays")


def sign_in(page, base, person):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", person.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_url(f"{base}/me/")


def stored(page, url) -> bool:
    return page.evaluate("(url) => caches.open('pages-v1').then((c) => c.match(url)).then((r) => !!r)", url)


def open_controlled(page, url):
    page.goto(url)
    # Polled from here: the site's Content-Security-Policy forbids evaluating strings in the page.
    controlled = "navigator.serviceWorker.controller !== null"
    assert wait_for(lambda: page.evaluate(controlled), timeout=15), "the service worker does not control the page"
    assert wait_for(lambda: stored(page, url), timeout=15), f"{url} was not stored for offline reading"


def shows_person(html: str) -> bool:
    """The first person's name or phone number (shown as "139 0717 0011") is on the page."""
    return "向阿香" in html or "13907170011" in re.sub(r"\s", "", html)


def offline_text(page, url) -> str:
    from playwright.sync_api import Error as PlaywrightError

    with contextlib.suppress(PlaywrightError):  # no worker left: the browser's "no connection" page
        page.goto(url)
    for _ in range(20):
        try:
            page.wait_for_load_state()
            return page.content()
        except PlaywrightError:  # still swapping in the error page
            time.sleep(0.2)
    return page.content()


@pytest.mark.django_db(transaction=True)
def test_after_signing_out_an_offline_phone_shows_nothing_of_the_previous_person(phone):
    context, base = phone
    person = TraineeFactory(real_name="向阿香", phone="+8613907170011", phone_verified=True)
    page = context.new_page()
    sign_in(page, base, person)
    lesson = f"{base}/test-pages/lesson/"
    open_controlled(page, lesson)

    page.goto(f"{base}/me/")
    assert "向阿香" in page.content()
    page.goto(f"{base}/me/profile/")
    assert "13907170011" in re.sub(r"\s", "", page.content())
    time.sleep(0.5)  # what the worker would store is stored by now
    assert not stored(page, f"{base}/me/") and not stored(page, f"{base}/me/profile/"), "a private page was stored"

    # The confirmation page's own form, not the header button (which asks the worker to forget).
    page.goto(f"{base}/accounts/logout/")
    page.click("main form[action='/accounts/logout/']:not([data-offline-forget]) button[type=submit]")
    page.wait_for_url(f"{base}/")
    # The lesson copy showed the person's header and progress: it is gone too.
    assert wait_for(lambda: not stored(page, lesson), timeout=10), "the previous person's lesson copy stayed"

    context.set_offline(True)
    for path in ("/me/", "/me/profile/", "/me/learning/"):
        assert not shows_person(offline_text(page, f"{base}{path}")), path


@pytest.mark.django_db(transaction=True)
def test_a_request_queued_offline_is_never_sent_for_the_next_person(phone, replays):
    context, base = phone
    first, second = TraineeFactory(real_name="向阿香"), TraineeFactory(real_name="田小兵")
    views.MARKED_BY.clear()
    lesson = f"{base}/test-pages/signed-in-lesson/"

    page = context.new_page()
    sign_in(page, base, first)
    open_controlled(page, lesson)
    context.set_offline(True)
    page.reload()
    page.click("form[data-offline-queue] button")
    page.wait_for_selector("#pwa-status .alert")
    assert "已保存在这部手机上" in page.inner_text("#pwa-status")

    # The first person's session ends without a sign-out (the browser closed, "keep me signed
    # in" unticked); the phone comes back online and the second person signs in.
    page.close()
    context.clear_cookies()
    context.set_offline(False)
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    # A page for nobody: the first person's copies and outbox are dropped, nothing is sent.
    assert wait_for(lambda: not stored(page, lesson), timeout=10), "the previous person's copy stayed"
    sign_in(page, base, second)
    # (Background Sync may have tried the first person's outbox as the connection returned,
    # before any page: the server refused it, as it names someone no longer signed in.)
    assert {person for _, person in replays} <= {person_marker(first)}
    sent_before = len(replays)
    open_controlled(page, lesson)
    time.sleep(2)
    assert views.MARKED_BY == [], "a request queued by the first person was sent for the second"
    assert len(replays) == sent_before, "the first person's outbox was sent while the second was signed in"

    # The second person's own queued request is sent, for them, once.
    context.set_offline(True)
    page.reload()
    page.click("form[data-offline-queue] button")
    page.wait_for_selector("#pwa-status .alert")
    context.set_offline(False)
    marked, theirs = views.MARKED_BY, [(second.username, "7")]
    assert wait_for(lambda: marked == theirs, timeout=15), f"sent: {marked}"
    time.sleep(1)
    assert marked == theirs, "sent more than once"
    assert {person for _, person in replays[sent_before:]} == {person_marker(second)}
