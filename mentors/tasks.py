"""Periodic work of the mentors app (scheduled by Celery beat in the project settings)."""

from celery import shared_task

from django.utils import timezone

from core.models import User
from mentors.services.digest import send_digest


@shared_task(name="mentors.tasks.send_daily_digests")
def send_daily_digests(day: str | None = None) -> int:
    """Send each active mentor today's digest. Idempotent: a second run the same day sends nothing.

    `day` (ISO date) is for re-running a missed day; returns how many digests were created.
    """
    from datetime import date

    target = date.fromisoformat(day) if day else timezone.localdate()
    sent = 0
    mentor_ids = list(User.objects.filter(mentor_profile__is_active=True, is_active=True).values_list("pk", flat=True))
    for mentor_id in mentor_ids:
        sent += send_mentor_digest(mentor_id, target.isoformat())
    return sent


@shared_task(name="mentors.tasks.send_mentor_digest")
def send_mentor_digest(mentor_id: int, day: str) -> int:
    """One mentor's digest for `day`; 1 when a new notification was stored, else 0."""
    from datetime import date

    from core.models import Notification

    mentor = User.objects.filter(pk=mentor_id).first()
    if mentor is None:
        return 0
    key = f"mentor-digest:{mentor_id}:{day}"
    if Notification.objects.filter(dedupe_key=key).exists():
        return 0
    return 1 if send_digest(mentor=mentor, day=date.fromisoformat(day)) is not None else 0
