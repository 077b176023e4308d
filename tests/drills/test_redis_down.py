"""Drill: Redis stops while a trainee completes a lesson.

The request must still succeed (the lesson and the course are recorded as complete, the trainee
is sent back to the lesson, with the cache on the same Redis answering as empty): the notification "you have
completed the course" is stored first and its delivery is enqueued on commit, failing fast and
quietly while the broker is down. Once Redis is back, the
sweep (`core.notifications.sweep_undelivered`, run by Celery beat every few minutes) enqueues it
again and a real worker delivers it, once.

This drill shuts the machine's Redis down (`redis-cli shutdown nosave`) and starts it again with
the command of scripts/ensure-services.sh, in a `finally`: other test runs using Redis at that
moment will see it vanish for a few seconds.
"""

import time
from datetime import timedelta

import pytest

from django.conf import settings
from django.core import mail

from core.models import Notification
from core.notifications import sweep_undelivered
from tests.factories import TraineeFactory
from tests.support.services import require_local_redis, require_postgres, start_redis, stop_redis
from tests.support.waiting import wait_for

pytestmark = [pytest.mark.drill, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def one_lesson_course():
    from wagtail.models import Site

    from courses.models import CoursePage, LessonPage
    from courses.services import refresh_course_totals

    root = Site.objects.get(is_default_site=True).root_page  # the page the site serves at /
    course = CoursePage(title="直播带货入门", slug="drill-course", summary="一课就学完", enrolment="open")
    root.add_child(instance=course)
    lesson = LessonPage(title="开播前的准备", slug="drill-lesson")
    course.add_child(instance=lesson)
    refresh_course_totals(course=course)
    course.refresh_from_db()
    return course, lesson


def test_a_lesson_completed_while_redis_is_down_is_announced_after_it_returns(client, settings_override_broker):
    from celery.contrib.testing.worker import start_worker

    from courses.services import enroll

    app, url = settings_override_broker
    course, lesson = one_lesson_course()
    trainee = TraineeFactory(email="xiaomei@example.com")
    enroll(user=trainee, course=course, source="self")
    client.force_login(trainee)

    try:
        stop_redis(url)
        started = time.monotonic()
        response = client.post(lesson.url, {"action": "complete"})  # the "我学完了" button
        elapsed = time.monotonic() - started
    finally:
        start_redis(url)

    assert response.status_code == 302
    assert elapsed < 10, f"the request waited {elapsed:.1f}s for the broker"
    notification = Notification.objects.get(recipient=trainee, kind="course-completed")
    assert notification.delivered_at is None
    assert mail.outbox == []
    from courses.models import Enrollment

    assert Enrollment.objects.get(user=trainee, course=course).completed_at is not None

    with start_worker(
        app, pool="solo", perform_ping_check=False, shutdown_timeout=10, queues=[settings.CELERY_TASK_DEFAULT_QUEUE]
    ):
        assert sweep_undelivered(min_age=timedelta(0)) == 1
        assert wait_for(lambda: Notification.objects.get(pk=notification.pk).delivered_at is not None, timeout=30)
        time.sleep(1)
    assert [message.subject for message in mail.outbox] == ["你已完成课程“直播带货入门”"]
    assert mail.outbox[0].to == ["xiaomei@example.com"]


@pytest.fixture
def settings_override_broker(settings):
    from incubator.celery import app

    require_postgres()
    url = require_local_redis()
    old = (app.conf.broker_url, app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.broker_url = url
    app.conf.task_always_eager = False
    app.conf.task_eager_propagates = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    # The cache on Redis too, as in production (sessions, roles, badges): it must miss, not fail.
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": url.rsplit("/", 1)[0] + "/14",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    try:
        yield app, url
    finally:
        app.conf.broker_url, app.conf.task_always_eager, app.conf.task_eager_propagates = old
        start_redis(url)
