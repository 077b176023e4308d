"""The mentor's own pages: their trainees with progress and risks, the review queue, check-ins."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db.models import Count, DateTimeField, Exists, Max, Min, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy

from core.models import User
from core.notifications import lines, message, ngettext_lazy
from core.rows import CompiledQuery, instance_from_values
from mentors import risks as risk_rules
from mentors.models import CheckIn, GraduationRecommendation, MentorAssignment

NO_ACTIVITY_DAYS = 14
UNANSWERED_CHANGES_DAYS = 7
QUIZ_FAILURES_AT_RISK = 3


@dataclass
class CourseProgress:
    course: object  # courses.CoursePage
    completed: int
    total: int
    percent: int
    is_complete: bool


@dataclass
class TraineeRow:
    """One line of "My trainees": what a mentor needs to see at a glance."""

    trainee: User
    assignment: MentorAssignment
    courses: list[CourseProgress] = field(default_factory=list)
    last_activity: datetime | None = None
    pending_count: int = 0
    oldest_pending: datetime | None = None
    quiz_failures: int = 0
    stale_changes: int = 0
    risks: list[str] = field(default_factory=list)
    risk_codes: list[str] = field(default_factory=list)
    recommended: bool = False
    url: str = ""  # the trainee's page, as the view links it

    @property
    def at_risk(self) -> bool:
        return bool(self.risks)

    @property
    def risk_text(self):
        return lines(*self.risks, sep=gettext_lazy("; "))

    @property
    def percent(self) -> int:
        """Overall progress over the required courses (lessons completed / lessons)."""
        total = sum(c.total for c in self.courses)
        return round(100 * sum(c.completed for c in self.courses) / total) if total else 0


def mentor_trainee_ids(*, mentor, current_only: bool = True):
    """A subquery of the ids of the mentor's trainees (current, or current and former)."""
    qs = MentorAssignment.objects.filter(mentor=mentor)
    if current_only:
        qs = qs.active()
    return qs.values("trainee_id")


def risk_reasons(
    *,
    now: datetime,
    last_activity: datetime | None,
    assigned_at: datetime,
    quiz_failures: int,
    stale_changes: int,
) -> list[risk_rules.Risk]:
    """The mentors app's at-risk rules, each with its code and the reason shown to the mentor
    (rendered when read, so in the reader's language: the daily digest renders them in the
    mentor's). Boundaries are inclusive. Higher apps' rules come from `mentors.risks`."""
    reasons = []
    reference = last_activity or assigned_at
    idle_days = (now - reference).days
    if idle_days >= NO_ACTIVITY_DAYS:
        if last_activity is None:
            reasons.append(
                risk_rules.Risk(
                    risk_rules.INACTIVE,
                    message(
                        ngettext_lazy(
                            "No activity since assigned %(days)s day ago",
                            "No activity since assigned %(days)s days ago",
                            idle_days,
                        ),
                        days=idle_days,
                    ),
                )
            )
        else:
            reasons.append(
                risk_rules.Risk(
                    risk_rules.INACTIVE,
                    message(
                        ngettext_lazy("No activity for %(days)s day", "No activity for %(days)s days", idle_days),
                        days=idle_days,
                    ),
                )
            )
    if quiz_failures >= QUIZ_FAILURES_AT_RISK:
        reasons.append(
            risk_rules.Risk(
                risk_rules.QUIZ_FAILURES,
                message(
                    ngettext_lazy(
                        "Failed a quiz %(n)s time without passing",
                        "Failed quizzes %(n)s times without passing",
                        quiz_failures,
                    ),
                    n=quiz_failures,
                ),
            )
        )
    if stale_changes:
        reasons.append(
            risk_rules.Risk(
                risk_rules.STALE_CHANGES,
                message(
                    ngettext_lazy(
                        "%(n)s task with changes requested, unanswered for %(days)s days or more",
                        "%(n)s tasks with changes requested, unanswered for %(days)s days or more",
                        stale_changes,
                    ),
                    n=stale_changes,
                    days=UNANSWERED_CHANGES_DAYS,
                ),
            )
        )
    return reasons


# A missing date sorts as the earliest one (compared as datetimes: converting each to a
# timestamp cost more than the rest of the sort).
NEVER = datetime(1970, 1, 1, tzinfo=UTC)

SORTS = {
    "risk": lambda row: (
        not row.at_risk,
        -row.pending_count,
        row.last_activity is not None,
        row.last_activity or NEVER,
    ),
    "name": lambda row: (row.trainee.display_name,),
    "activity": lambda row: (row.last_activity is not None, row.last_activity or NEVER),
    "progress": lambda row: (row.percent, row.trainee.display_name),
    "pending": lambda row: (-row.pending_count, row.oldest_pending is None, row.oldest_pending or NEVER),
}


def _sort_key(sort: str):
    return SORTS.get(sort, SORTS["risk"])


def _with_row_relations(assignments):
    """Assignments as the rows read them: each trainee with their village and township, the
    mentor with their profile, whether a graduation is recommended, the trainee's last activity
    in any course (`last_activity`, on the enrolments' (user, course) index); by the trainee's
    name."""
    from courses.models import Enrollment

    latest = (
        Enrollment.objects.filter(user_id=OuterRef("trainee_id"))
        .order_by()
        .values("user_id")
        .annotate(latest=Max("last_activity_at"))
        .values("latest")
    )
    return (
        assignments.select_related("trainee__village__township", "mentor__mentor_profile")
        .annotate(
            recommended=Exists(
                GraduationRecommendation.objects.active().filter(trainee_id=OuterRef("trainee_id")).order_by()
            ),
            last_activity=Subquery(latest),
        )
        .order_by("trainee__real_name", "trainee_id")
    )


def _mentors_assignments_query(mentor_id: int):
    return _with_row_relations(MentorAssignment.objects.active().filter(mentor=mentor_id))


# A mentor's own assignments, the query built once per process (core/rows.py);
# tests/mentors/test_dashboard.py holds it to the queryset.
_MENTORS_ASSIGNMENTS = CompiledQuery(_mentors_assignments_query, 2_000_000_019)


def _enrollment_values(trainees):
    """The cohort's enrolments of `trainees` (ids, or a subquery of them) as plain values, the
    rows' progress bars: each course with the live lessons the person completed in it."""
    from courses.models import Enrollment, LessonProgress

    completed = (
        LessonProgress.objects.filter(
            user=OuterRef("user_id"), course=OuterRef("course_id"), completed_at__isnull=False, lesson__live=True
        )
        .order_by()
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Enrollment.objects.filter(user_id__in=trainees, source=Enrollment.Source.COHORT)
        .order_by("course__path")
        .values_list(
            "user_id",
            "course_id",
            "completed_at",
            "course__title",
            "course__title_en",
            "course__live_lesson_count",
            Coalesce(Subquery(completed), 0),
        )
    )


def _learning_counts(trainees, stale_before: datetime):
    """Per trainee of `trainees` (ids, or a subquery of them): their tasks' pending count, oldest
    pending and changes unanswered since `stale_before`, and per quiz their failed and passed
    attempts; two grouped reads in one round trip (UNION ALL), as (kind, user_id, first,
    second, oldest)."""
    from courses.models import QuizAttempt, TaskSubmission

    submitted = Q(status=TaskSubmission.Status.SUBMITTED)
    tasks = (
        TaskSubmission.objects.filter(user_id__in=trainees)
        .values("user_id")
        .annotate(
            kind=Value("task"),
            first=Count("pk", filter=submitted),
            second=Count("pk", filter=Q(status=TaskSubmission.Status.CHANGES_REQUESTED, reviewed_at__lte=stale_before)),
            oldest=Min("submitted_at", filter=submitted),
        )
        .order_by()
        .values_list("kind", "user_id", "first", "second", "oldest")
    )
    # One row per (person, quiz): counted as failures only while the quiz is not passed.
    quizzes = (
        QuizAttempt.objects.filter(user_id__in=trainees)
        .values("user_id", "lesson_id")
        .annotate(
            kind=Value("quiz"),
            first=Count("pk", filter=Q(passed=False)),
            second=Count("pk", filter=Q(passed=True)),
            oldest=Value(None, output_field=DateTimeField()),
        )
        .order_by()
        .values_list("kind", "user_id", "first", "second", "oldest")
    )
    return tasks.union(quizzes, all=True)


# A mentor's trainees' enrolments and learning counts, their trainees found by the mentor's id
# inside the query: SQL built once per process (core/rows.py) for the page a mentor opens most.
# tests/mentors/test_dashboard.py holds each to its queryset.
_MENTORS_ENROLLMENTS = CompiledQuery(
    lambda mentor_id: _enrollment_values(mentor_trainee_ids(mentor=mentor_id)), 2_000_000_029
)
_MENTORS_COUNTS = CompiledQuery(
    lambda mentor_id, stale_before: _learning_counts(mentor_trainee_ids(mentor=mentor_id), stale_before),
    2_000_000_031,
    datetime(2001, 2, 3, 4, 5, 6, 789, tzinfo=UTC),
)


def _stale_before(now: datetime) -> datetime:
    return now - timedelta(days=UNANSWERED_CHANGES_DAYS)


def trainee_rows(*, mentor, sort: str = "risk", now: datetime | None = None) -> list[TraineeRow]:
    """The mentor's current trainees with progress, activity, pending reviews and risk.

    A fixed number of queries whatever the number of trainees, courses or submissions.
    """
    now = now or timezone.now()
    using = mentor._state.db or "default"
    assignments = _MENTORS_ASSIGNMENTS(mentor.pk, using=using)
    if not assignments:
        return []
    return _rows(
        assignments=assignments,
        enrollments=_MENTORS_ENROLLMENTS(mentor.pk, using=using),
        counts=_MENTORS_COUNTS(mentor.pk, _stale_before(now), using=using),
        sort=sort,
        now=now,
    )


def rows_for_assignments(*, assignments, sort: str = "risk", now: datetime | None = None) -> list[TraineeRow]:
    """`trainee_rows` for any set of active assignments (a queryset): one mentor's, or the
    office's view across all mentors. A fixed number of queries whatever their number."""
    now = now or timezone.now()
    assignments = list(_with_row_relations(assignments))
    if not assignments:
        return []
    trainee_ids = [a.trainee_id for a in assignments]
    return _rows(
        assignments=assignments,
        enrollments=_enrollment_values(trainee_ids),
        counts=_learning_counts(trainee_ids, _stale_before(now)),
        sort=sort,
        now=now,
    )


def _rows(*, assignments: list, enrollments, counts, sort: str, now: datetime) -> list[TraineeRow]:
    """The rows from the assignments and their trainees' enrolments and learning counts (as
    `_enrollment_values` and `_learning_counts` give them)."""
    from courses import selectors as course_selectors
    from courses.models import CoursePage

    trainee_ids = [a.trainee_id for a in assignments]
    failures, submissions = _failures_and_submissions(counts)
    courses, courses_by_user = {}, defaultdict(list)
    for user_id, course_id, completed_at, title, title_en, lesson_count, done in enrollments:
        course = courses.get(course_id)
        if course is None:  # each course once (a mentor's trainees share a few), as its bar shows it
            course = courses[course_id] = instance_from_values(
                CoursePage, {"id": course_id, "title": title, "title_en": title_en, "live_lesson_count": lesson_count}
            )
        completion = course_selectors.CourseCompletion(
            completed=done,
            total=course.live_lesson_count,
            completed_at=completed_at,
            enrolled=True,
        )
        courses_by_user[user_id].append(
            CourseProgress(
                course=course,
                completed=completion.completed,
                total=completion.total,
                percent=completion.percent,
                is_complete=completion.is_complete,
            )
        )
    extra = risk_rules.extra_risks(trainee_ids=trainee_ids, now=now)
    rows = []
    for assignment in assignments:
        uid = assignment.trainee_id
        tasks = submissions.get(uid, {})
        row = TraineeRow(
            trainee=assignment.trainee,
            assignment=assignment,
            courses=courses_by_user.get(uid, []),
            last_activity=assignment.last_activity,
            pending_count=tasks.get("pending", 0),
            oldest_pending=tasks.get("oldest"),
            quiz_failures=failures.get(uid, 0),
            stale_changes=tasks.get("stale", 0),
            recommended=assignment.recommended,
        )
        risks = risk_reasons(
            now=now,
            last_activity=row.last_activity,
            assigned_at=assignment.started_at,
            quiz_failures=row.quiz_failures,
            stale_changes=row.stale_changes,
        ) + extra.get(uid, [])
        row.risks = [risk.text for risk in risks]
        row.risk_codes = [risk.code for risk in risks]
        rows.append(row)
    rows.sort(key=_sort_key(sort))
    return rows


def _failures_and_submissions(counts) -> tuple[dict[int, int], dict[int, dict]]:
    """Failed attempts at quizzes not passed yet, and pending, oldest pending and unanswered
    changes of tasks, per trainee, from `_learning_counts`'s rows."""
    failures: dict[int, int] = defaultdict(int)
    submissions: dict[int, dict] = {}
    for kind, user_id, first, second, oldest in counts:
        if kind == "task":
            submissions[user_id] = {"pending": first, "stale": second, "oldest": oldest}
        elif first and not second:
            failures[user_id] += first
    return dict(failures), submissions


FORMER_FIELDS = ("id", "trainee_id", "started_at", "ended_at")
FORMER_TRAINEE_FIELDS = ("real_name", "last_name", "email", "phone")


def _former_query(mentor_id: int):
    return (
        MentorAssignment.objects.filter(mentor=mentor_id, ended_at__isnull=False)
        .exclude(trainee_id__in=mentor_trainee_ids(mentor=mentor_id))
        .order_by("-ended_at", "-pk")
        .values_list(*FORMER_FIELDS, *(f"trainee__{name}" for name in FORMER_TRAINEE_FIELDS))
    )


# Built once per process (core/rows.py); tests/mentors/test_dashboard.py holds it to the queryset.
_FORMER = CompiledQuery(_former_query, 2_000_000_023)


def former_trainees(*, mentor, limit: int | None = None) -> tuple[list[MentorAssignment], int]:
    """The mentor's ended assignments of people they do not mentor now, latest first (one per
    trainee): at most `limit` of them, and how many there are. One query of plain values (a
    mentor's former trainees number in the tens), the rows shown built from them."""
    latest: dict[int, tuple] = {}
    for values in _FORMER(mentor.pk, using=mentor._state.db or "default"):
        latest.setdefault(values[1], values)
    shown = list(latest.values())[:limit] if limit is not None else list(latest.values())
    assignments = []
    for values in shown:
        assignment = instance_from_values(MentorAssignment, dict(zip(FORMER_FIELDS, values, strict=False)))
        person = dict(zip(FORMER_TRAINEE_FIELDS, values[len(FORMER_FIELDS) :], strict=True))
        assignment.trainee = instance_from_values(User, {"id": assignment.trainee_id, **person})
        assignments.append(assignment)
    return assignments, len(latest)


def review_queue(*, mentor):
    """Submissions of the mentor's current trainees awaiting review, oldest first."""
    from courses.models import TaskSubmission

    return (
        TaskSubmission.objects.filter(
            status=TaskSubmission.Status.SUBMITTED, user_id__in=mentor_trainee_ids(mentor=mentor)
        )
        .select_related("user", "lesson")
        .order_by("submitted_at", "pk")
    )


def current_trainee(*, mentor, trainee_id) -> tuple[User, MentorAssignment] | None:
    """The trainee and the mentor's assignment of them, while it is active. When an assignment
    ends, the trainee's page, phone, submissions and files close to that mentor."""
    assignment = (
        MentorAssignment.objects.active()
        .filter(mentor=mentor, trainee_id=trainee_id)
        .select_related("trainee__village__township")
        .first()
    )
    if assignment is None:
        return None
    return assignment.trainee, assignment


def visible_submission(*, mentor, submission_id):
    """A submission of one of the mentor's current trainees, or None."""
    from courses.models import TaskSubmission

    return (
        TaskSubmission.objects.filter(pk=submission_id, user_id__in=mentor_trainee_ids(mentor=mentor))
        .select_related("user", "lesson", "reviewer")
        .first()
    )


def past_checkins(*, mentor, trainee_id=None):
    """The mentor's own check-in notes with people they no longer mentor, newest first: their
    notes stay theirs to read, while nothing else of the person (phone, work, progress) does."""
    qs = (
        CheckIn.objects.filter(mentor=mentor)
        .exclude(trainee_id__in=mentor_trainee_ids(mentor=mentor))
        .select_related("trainee")
        # Of the person, their name only: not even the phone that display_name falls back to.
        .only("mentor_id", "date", "channel", "notes", "next_steps", "created_at", "trainee_id", "trainee__real_name")
    )
    if trainee_id is not None:
        qs = qs.filter(trainee_id=trainee_id)
    return qs
