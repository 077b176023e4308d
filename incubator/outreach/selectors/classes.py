"""Class sessions as mentors, the office and trainees read them, and the missed-classes risk."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, F, Q
from django.db.models.expressions import Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext_lazy

from core import roles
from core.models import User
from core.notifications import message
from core.rows import CompiledQuery, IdList
from incubator.outreach.models import Attendance, ClassSession
from incubator.recruitment.models import TraineeProfile
from mentors.risks import RiskRule

MISSED_CLASSES = "missed_classes"
MISSED_IN_A_ROW = 2


def with_counts(sessions):
    """Sessions with how many were marked present, absent and excused (one query)."""
    return (
        sessions.select_related("cohort", "led_by")
        .annotate(
            present=Count("attendance", filter=Q(attendance__status=Attendance.Status.PRESENT)),
            absent=Count("attendance", filter=Q(attendance__status=Attendance.Status.ABSENT)),
            excused=Count("attendance", filter=Q(attendance__status=Attendance.Status.EXCUSED)),
        )
        .order_by("-date", "-starts_at", "-pk")
    )


def sessions_led_by(*, user):
    """The sessions a mentor runs, newest first: the only ones whose attendance they take."""
    return with_counts(ClassSession.objects.filter(led_by=user))


def may_take_attendance(*, user, session: ClassSession) -> bool:
    """The county office, or the mentor who runs the session."""
    from core.office import is_office_staff

    if is_office_staff(user):
        return True
    return session.led_by_id == user.pk and roles.is_mentor(user)


def session_for(*, user, session_id) -> ClassSession | None:
    """A session the person may take attendance for, or None (a 404 for anyone else)."""
    session = ClassSession.objects.select_related("cohort", "led_by").filter(pk=session_id).first()
    if session is None or not may_take_attendance(user=user, session=session):
        return None
    return session


def roster(*, session: ClassSession) -> list[tuple[User, str]]:
    """The session's trainees (the cohort's, and anyone already marked) with their status ("" when
    not taken yet), by name. Two queries whatever the size of the cohort."""
    marked = dict(Attendance.objects.filter(session=session).values_list("trainee_id", "status"))
    people = (
        User.objects.filter(
            Q(trainee_profile__cohort=session.cohort_id, trainee_profile__stage=TraineeProfile.Stage.TRAINEE)
            | Q(pk__in=list(marked))
        )
        .only("pk", "real_name", "last_name", "phone", "email")
        .order_by("real_name", "pk")
    )
    return [(person, marked.get(person.pk, "")) for person in people]


def attendance_of(*, user):
    """The person's cohort's sessions, newest first, each with the person's status (two queries)."""
    profile = TraineeProfile.objects.filter(user=user).only("cohort_id").first()
    if profile is None or profile.cohort_id is None:
        return []
    statuses = dict(
        Attendance.objects.filter(trainee=user, session__cohort_id=profile.cohort_id).values_list(
            "session_id", "status"
        )
    )
    sessions = ClassSession.objects.filter(cohort_id=profile.cohort_id).select_related("led_by")
    labels = dict(Attendance.Status.choices)
    return [
        (session, statuses.get(session.pk, ""), labels.get(statuses.get(session.pk, ""), "")) for session in sessions
    ]


def _latest_attendance(trainee_ids):
    """Each of the trainees' latest recorded classes (MISSED_IN_A_ROW of them), as (trainee_id,
    status, date), the ids given as one parameter (core.rows.Among)."""
    return (
        Attendance.objects.filter(trainee_id__among=trainee_ids)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("trainee_id")],
                order_by=[F("session__date").desc(), F("session_id").desc()],
            )
        )
        .filter(rank__lte=MISSED_IN_A_ROW)
        .values_list("trainee_id", "status", "session__date")
    )


# Asked on every mentor dashboard: its SQL built once per process (core/rows.py), whatever the
# number of trainees; tests/outreach/test_classes.py holds it to the queryset.
_LATEST_ATTENDANCE = CompiledQuery(_latest_attendance, IdList([2_000_000_041]))


def missed_in_a_row(*, trainee_ids, now: datetime | None = None) -> dict[int, object]:
    """{trainee_id: reason} for trainees whose last two recorded classes were both missed
    (absent, not excused). One query: each trainee's latest two attendance rows."""
    seen: dict[int, list] = {}
    for trainee_id, status, date in _LATEST_ATTENDANCE(IdList(trainee_ids)):
        seen.setdefault(trainee_id, []).append((status, date))
    found = {}
    for trainee_id, rows in seen.items():
        if len(rows) == MISSED_IN_A_ROW and all(status == Attendance.Status.ABSENT for status, _date in rows):
            found[trainee_id] = message(
                gettext_lazy("Missed the last %(n)s offline classes (latest on %(date)s)"),
                n=MISSED_IN_A_ROW,
                date=rows[0][1].isoformat(),
            )
    return found


def missed_classes_rule() -> RiskRule:
    return RiskRule(code=MISSED_CLASSES, label=gettext_lazy("Missed offline classes"), find=missed_in_a_row)
