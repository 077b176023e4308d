"""Contacts (visits, calls, messages) a mentor logs with a trainee."""

from __future__ import annotations

from datetime import date as date_type

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from core.models import User
from core.office import is_office_staff
from mentors.models import CheckIn
from mentors.services.access import require_current_mentor

CHECKIN_IN_FUTURE = gettext_lazy("A check-in cannot be dated in the future.")
NOTES_REQUIRED = gettext_lazy("Please write a few notes about the check-in.")
OFFICE_ONLY = gettext_lazy("Only the county office may record a check-in as the office.")
NOT_ONESELF = gettext_lazy("A check-in is with someone else.")


@transaction.atomic
def record_checkin(
    *, mentor: User, trainee: User, date: date_type, channel: str, notes: str, next_steps: str = ""
) -> CheckIn:
    """Log a contact with a trainee. Only the current mentor may; a date in the future is refused."""
    require_current_mentor(mentor=mentor, trainee=trainee)
    return _save(
        mentor=mentor, trainee=trainee, date=date, channel=channel, notes=notes, next_steps=next_steps, by_office=False
    )


@transaction.atomic
def record_office_checkin(
    *, office: User, trainee: User, date: date_type, channel: str, notes: str, next_steps: str = ""
) -> CheckIn:
    """Log a contact the county office had with a trainee, recorded as the office's (`by_office`):
    it shows as "County office" wherever check-ins are read, and never counts as the mentor's."""
    if not is_office_staff(office):
        raise ValidationError(OFFICE_ONLY)
    if office.pk == trainee.pk:
        raise ValidationError(NOT_ONESELF)
    return _save(
        mentor=office, trainee=trainee, date=date, channel=channel, notes=notes, next_steps=next_steps, by_office=True
    )


def _save(*, mentor, trainee, date, channel, notes, next_steps, by_office) -> CheckIn:
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
        by_office=by_office,
    )
    checkin.full_clean()
    checkin.save()
    return checkin
