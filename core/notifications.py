"""Notifications: stored rows first, delivered by a Celery task enqueued on commit.

`notify` is the one way any app tells a person something, and `message` the one way to give it
words: a translatable text with parameters, kept lazy until `notify` renders it in the
recipient's language (never the language of whoever caused the notification). Delivery picks the channel (email
when the person has an address, otherwise SMS, otherwise in-app only) and never delivers a
row twice: the row is locked while it is sent and marked delivered in the same transaction.
"""

import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise, lazy

from core import person
from core.links import absolute_url
from core.models import Notification, SMSMessage
from core.sms import SMSError, send_sms

logger = logging.getLogger(__name__)

SWEEP_MIN_AGE = timedelta(minutes=2)
MAX_ATTEMPTS = 10


def _render(text, params: dict) -> str:
    text = str(text)
    if not params:
        return text
    return text % {key: str(value) if isinstance(value, Promise) else value for key, value in params.items()}


def _join(parts, sep) -> str:
    return str(sep).join(str(part) for part in parts)


_lazy_render = lazy(_render, str)
_lazy_join = lazy(_join, str)

# Django's `ngettext_lazy` builds a new proxy class on every call given a number (its
# `lazy_number`): about 0.1 ms each, and a mentor's dashboard writes a plural per trainee at
# risk. The same lazy plural with one proxy class for all of them; makemessages finds its
# strings by the name.
ngettext_lazy = lazy(translation.ngettext, str)


def message(text, /, **params) -> Promise:
    """`text` (a `gettext_lazy` string with `%(name)s` placeholders) with its parameters, rendered
    only when read, so in the language active then. Parameters may be lazy texts or messages too.

    Give `notify` these, plain lazy strings, or the person's own words; never `gettext(...) % {...}`,
    which is translated at once, in the language of whoever caused the notification.
    """
    return _lazy_render(text, params)


def lines(*parts, sep="\n") -> Promise:
    """Several texts (lazy, messages or plain) as one, a line each (or joined by `sep`), rendered when read."""
    return _lazy_join(parts, sep)


def render_for(recipient, text) -> str:
    """`text` (lazy, a message, or plain) as `recipient` reads it: in their preferred language."""
    with translation.override(recipient.preferred_language or settings.LANGUAGE_CODE):
        return str(text)


def notify(*, recipient, kind: str, title, body="", url: str = "", dedupe_key: str | None = None) -> Notification:
    """Store a notification for `recipient` and enqueue its delivery once the transaction commits.

    `title` and `body` are lazy translations or `message(...)`s (or the sender's own words):
    they are rendered here, in the recipient's preferred language, and stored as text.
    With a `dedupe_key`, a second call with the same key returns the first row and sends nothing.
    """
    values = {
        "recipient": recipient,
        "kind": kind,
        "title": render_for(recipient, title)[:200],
        "body": render_for(recipient, body),
        "url": url,
    }
    if dedupe_key:
        notification, created = Notification.objects.get_or_create(dedupe_key=dedupe_key, defaults=values)
        if not created:
            return notification
    else:
        notification = Notification.objects.create(**values)
    transaction.on_commit(partial(enqueue_delivery, notification.pk))
    person.forget(recipient, person.UNREAD)
    return notification


def unread_count(user) -> int:
    """How many of the person's notifications are unread (the header's badge)."""
    if not user.is_authenticated:
        return 0
    # Never cached between requests: personal data, and a cached count could outlive a read or a
    # delete. Read with the person's roles in one query (core/person.py).
    return person.fact(user, person.UNREAD)


def enqueue_delivery(notification_id: int) -> bool:
    """Hand delivery to Celery. A broker outage is logged, not raised: the sweep will retry."""
    from core.tasks import deliver_notification

    try:
        deliver_notification.apply_async((notification_id,), retry=False)
    except Exception:  # the broker is down or unreachable: the row waits for the sweep
        logger.warning("Could not enqueue delivery of notification %s; the sweep will retry", notification_id)
        return False
    return True


def choose_channel(user) -> str:
    if user.email:
        return Notification.Channel.EMAIL
    if user.phone:
        return Notification.Channel.SMS
    return Notification.Channel.IN_APP


def deliver(*, notification_id: int) -> bool:
    """Deliver one notification if it is still undelivered. Returns True when it was sent now.

    Raises the sending error after recording it, so that the task can retry with backoff.
    """
    error = None
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=notification_id, delivered_at__isnull=True)
            .first()
        )
        if notification is None:
            return False  # delivered already, or being delivered by another worker right now
        recipient = notification.recipient
        channel = choose_channel(recipient)
        notification.attempts += 1
        try:
            if channel == Notification.Channel.EMAIL:
                message = notification.body
                if notification.url:
                    message = f"{message}\n\n{absolute_url(notification.url)}"
                send_mail(notification.title, message, None, [recipient.email])
            elif channel == Notification.Channel.SMS:
                # A registered template carries the title (and the link): the body stays in the app.
                if notification.url:
                    send_sms(
                        recipient.phone,
                        "notice_link",
                        notification=notification,
                        title=notification.title,
                        link=absolute_url(notification.url),
                    )
                else:
                    send_sms(recipient.phone, "notice", notification=notification, title=notification.title)
        except SMSError as exc:
            notification.last_error = f"{SMSMessage.Outcome(exc.outcome).label}: {exc}"[:500]
            if exc.retry:
                error = exc
                notification.save(update_fields=["attempts", "last_error"])
            else:
                # Sending again will not help (a bad number, our per-number limit, a template to fix):
                # the notification stays in the app, and the outcome is on record.
                notification.channel = Notification.Channel.IN_APP
                notification.delivered_at = timezone.now()
                notification.save(update_fields=["attempts", "channel", "delivered_at", "last_error"])
        except Exception as exc:
            error = exc
            notification.last_error = f"{type(exc).__name__}: {exc}"[:500]
            notification.save(update_fields=["attempts", "last_error"])
        else:
            notification.channel = channel
            notification.delivered_at = timezone.now()
            notification.last_error = ""
            notification.save(update_fields=["attempts", "channel", "delivered_at", "last_error"])
    if error is not None:
        raise error
    return True


def sweep_undelivered(*, min_age: timedelta = SWEEP_MIN_AGE, limit: int = 500) -> int:
    """Re-enqueue notifications still undelivered after `min_age`. Returns how many were enqueued."""
    cutoff = timezone.now() - min_age
    ids = list(
        Notification.objects.undelivered()
        .filter(created_at__lte=cutoff, attempts__lt=MAX_ATTEMPTS)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in ids if enqueue_delivery(pk))


def mark_read(*, user, notification_ids=None) -> int:
    """Mark the person's notifications (all, or the given ids) as read. Returns how many changed."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    changed = qs.update(read_at=timezone.now())
    person.forget(user, person.UNREAD)
    return changed
