import pytest

from django.core import mail
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core import notifications, sms
from core.models import Notification, SMSMessage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_notify_stores_then_delivers_by_email_after_commit():
    user = UserFactory(email="a@example.com")
    with transaction.atomic():
        n = notifications.notify(recipient=user, kind="test", title="您的申请已受理", body="请留意短信。", url="/me/")
        assert mail.outbox == []  # nothing leaves before the commit
    n.refresh_from_db()
    assert n.delivered_at is not None
    assert n.channel == Notification.Channel.EMAIL
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "您的申请已受理"
    assert "http://testserver/me/" in mail.outbox[0].body


def test_a_rolled_back_transaction_sends_nothing():
    user = UserFactory(email="a@example.com")
    with pytest.raises(RuntimeError), transaction.atomic():
        notifications.notify(recipient=user, kind="test", title="x")
        raise RuntimeError
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_phone_only_person_gets_an_sms():
    user = UserFactory(email="", phone="+8613800138000")
    notifications.notify(recipient=user, kind="test", title="任务已通过")
    assert sms.outbox and sms.outbox[-1][0] == "+8613800138000"
    assert "任务已通过" in sms.outbox[-1][1]


def test_text_is_rendered_in_the_recipients_language():
    user = UserFactory(preferred_language="en")
    n = notifications.notify(recipient=user, kind="test", title=_("Notifications"))
    assert n.title == "Notifications"
    user_zh = UserFactory(preferred_language="zh-hans")
    n = notifications.notify(recipient=user_zh, kind="test", title=_("Notifications"))
    assert n.title == "通知"


def test_delivering_twice_delivers_once():
    user = UserFactory(email="a@example.com")
    n = notifications.notify(recipient=user, kind="test", title="一次")
    assert notifications.deliver(notification_id=n.pk) is False
    assert len(mail.outbox) == 1


def test_dedupe_key_makes_a_second_notify_a_no_op():
    user = UserFactory(email="a@example.com")
    first = notifications.notify(recipient=user, kind="digest", title="今日摘要", dedupe_key="digest:1:2026-11-29")
    second = notifications.notify(recipient=user, kind="digest", title="今日摘要", dedupe_key="digest:1:2026-11-29")
    assert first.pk == second.pk
    assert len(mail.outbox) == 1


def test_the_sweep_resends_a_notification_whose_enqueue_failed(monkeypatch):
    from datetime import timedelta

    from core.tasks import deliver_notification

    user = UserFactory(email="a@example.com")
    real_apply_async = deliver_notification.apply_async

    def broker_down(*args, **kwargs):
        from kombu.exceptions import OperationalError

        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(deliver_notification, "apply_async", broker_down)
    n = notifications.notify(recipient=user, kind="test", title="待发送")
    n.refresh_from_db()
    assert n.delivered_at is None and mail.outbox == []

    monkeypatch.setattr(deliver_notification, "apply_async", real_apply_async)
    assert notifications.sweep_undelivered(min_age=timedelta(0)) == 1
    n.refresh_from_db()
    assert n.delivered_at is not None
    assert len(mail.outbox) == 1
    assert notifications.sweep_undelivered(min_age=timedelta(0)) == 0


def test_failed_sending_is_recorded_and_raised(settings):
    settings.SMS_BACKEND = "tests.core.test_notifications.FailingSMS"
    user = UserFactory(email="", phone="+8613800138000")
    n = Notification.objects.create(recipient=user, kind="t", title="x")
    with pytest.raises(sms.SMSError):
        notifications.deliver(notification_id=n.pk)
    n.refresh_from_db()
    assert n.attempts == 1 and "provider unavailable" in n.last_error and n.delivered_at is None
    [attempt] = n.sms_messages.all()
    assert (attempt.status, attempt.outcome) == (SMSMessage.Status.FAILED, SMSMessage.Outcome.ERROR)


class FailingSMS(sms.BaseSMSBackend):
    def send(self, phone, template, params, text):
        raise sms.SMSError("provider unavailable")


def test_notification_pages_show_only_my_own(client):
    me, other = UserFactory(), UserFactory()
    notifications.notify(recipient=me, kind="t", title="我的通知")
    notifications.notify(recipient=other, kind="t", title="别人的通知")
    client.force_login(me)
    html = client.get("/me/notifications/").content.decode()
    assert "我的通知" in html and "别人的通知" not in html
    client.post("/me/notifications/read/")
    assert Notification.objects.filter(recipient=me, read_at__isnull=True).count() == 0
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).count() == 1
