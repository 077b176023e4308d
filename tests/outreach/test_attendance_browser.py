"""Taking attendance on a phone (360x740, Debian's Chromium): the mentor who runs a class signs in,
opens it from "My classes", marks each trainee with a thumb-sized choice and saves; the trainee who
missed this class and the one before shows as at risk on the mentor's list."""

from pathlib import Path

import pytest

from django.db import connections

from incubator.outreach.models import Attendance
from tests.outreach.factories import cohort_with, mark, session

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's Chromium is not installed (apt-get install chromium)"),
]


@pytest.fixture
def phone(live_server, monkeypatch):
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"]
        )
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", has_touch=True)
        try:
            yield context, live_server.url
        finally:
            context.close()
            browser.close()
            connections.close_all()


def test_a_mentor_takes_attendance_on_a_phone(phone):
    context, base = phone
    cohort, mentor, (came, missed) = cohort_with(2)
    earlier = session(cohort, led_by=mentor, days_ago=7, topic="开网店")
    mark(earlier, came, "present")
    mark(earlier, missed, "absent")
    today = session(cohort, led_by=mentor, topic="拍好商品照片")

    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", mentor.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_url(f"{base}/me/")

    page.goto(f"{base}/mentor/classes/")
    page.click("text=拍好商品照片")
    page.wait_for_url(f"{base}/mentor/classes/{today.pk}/")
    # Nothing wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    for person, status in ((came, "present"), (missed, "absent")):
        choice = page.locator(f"input[name=t{person.pk}][value={status}]")
        box = choice.locator("xpath=..").bounding_box()
        assert box["height"] >= 44  # a thumb can hit the whole label
        choice.locator("xpath=..").tap()
    page.click("form.attendance button[type=submit]")
    page.wait_for_url(f"{base}/mentor/classes/")
    assert dict(Attendance.objects.filter(session=today).values_list("trainee_id", "status")) == {
        came.pk: "present",
        missed.pk: "absent",
    }
    page.goto(f"{base}/mentor/")
    at_risk = page.locator(".trainee-at-risk").all_inner_texts()
    assert len(at_risk) == 1 and missed.display_name in at_risk[0]
