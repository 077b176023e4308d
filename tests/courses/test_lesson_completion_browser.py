"""The "I have finished this lesson" button works offline (issue 19), in Debian's Chromium at a
phone's size: a trainee opens a real lesson online, loses the network, taps the button, is told
it is kept on the phone, and the lesson is complete once the connection returns (once)."""

import pytest

from courses import services
from courses.models import LessonProgress
from tests.factories import TraineeFactory
from tests.pages_factories import CoursePageFactory, LessonPageFactory, course_catalogue, home_page
from tests.support.waiting import wait_for

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's

pytestmark = [
    pytest.mark.browser,
]


@pytest.mark.django_db(transaction=True)
def test_finishing_a_lesson_offline_is_sent_when_the_connection_returns(phone):
    context, base = phone
    home_page()
    course = CoursePageFactory(parent=course_catalogue())
    lesson = LessonPageFactory(parent=course, title="看懂订单")
    trainee = TraineeFactory(real_name="向阿香")
    services.enroll(user=trainee, course=course)

    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", trainee.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_url(f"{base}/me/")
    url = f"{base}{lesson.url}"
    page.goto(url)
    controlled = "navigator.serviceWorker.controller !== null"
    assert wait_for(lambda: page.evaluate(controlled), timeout=15), "the service worker does not control the page"
    assert LessonProgress.objects.get(user=trainee, lesson=lesson).completed_at is None

    context.set_offline(True)
    page.click("form[data-offline-queue] button")
    page.wait_for_selector("#pwa-status .alert")
    assert "已保存在这部手机上" in page.inner_text("#pwa-status")
    assert LessonProgress.objects.get(user=trainee, lesson=lesson).completed_at is None

    context.set_offline(False)
    page.goto(url)

    def completed():
        return LessonProgress.objects.get(user=trainee, lesson=lesson).completed_at is not None

    assert wait_for(completed, timeout=15), "the queued button press was not sent"
