"""The daily digest through a real Celery worker on Redis: twice enqueued, once sent."""

import time

import pytest

from django.core import mail

from core.models import Notification
from mentors import tasks
from tests.support.waiting import wait_for

from .factories import assign, make_mentor

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_digest_enqueued_twice_is_sent_once(celery_worker):
    mentor = make_mentor()
    assign(mentor, days_ago=30)  # a trainee with no activity since assigned: at risk

    tasks.send_daily_digests.delay()
    tasks.send_daily_digests.delay()

    def delivered():
        return Notification.objects.filter(recipient=mentor, kind="mentor-digest", delivered_at__isnull=False).exists()

    assert wait_for(delivered)
    time.sleep(1.5)  # give the second run time to (not) send another
    assert Notification.objects.filter(recipient=mentor, kind="mentor-digest").count() == 1
    assert [m.subject for m in mail.outbox] == ["今日导师提醒"]
