"""A group message through a real Celery worker on Redis: the fan-out task creates one
notification per recipient, the delivery tasks send them, and the sender's counts follow."""

import pytest

from django.core import mail

from core import sms
from incubator.outreach.models import GroupMessage
from incubator.outreach.selectors.group_messages import delivery, sent_by
from incubator.outreach.services.group_messages import send_group_message
from tests.factories import OfficeFactory
from tests.outreach.factories import cohort_with, trainee_in
from tests.support.waiting import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

N = 7


def counts(message_id):
    found = delivery(sent_by(user=GroupMessage.objects.get(pk=message_id).sender).get(pk=message_id))
    return found.total, found.delivered, found.pending, found.failed


def test_a_group_message_reaches_every_recipient_through_a_real_worker(celery_worker, settings):
    settings.OUTREACH_FANOUT_CHUNK = 3  # three chunks for seven people
    cohort, _mentor, by_email = cohort_with(4)
    by_phone = [trainee_in(cohort, email="", phone=f"+861390000100{n}") for n in range(N - 4)]
    mail.outbox.clear()
    sms.outbox.clear()
    message = send_group_message(
        sender=OfficeFactory(), audience="cohort", cohort=cohort, title="明天上课", text="上午九点，村委会。"
    )
    assert wait_for(lambda: counts(message.pk) == (N, N, 0, 0), timeout=30), counts(message.pk)
    assert sorted(m.to[0] for m in mail.outbox if m.subject == "明天上课") == sorted(p.email for p in by_email)
    assert sorted(phone for phone, text in sms.outbox if "明天上课" in text) == sorted(p.phone for p in by_phone)
    assert GroupMessage.objects.get(pk=message.pk).fanned_out_at is not None


UNREACHABLE = "+8613900002000"
provider_down = {"now": True}


class ProviderDownForOneNumber(sms.LocmemSMSBackend):
    """The SMS provider cannot be reached for one number until `provider_down["now"]` is cleared."""

    def send(self, phone, template, params, text):
        if phone == UNREACHABLE and provider_down["now"]:
            raise sms.SMSError("provider unreachable")
        return super().send(phone, template, params, text)


def test_the_sender_sees_a_failed_delivery_then_the_worker_retries_it(celery_worker, settings):
    settings.SMS_BACKEND = f"{__name__}.ProviderDownForOneNumber"
    provider_down["now"] = True
    cohort, _mentor, _by_email = cohort_with(2)
    trainee_in(cohort, email="", phone=UNREACHABLE)
    message = send_group_message(
        sender=OfficeFactory(), audience="cohort", cohort=cohort, title="改期", text="改到周五。"
    )
    # Two by email delivered, the text message failed (the pipeline retries with backoff).
    assert wait_for(lambda: counts(message.pk) == (3, 2, 0, 1), timeout=30), counts(message.pk)
    provider_down["now"] = False
    assert wait_for(lambda: counts(message.pk) == (3, 3, 0, 0), timeout=60), counts(message.pk)
    assert UNREACHABLE in [phone for phone, text in sms.outbox if "改期" in text]
