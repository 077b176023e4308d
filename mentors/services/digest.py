"""The mentor's daily digest: pending reviews and trainees at risk."""

from __future__ import annotations

from datetime import date as date_type

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from core.models import User
from core.notifications import lines, message, notify
from mentors.selectors.mentor_area import trainee_rows


def send_digest(*, mentor: User, day: date_type | None = None):
    """Tell a mentor what awaits them today: pending reviews and at-risk trainees.

    Sent at most once per mentor and day (the notification's dedupe key), and not at all
    when there is nothing to say. Returns the notification, or None.
    """

    day = day or timezone.localdate()
    rows = trainee_rows(mentor=mentor)
    pending = sum(row.pending_count for row in rows)
    at_risk = [row for row in rows if row.at_risk]
    if not pending and not at_risk:
        return None
    parts = [message(gettext_lazy("Submissions awaiting your review: %(n)s"), n=pending)]
    if at_risk:
        parts.append(gettext_lazy("Trainees who need help:"))
        parts.extend(
            message(
                "- %(line)s",
                line=message(
                    gettext_lazy("%(name)s: %(reasons)s"), name=row.trainee.display_name, reasons=row.risk_text
                ),
            )
            for row in at_risk
        )
    return notify(
        recipient=mentor,
        kind="mentor-digest",
        title=gettext_lazy("Your mentoring day"),
        body=lines(*parts),
        url=reverse("mentors:dashboard"),
        dedupe_key=f"mentor-digest:{mentor.pk}:{day.isoformat()}",
    )
