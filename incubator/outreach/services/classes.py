"""Taking attendance at an offline class."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from core.models import User
from incubator.outreach.models import Attendance, ClassSession
from incubator.outreach.selectors.classes import may_take_attendance, roster

NOT_YOURS = gettext_lazy("Only the county office or the mentor who runs this class may take its attendance.")
NOT_YET = gettext_lazy("This class has not happened yet: take attendance on the day.")
NOT_ON_ROSTER = gettext_lazy("Someone marked is not a trainee of this class's cohort.")
UNKNOWN_STATUS = gettext_lazy("Choose present, absent or excused for each trainee.")
NOTHING_MARKED = gettext_lazy("Mark at least one trainee.")


@transaction.atomic
def record_attendance(*, session: ClassSession, by: User, statuses: dict[int, str]) -> int:
    """Store the attendance of a session: {trainee_id: status}; trainees left out keep theirs.

    Only the office or the session's own mentor may; the trainees must be on its roster.
    Returns how many rows were created or changed.
    """
    if not may_take_attendance(user=by, session=session):
        raise ValidationError(NOT_YOURS)
    if session.date > timezone.localdate():
        raise ValidationError(NOT_YET)
    if not statuses:
        raise ValidationError(NOTHING_MARKED)
    if any(status not in Attendance.Status.values for status in statuses.values()):
        raise ValidationError(UNKNOWN_STATUS)
    on_roster = {person.pk for person, _status in roster(session=session)}
    if set(statuses) - on_roster:
        raise ValidationError(NOT_ON_ROSTER)
    existing = {row.trainee_id: row for row in Attendance.objects.select_for_update().filter(session=session)}
    changed = 0
    new_rows, updated = [], []
    for trainee_id, status in statuses.items():
        row = existing.get(trainee_id)
        if row is None:
            new_rows.append(Attendance(session=session, trainee_id=trainee_id, status=status, recorded_by=by))
        elif row.status != status:
            row.status, row.recorded_by, row.recorded_at = status, by, timezone.now()
            updated.append(row)
    if new_rows:
        # The unique constraint answers a race with a second taker: the later one fails whole.
        Attendance.objects.bulk_create(new_rows)
    if updated:
        Attendance.objects.bulk_update(updated, ["status", "recorded_by", "recorded_at"])
    changed = len(new_rows) + len(updated)
    return changed
