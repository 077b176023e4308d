"""Text messages: sent as (template key, parameters), the way Chinese providers require.

    send_sms("+8613800138000", "verification_code", code="123456")

The key names a row of `core.SMSTemplate` (the text as registered with the providers and each
provider's template code); the backend named by SMS_BACKEND sends it: `LogSMSBackend` (the
embedded default: writes the real text to the log), `core.sms.tencent.TencentSMSBackend`,
`core.sms.aliyun.AliyunSMSBackend`, or `LocmemSMSBackend` in tests. Every attempt is a
`core.SMSMessage` row with its outcome; delivery receipts update it (core/sms/receipts.py).

No number gets more than SMS_LIMIT_PER_NUMBER_PER_HOUR messages an hour or
SMS_LIMIT_PER_NUMBER_PER_DAY a day, whatever asks: a villager never gets an SMS storm.
"""

import logging
import string
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from core.models import SMSMessage, SMSTemplate

logger = logging.getLogger(__name__)


class SMSError(Exception):
    """A message was not sent. `retry` says whether sending it again later may succeed."""

    def __init__(self, message="", *, outcome=SMSMessage.Outcome.ERROR, code="", retry=True):
        super().__init__(message or code)
        self.outcome, self.code, self.retry = outcome, code, retry


class SMSLimited(SMSError):
    """Our per-number limit was reached: nothing was sent, and retrying soon will not help."""

    def __init__(self, message):
        super().__init__(message, outcome=SMSMessage.Outcome.LIMITED, retry=False)


class BaseSMSBackend:
    name = "base"

    def send(self, phone: str, template: SMSTemplate, params: dict[str, str], text: str) -> str:
        """Send the template with its parameters; return the provider's message id, or raise SMSError."""
        raise NotImplementedError


class LogSMSBackend(BaseSMSBackend):
    """Writes each message, as the phone would show it, to the log: the default until a provider is set."""

    name = "log"

    def send(self, phone, template, params, text):
        logger.warning("SMS to %s: %s", phone, text)
        return ""


# Messages "sent" by LocmemSMSBackend, for tests (like django.core.mail.outbox): (phone, text).
outbox: list[tuple[str, str]] = []


class LocmemSMSBackend(BaseSMSBackend):
    name = "locmem"

    def send(self, phone, template, params, text):
        outbox.append((phone, text))
        return f"locmem-{len(outbox)}"


def get_backend() -> BaseSMSBackend:
    return import_string(settings.SMS_BACKEND)()


def placeholders(text: str) -> list[str]:
    """The parameter names of a template's text, in order (Tencent numbers them in this order)."""
    names = []
    for _literal, name, _spec, _conversion in string.Formatter().parse(text):
        if name and name not in names:
            names.append(name)
    return names


def prepare(template: SMSTemplate, params: dict) -> dict[str, str]:
    """The template's parameters as text, each within the providers' length limit."""
    limit = template.max_param_length
    prepared = {}
    for name in placeholders(template.text):
        value = str(params.get(name, ""))
        prepared[name] = value if len(value) <= limit else value[: limit - 1] + "…"
    return prepared


def render(template: SMSTemplate, params: dict[str, str]) -> str:
    """The message as the phone shows it: the registered signature, then the template's text."""
    return f"{settings.SMS_SIGNATURE}{template.text.format(**params)}"


def _limit_reached(phone: str) -> str:
    now = timezone.now()
    recent = SMSMessage.objects.filter(phone=phone, created_at__gte=now - timedelta(days=1)).exclude(
        status=SMSMessage.Status.LIMITED
    )
    if recent.count() >= settings.SMS_LIMIT_PER_NUMBER_PER_DAY:
        return "day"
    if recent.filter(created_at__gte=now - timedelta(hours=1)).count() >= settings.SMS_LIMIT_PER_NUMBER_PER_HOUR:
        return "hour"
    return ""


def send_sms(phone: str, key: str, *, notification=None, **params) -> SMSMessage:
    """Send the template `key` to `phone`. Returns the SMSMessage row; raises SMSError when not sent."""
    template = SMSTemplate.objects.get(key=key)
    params = prepare(template, params)
    backend = get_backend()
    record = SMSMessage(
        phone=phone,
        template_key=key,
        params=params,
        text=render(template, params)[:400],
        backend=backend.name,
        notification=notification,
    )
    period = _limit_reached(phone)
    if period:
        record.status, record.outcome = SMSMessage.Status.LIMITED, SMSMessage.Outcome.LIMITED
        record.save()
        logger.warning("SMS %s to %s not sent: per-%s limit reached", key, phone, period)
        raise SMSLimited(f"per-{period} limit for this number reached")
    try:
        record.provider_id = backend.send(phone, template, params, record.text) or ""
    except SMSError as exc:
        record.status, record.outcome = SMSMessage.Status.FAILED, exc.outcome
        record.error_code, record.error_message = exc.code[:100], str(exc)[:300]
        record.save()
        raise
    record.status = SMSMessage.Status.SENT
    record.save()
    return record
