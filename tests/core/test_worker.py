"""Delivery through a real Celery worker consuming from Redis."""

import time

import pytest

from django.core import mail

from core import notifications
from core.models import Notification
from core.tasks import deliver_notification
from tests.factories import UserFactory
from tests.support.waiting import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_notification_is_delivered_once_by_a_real_worker(celery_worker):
    user = UserFactory(email="worker@example.com")
    n = notifications.notify(recipient=user, kind="test", title="欢迎加入孵化计划")
    assert wait_for(lambda: Notification.objects.get(pk=n.pk).delivered_at is not None)
    assert [m.subject for m in mail.outbox] == ["欢迎加入孵化计划"]

    # The same task again (a redelivery, a duplicate enqueue) changes nothing.
    deliver_notification.delay(n.pk)
    deliver_notification.delay(n.pk)
    time.sleep(1.5)
    assert len(mail.outbox) == 1
    assert Notification.objects.get(pk=n.pk).attempts == 1
