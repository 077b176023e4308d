"""Sending a group message: the audience is resolved and kept on record at once, then a Celery
task creates one notification per recipient, in chunks, through `core.notifications.notify`."""

from __future__ import annotations

import logging
from datetime import datetime, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from core.models import User
from core.notifications import message, ngettext_lazy, notify
from core.office import is_office_staff
from incubator.outreach.models import GroupMessage, GroupMessageRecipient
from incubator.outreach.selectors.group_messages import audience as audience_of
from incubator.outreach.selectors.group_messages import may_send

logger = logging.getLogger(__name__)

NOT_ALLOWED = gettext_lazy("Only the county office and mentors may send group messages.")
MENTOR_AUDIENCE = gettext_lazy("Mentors send to their own trainees: by cohort, township or those at risk.")
NOBODY = gettext_lazy("Nobody is in this audience: nothing was sent.")
TEXT_REQUIRED = gettext_lazy("Write the message.")
TITLE_REQUIRED = gettext_lazy("Give the message a title.")


def daily_limit() -> int:
    return settings.OUTREACH_GROUP_MESSAGES_PER_DAY


def limit_reached_message(limit: int):
    return message(
        ngettext_lazy(
            "You have sent %(n)s group message today, the most allowed in a day. Try again tomorrow.",
            "You have sent %(n)s group messages today, the most allowed in a day. Try again tomorrow.",
            limit,
        ),
        n=limit,
    )


def sent_today(*, sender, now: datetime | None = None) -> int:
    now = now or timezone.now()
    midnight = timezone.make_aware(datetime.combine(timezone.localdate(now), time.min))
    return GroupMessage.objects.filter(sender=sender, created_at__gte=midnight).count()


@transaction.atomic
def send_group_message(
    *,
    sender: User,
    audience: str,
    title: str,
    text: str,
    cohort=None,
    township=None,
    campaign=None,
    application_status: str = "",
) -> GroupMessage:
    """Record a group message and its recipients; the notifications follow from a Celery task.

    Refused (a `ValidationError`) for anyone but the office and mentors, for a mentor's
    campaign audience, for an empty audience, and past `OUTREACH_GROUP_MESSAGES_PER_DAY` messages
    a day per sender. A mentor's audience is cut down to their own current trainees.
    """
    if not may_send(sender):
        raise ValidationError(NOT_ALLOWED)
    as_office = is_office_staff(sender)
    if not as_office and audience == GroupMessage.Audience.CAMPAIGN:
        raise ValidationError({"audience": MENTOR_AUDIENCE})
    title, text = (title or "").strip(), (text or "").strip()
    if not title:
        raise ValidationError({"title": TITLE_REQUIRED})
    if not text:
        raise ValidationError({"text": TEXT_REQUIRED})
    # One sender's messages are counted under a lock on their row: two sends at once cannot
    # both pass the limit.
    User.objects.select_for_update().filter(pk=sender.pk).first()
    limit = daily_limit()
    if sent_today(sender=sender) >= limit:
        raise ValidationError(limit_reached_message(limit))
    recipient_ids = list(
        audience_of(
            sender=sender,
            audience=audience,
            cohort=cohort,
            township=township,
            campaign=campaign,
            application_status=application_status,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )
    if not recipient_ids:
        raise ValidationError(NOBODY)
    group_message = GroupMessage(
        sender=sender,
        as_office=as_office,
        audience=audience,
        cohort=cohort if audience == GroupMessage.Audience.COHORT else None,
        township=township if audience == GroupMessage.Audience.TOWNSHIP else None,
        campaign=campaign if audience == GroupMessage.Audience.CAMPAIGN else None,
        application_status=application_status if audience == GroupMessage.Audience.CAMPAIGN else "",
        title=title,
        text=text,
        recipient_count=len(recipient_ids),
    )
    group_message.full_clean()
    group_message.save()
    GroupMessageRecipient.objects.bulk_create(
        [GroupMessageRecipient(message=group_message, recipient_id=pk) for pk in recipient_ids], batch_size=1000
    )
    transaction.on_commit(lambda: enqueue_fan_out(group_message.pk))
    return group_message


def enqueue_fan_out(message_id: int) -> None:
    from incubator.outreach.tasks import fan_out_group_message

    try:
        fan_out_group_message.apply_async((message_id,), retry=False)
    except Exception:  # the broker is away: the periodic sweep of group messages picks it up
        logger.warning("Could not enqueue the fan-out of group message %s", message_id)


def dedupe_key(message_id: int, recipient_id: int) -> str:
    return f"group-message:{message_id}:{recipient_id}"


def fan_out(*, message_id: int, chunk: int | None = None) -> int:
    """Create the notification of every recipient still without one, `chunk` per transaction.

    Idempotent: each notification has a dedupe key per message and recipient, and rows locked by
    another worker are skipped, so a second run (or two at once) creates nothing twice.
    Returns how many recipients were given their notification by this run.
    """
    chunk = chunk or settings.OUTREACH_FANOUT_CHUNK
    group_message = GroupMessage.objects.filter(pk=message_id).select_related("sender").first()
    if group_message is None:
        return 0
    done = 0
    while True:
        with transaction.atomic():
            rows = list(
                GroupMessageRecipient.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(message=group_message, notification__isnull=True)
                .select_related("recipient")
                .order_by("pk")[:chunk]
            )
            if not rows:
                break
            for row in rows:
                row.notification = notify(
                    recipient=row.recipient,
                    kind="group-message",
                    title=group_message.title,
                    body=group_message.text,
                    url=reverse("core:notifications"),
                    dedupe_key=dedupe_key(group_message.pk, row.recipient_id),
                )
            GroupMessageRecipient.objects.bulk_update(rows, ["notification"])
            done += len(rows)
    if not GroupMessageRecipient.objects.filter(message=group_message, notification__isnull=True).exists():
        GroupMessage.objects.filter(pk=group_message.pk, fanned_out_at__isnull=True).update(
            fanned_out_at=timezone.now()
        )
    return done


def unfinished_fan_outs() -> list[int]:
    """Messages whose fan-out has not finished (its task was lost to a broker outage, say)."""
    return list(GroupMessage.objects.filter(fanned_out_at__isnull=True).values_list("pk", flat=True))
