"""The office's supervision across all mentors: trainees at risk (the mentors app's rules and the
registered ones) and mentors' contacts (who has not been contacted for N days)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Max, OuterRef, Q, Subquery
from django.utils import timezone

from core.models import User
from incubator.recruitment.models import TraineeProfile
from mentors.models import CheckIn, MentorAssignment
from mentors.selectors.mentor_area import rows_for_assignments


def in_township(township_id, *, person=""):
    """Programme people of a township: by their trainee profile's village, else their own
    (`person` is the lookup to the person, "trainee__" from an assignment)."""
    return Q(**{f"{person}trainee_profile__village__township_id": township_id}) | Q(
        **{
            f"{person}trainee_profile__isnull": False,
            f"{person}trainee_profile__village__isnull": True,
            f"{person}village__township_id": township_id,
        }
    )


def assignments(*, township=None, cohort=None, mentor=None):
    """Active mentor assignments, filtered by the trainee's township and cohort and the mentor."""
    qs = MentorAssignment.objects.active()
    if township is not None:
        qs = qs.filter(in_township(township.pk, person="trainee__"))
    if cohort is not None:
        qs = qs.filter(trainee__trainee_profile__cohort=cohort)
    if mentor is not None:
        qs = qs.filter(mentor=mentor)
    return qs


def at_risk_rows(*, township=None, cohort=None, mentor=None, reason: str = "", now=None):
    """Every at-risk trainee of the county (one row each, the mentors app's `TraineeRow`, with
    `cohort` set), optionally those at risk for one `reason` code. A fixed number of queries."""
    rows = rows_for_assignments(assignments=assignments(township=township, cohort=cohort, mentor=mentor), now=now)
    rows = [row for row in rows if row.at_risk and (not reason or reason in row.risk_codes)]
    cohorts = dict(
        TraineeProfile.objects.filter(user_id__in=[row.trainee.pk for row in rows])
        .select_related("cohort")
        .values_list("user_id", "cohort__name")
    )
    for row in rows:
        row.cohort_name = cohorts.get(row.trainee.pk) or ""
    return rows


@dataclass
class ContactLine:
    trainee: User
    last_contact: date | None
    last_office_contact: date | None
    since: date  # the assignment's start: "never contacted" counts from there

    def days_without(self, today: date) -> int:
        return (today - (self.last_contact or self.since)).days


@dataclass
class MentorContacts:
    mentor: User
    lines: list[ContactLine] = field(default_factory=list)
    overdue: list[ContactLine] = field(default_factory=list)

    @property
    def trainee_count(self) -> int:
        return len(self.lines)


def mentor_contacts(*, days: int, township=None, cohort=None, mentor=None, today: date | None = None):
    """Per mentor, their current trainees with the date of the mentor's last check-in (and the
    office's), and those not contacted by the mentor for `days` days or more. One query."""
    today = today or timezone.localdate()
    mentor_checkins = CheckIn.objects.filter(
        trainee_id=OuterRef("trainee_id"), mentor_id=OuterRef("mentor_id"), by_office=False
    )
    office_checkins = CheckIn.objects.filter(trainee_id=OuterRef("trainee_id"), by_office=True)
    qs = (
        assignments(township=township, cohort=cohort, mentor=mentor)
        .select_related("mentor", "trainee")
        .annotate(
            last_contact=Subquery(mentor_checkins.values("trainee_id").annotate(m=Max("date")).values("m")[:1]),
            last_office_contact=Subquery(office_checkins.values("trainee_id").annotate(m=Max("date")).values("m")[:1]),
        )
        .order_by("mentor__real_name", "mentor_id", "trainee__real_name", "trainee_id")
    )
    by_mentor: dict[int, MentorContacts] = {}
    cutoff = today - timedelta(days=days)
    for assignment in qs:
        group = by_mentor.setdefault(assignment.mentor_id, MentorContacts(mentor=assignment.mentor))
        line = ContactLine(
            trainee=assignment.trainee,
            last_contact=assignment.last_contact,
            last_office_contact=assignment.last_office_contact,
            since=timezone.localdate(assignment.started_at),
        )
        group.lines.append(line)
        if (line.last_contact or line.since) <= cutoff:
            group.overdue.append(line)
    return sorted(by_mentor.values(), key=lambda group: (-len(group.overdue), group.mentor.display_name))
