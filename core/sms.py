"""The SMS-sender interface. A real provider plugs in by setting SMS_BACKEND to its class path."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SMSError(Exception):
    """A provider refused or failed to send a message; delivery may be retried."""


class BaseSMSBackend:
    def send(self, phone: str, message: str) -> None:
        raise NotImplementedError


class LogSMSBackend(BaseSMSBackend):
    """Writes each message to the log: the default until the office configures a provider."""

    def send(self, phone: str, message: str) -> None:
        logger.warning("SMS to %s: %s", phone, message)


# Messages "sent" by LocmemSMSBackend, for tests (like django.core.mail.outbox).
outbox: list[tuple[str, str]] = []


class LocmemSMSBackend(BaseSMSBackend):
    def send(self, phone: str, message: str) -> None:
        outbox.append((phone, message))


def get_backend() -> BaseSMSBackend:
    return import_string(settings.SMS_BACKEND)()


def send_sms(phone: str, message: str) -> None:
    """Send one text message, signed with the office's signature."""
    get_backend().send(phone, f"{settings.SMS_SIGNATURE}{message}")
