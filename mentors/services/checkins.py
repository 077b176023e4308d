"""Contacts (visits, calls, messages) a mentor logs with a trainee."""

from __future__ import annotations

from datetime import date as date_type

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from core.models import User
from mentors.models import CheckIn
from mentors.services.access import require_current_mentor

CHECKIN_IN_FUTURE = gettext_lazy("A check-in cannot be dated in the future.")
NOTES_REQUIRED = gettext_lazy("Please write a few notes about the check-in.")


@transaction.atomic
def record_checkin(
    *, mentor: User, trainee: User, date: date_type, channel: str, notes: str, next_steps: str = ""
) -> CheckIn:
    """Log a contact with a trainee. Only the current mentor may; a date in the future is refused."""
    require_current_mentor(mentor=mentor, trainee=trainee)
    if date and date > timezone.localdate():
        raise ValidationError({"date": CHECKIN_IN_FUTURE})
    if not (notes or "").strip():
        raise ValidationError({"notes": NOTES_REQUIRED})
    checkin = CheckIn(
        mentor=mentor,
        trainee=trainee,
        date=date,
        channel=channel,
        notes=notes.strip(),
        next_steps=(next_steps or "").strip(),
    )
    checkin.full_clean()
    checkin.save()
    return checkin
