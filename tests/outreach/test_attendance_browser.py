"""Taking attendance on a phone (360x740, Debian's Chromium): the mentor who runs a class signs in,
opens it from "My classes", marks each trainee with a thumb-sized choice and saves; the trainee who
missed this class and the one before shows as at risk on the mentor's list. The office takes it
on a phone too, in the admin."""

import pytest

from incubator.outreach.models import Attendance
from tests.factories import OfficeFactory
from tests.outreach.factories import cohort_with, mark, session

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's

pytestmark = [
    pytest.mark.browser,
]


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


def test_the_office_takes_attendance_on_a_phone_in_the_admin(phone):
    context, base = phone
    cohort, mentor, (came, missed) = cohort_with(2)
    today = session(cohort, led_by=mentor, topic="直播带货")
    office = OfficeFactory()

    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", office.email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("form[action='/accounts/login/'] button[type=submit]")
    page.goto(f"{base}/admin/outreach/classes/{today.pk}/attendance/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    for person, status in ((came, "present"), (missed, "excused")):
        option = page.locator(f"input[name=t{person.pk}][value={status}]").locator("xpath=..")
        assert option.bounding_box()["height"] >= 44  # a label the thumb can hit, not a bare radio
        option.tap()
    with page.expect_navigation():
        page.click("form.attendance button[type=submit]")
    assert page.url.endswith("/admin/outreach/classes/")
    assert dict(Attendance.objects.filter(session=today).values_list("trainee_id", "status")) == {
        came.pk: "present",
        missed.pk: "excused",
    }
