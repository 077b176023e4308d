"""Reads of learning state, shaped for lists: a fixed number of queries whatever the sizes."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from operator import or_

from django.db.models import CharField, Count, F, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Concat

from core.rows import CompiledQuery, JSONRows, instance_from_values
from courses.models import CoursePage, Enrollment, LessonPage, LessonProgress, QuizAttempt, TaskSubmission


@dataclass(frozen=True)
class CourseCompletion:
    completed: int
    total: int
    completed_at: datetime | None = None
    enrolled: bool = False

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.completed_at else 0
        return min(100, round(100 * self.completed / self.total))

    @property
    def is_complete(self) -> bool:
        # A course once completed stays completed, even if a lesson is published later.
        return self.completed_at is not None or (self.total > 0 and self.completed >= self.total)


def completed_lesson_counts(*, user_ids, course_ids) -> dict[tuple[int, int], int]:
    """How many live lessons each (user, course) pair has completed (one query)."""
    return {
        (row["user_id"], row["course_id"]): row["n"]
        for row in LessonProgress.objects.filter(
            user_id__in=list(user_ids), course_id__in=list(course_ids), completed_at__isnull=False, lesson__live=True
        )
        .values("user_id", "course_id")
        .annotate(n=Count("pk"))
        .order_by()
    }


def course_completion(*, user_ids, course_ids) -> dict[tuple[int, int], CourseCompletion]:
    """Progress of each (user, course) pair: completed live lessons out of live lessons. Three queries."""
    user_ids, course_ids = list(user_ids), list(course_ids)
    if not user_ids or not course_ids:
        return {}
    totals = dict(CoursePage.objects.filter(pk__in=course_ids).values_list("pk", "live_lesson_count"))
    done = completed_lesson_counts(user_ids=user_ids, course_ids=course_ids)
    enrolled = {
        (user_id, course_id): completed_at
        for user_id, course_id, completed_at in Enrollment.objects.filter(
            user_id__in=user_ids, course_id__in=course_ids
        ).values_list("user_id", "course_id", "completed_at")
    }
    return {
        (user_id, course_id): CourseCompletion(
            completed=done.get((user_id, course_id), 0),
            total=totals.get(course_id, 0),
            completed_at=enrolled.get((user_id, course_id)),
            enrolled=(user_id, course_id) in enrolled,
        )
        for user_id in user_ids
        for course_id in course_ids
    }


def _lessons_of(courses) -> Q:
    courses = list(courses)
    if not courses:
        return Q(pk__in=[])
    return reduce(or_, (Q(path__startswith=course.path, depth=course.depth + 1) for course in courses))


def live_lessons_of(courses):
    """Live lessons of the given courses, in course order then tree order (one query)."""
    return LessonPage.objects.live().filter(_lessons_of(courses)).order_by("path")


def unapproved_tasks(*, user_ids, course_ids) -> dict[int, list[LessonPage]]:
    """For each person, the live lessons with a practical task in those courses not yet approved."""
    user_ids = list(user_ids)
    courses = list(CoursePage.objects.filter(pk__in=list(course_ids)).only("pk", "path", "depth"))
    lessons = list(live_lessons_of(courses).exclude(task_instructions="").defer_streamfields())
    if not lessons or not user_ids:
        return {user_id: [] for user_id in user_ids}
    approved = set(
        TaskSubmission.objects.filter(
            user_id__in=user_ids, lesson__in=lessons, status=TaskSubmission.Status.APPROVED
        ).values_list("user_id", "lesson_id")
    )
    return {user_id: [lesson for lesson in lessons if (user_id, lesson.pk) not in approved] for user_id in user_ids}


def last_activity(*, user_ids) -> dict[int, datetime]:
    """When each person last did something in a course (opened a lesson, answered, submitted)."""
    return dict(
        Enrollment.objects.filter(user_id__in=list(user_ids), last_activity_at__isnull=False)
        .values("user_id")
        .annotate(last=Max("last_activity_at"))
        .order_by()
        .values_list("user_id", "last")
    )


def quiz_failures(*, user_ids) -> dict[int, int]:
    """Failed attempts on quizzes each person has not passed yet (a sign they are stuck)."""
    # One grouped query per (person, quiz), summed here: cheaper than a correlated NOT EXISTS.
    failures: dict[int, int] = defaultdict(int)
    for user_id, failed, passed in (
        QuizAttempt.objects.filter(user_id__in=list(user_ids))
        .values("user_id", "lesson_id")
        .annotate(failed=Count("pk", filter=Q(passed=False)), passed=Count("pk", filter=Q(passed=True)))
        .order_by()
        .values_list("user_id", "failed", "passed")
    ):
        if failed and not passed:
            failures[user_id] += failed
    return dict(failures)


def done_lesson_ids(*, user, course_ids) -> set[int]:
    """Ids of the lessons the person has completed in those courses (one query)."""
    if not user.is_authenticated:
        return set()
    return set(
        LessonProgress.objects.filter(
            user=user, course_id__in=list(course_ids), completed_at__isnull=False
        ).values_list("lesson_id", flat=True)
    )


def _learning_query(user_id: int):
    """The person's live enrolments, most recently active first, each with its course (what a
    row shows: ROW_PAGE_FIELDS), the course's live lessons in tree order folded in as
    `lesson_rows` and the ids of those the person completed in that course as `done_ids`."""
    from django.db.models.functions import JSONObject

    # The course's children as treebeard finds them (`get_children`): the paths between the
    # course's own followed by the first and by the last step, one level down (a range the
    # index on the path answers, where a pattern made from the outer row would scan every page).
    course_path = OuterRef("course__path")
    first_step, last_step = (Value(LessonPage.alphabet[end] * LessonPage.steplen) for end in (0, -1))
    lessons = (
        LessonPage.objects.live()
        .filter(
            path__gte=Concat(course_path, first_step, output_field=CharField()),
            path__lte=Concat(course_path, last_step, output_field=CharField()),
            depth=OuterRef("course__depth") + 1,
        )
        .order_by("path")
    )
    done = LessonProgress.objects.filter(
        user=OuterRef("user_id"), course=OuterRef("course_id"), completed_at__isnull=False
    ).order_by("lesson_id")
    return (
        Enrollment.objects.filter(user=user_id, course__live=True)
        .select_related("course")
        .only(*ROW_ENROLLMENT_FIELDS, *(f"course__{name}" for name in ROW_PAGE_FIELDS))
        .annotate(
            lesson_rows=JSONRows(lessons.values(row=JSONObject(**{name: F(name) for name in ROW_PAGE_FIELDS}))),
            done_ids=JSONRows(done.values("lesson_id")),
        )
        .order_by(F("last_activity_at").desc(nulls_last=True), "-enrolled_at")
    )


# The person's learning rows, the query built once per process (core/rows.py); the stand-in is
# in range of a user id (tests/courses/test_learning_rows.py holds it to the queryset).
_LEARNING = CompiledQuery(_learning_query, 2_000_000_011)


def learning_rows(*, user) -> list[dict]:
    """The person's enrolments, most recently active first, each with its progress and next lesson.

    One query whatever the number of courses and lessons (`_learning_query`): at county scale a
    trainee has ~15 courses of 8 lessons; only what the rows show is read (title, link,
    position), and only each course's next lesson becomes a page (for its link).
    """
    rows = []
    for enrollment in _LEARNING(user.pk, using=user._state.db or "default"):
        course_lessons = enrollment.lesson_rows
        done = set(enrollment.done_ids)
        upcoming = next((values for values in course_lessons if values["id"] not in done), None)
        rows.append(
            {
                "enrollment": enrollment,
                "course": enrollment.course,
                "completion": CourseCompletion(
                    completed=sum(1 for values in course_lessons if values["id"] in done),
                    total=len(course_lessons),
                    completed_at=enrollment.completed_at,
                    enrolled=True,
                ),
                "next_lesson": light_lesson(upcoming) if upcoming else None,
            }
        )
    return rows


# What My learning shows of a task waiting or sent back, of a quiz result, and of their lesson
# (what a link and a title need, not the whole page).
OPEN_TASK_FIELDS = ("id", "user_id", "lesson_id", "status", "feedback", "submitted_at", "reviewed_at")
QUIZ_RESULT_FIELDS = ("id", "user_id", "lesson_id", "score", "passed", "submitted_at")
RECENT_QUIZ_RESULTS = 5


def _open_tasks_query(user_id: int):
    lesson_fields = (f"lesson__{name}" for name in ROW_PAGE_FIELDS)
    return (
        TaskSubmission.objects.filter(
            user=user_id, status__in=[TaskSubmission.Status.CHANGES_REQUESTED, TaskSubmission.Status.SUBMITTED]
        )
        .select_related("lesson")
        .only(*OPEN_TASK_FIELDS, *lesson_fields)
        .order_by("pk")
    )


def _recent_quiz_results_query(user_id: int):
    lesson_fields = (f"lesson__{name}" for name in ROW_PAGE_FIELDS)
    return (
        QuizAttempt.objects.filter(user=user_id)
        .select_related("lesson")
        .only(*QUIZ_RESULT_FIELDS, *lesson_fields)
        .order_by("-submitted_at", "-pk")[:RECENT_QUIZ_RESULTS]
    )


# Built once per process (core/rows.py); tests/courses/test_learning_rows.py holds them to the querysets.
_OPEN_TASKS = CompiledQuery(_open_tasks_query, 2_000_000_013)
_RECENT_QUIZ_RESULTS = CompiledQuery(_recent_quiz_results_query, 2_000_000_017)


def open_tasks(*, user) -> list[TaskSubmission]:
    """The person's tasks waiting for review or sent back for changes, each with its lesson."""
    return _OPEN_TASKS(user.pk, using=user._state.db or "default")


def recent_quiz_results(*, user) -> list[QuizAttempt]:
    """The person's latest quiz attempts, newest first, each with its lesson."""
    return _RECENT_QUIZ_RESULTS(user.pk, using=user._state.db or "default")


@dataclass(frozen=True)
class LessonSurroundings:
    """What a lesson page shows around the lesson: its course, the lessons of the course (plain
    pages with what a link and a title need), and the reader's enrolment and progress."""

    course: CoursePage
    siblings: list
    enrollment: Enrollment | None
    progress: LessonProgress | None


def light_lesson(values: dict) -> LessonPage:
    """A lesson page holding only what a link to it and its title need (ROW_PAGE_FIELDS), from
    plain values: much cheaper than a page row."""
    return instance_from_values(LessonPage, values)


def _surroundings_query(course_path: str, depth: int, user_id: int | None, lesson_id: int):
    from django.db.models import FilteredRelation
    from django.db.models.functions import JSONObject

    courses = CoursePage.objects.filter(path=course_path)
    related = []
    if user_id is not None:
        courses = courses.annotate(
            mine=FilteredRelation("enrollments", condition=Q(enrollments__user=user_id)),
            here=FilteredRelation(
                "lesson_progress", condition=Q(lesson_progress__user=user_id, lesson_progress__lesson=lesson_id)
            ),
        )
        related = ["mine", "here"]
    lessons = LessonPage.objects.live().filter(path__startswith=course_path, depth=depth).order_by("path")
    fields = {name: F(name) for name in ROW_PAGE_FIELDS}
    return courses.annotate(lesson_rows=JSONRows(lessons.values(row=JSONObject(**fields)))).select_related(*related)


# A signed-in reader's surroundings, the query built once per process (core/rows.py).
# Stand-ins in range of their fields (an out-of-range integer makes Django compile the condition
# away: CompiledQuery checks that each stand-in is among the parameters).
_SURROUNDINGS = CompiledQuery(
    _surroundings_query, "courses.selectors:path", 2_000_000_001, 9_000_000_000_002, 9_000_000_000_003
)


def lesson_surroundings(*, user, lesson: LessonPage) -> LessonSurroundings:
    """One query: the course, with the person's enrolment and progress joined and the course's
    live lessons folded in (core/rows.py); for a signed-in reader its SQL is built once per
    process (`CompiledQuery`), tests/courses/test_lesson_surroundings.py holds it to the ORM's."""
    course_path = lesson.path[: -LessonPage.steplen]
    if user.is_authenticated:
        found = _SURROUNDINGS(course_path, lesson.depth, user.pk, lesson.pk, using=lesson._state.db or "default")
        if len(found) != 1:
            raise CoursePage.DoesNotExist if not found else CoursePage.MultipleObjectsReturned
        (course,) = found
    else:
        course = _surroundings_query(course_path, lesson.depth, None, lesson.pk).get()
    siblings = [light_lesson(row) for row in course.lesson_rows]
    return LessonSurroundings(
        course=course,
        siblings=siblings,
        enrollment=getattr(course, "mine", None),
        progress=getattr(course, "here", None),
    )


ROW_ENROLLMENT_FIELDS = (
    "id",
    "user_id",
    "course_id",
    "enrolled_at",
    "completed_at",
    "last_lesson_id",
    "last_activity_at",
)
ROW_PAGE_FIELDS = ("id", "path", "depth", "title", "title_en", "url_path", "slug")


@dataclass(frozen=True)
class OutOfAttempts:
    """A trainee who used every attempt at a quiz without passing it (the grant form's row)."""

    user: object
    lesson: LessonPage
    used: int
    allowed: int


def out_of_attempts(*, user_ids=None, limit: int | None = None) -> list[OutOfAttempts]:
    """Quizzes not passed whose attempts (with those granted) are used up, newest first.

    Three queries whatever the numbers: the grouped attempts, their people, their lessons.
    """
    from django.contrib.auth import get_user_model

    extra = LessonProgress.objects.filter(user=OuterRef("user_id"), lesson=OuterRef("lesson_id")).values(
        "extra_quiz_attempts"
    )[:1]
    rows = (
        QuizAttempt.objects.filter(lesson__quiz_max_attempts__gt=0)
        .values("user_id", "lesson_id")
        .annotate(
            used=Count("id"),
            passed=Count("id", filter=Q(passed=True)),
            last=Max("submitted_at"),
            # An aggregate (the same value on every row of the group), not a grouped expression:
            # a grouped one holding a parameter is written twice, and bound on the server
            # (settings: prepared statements) PostgreSQL cannot tell the two are the same.
            allowed=Max(F("lesson__quiz_max_attempts") + Coalesce(Subquery(extra), 0)),
        )
        .filter(passed=0, used__gte=F("allowed"))
        .order_by("-last")
    )
    if user_ids is not None:
        rows = rows.filter(user_id__in=list(user_ids))
    rows = list(rows[:limit] if limit else rows)
    people = get_user_model().objects.in_bulk({row["user_id"] for row in rows})
    lessons = LessonPage.objects.defer_streamfields().in_bulk({row["lesson_id"] for row in rows})
    return [
        OutOfAttempts(
            user=people[row["user_id"]], lesson=lessons[row["lesson_id"]], used=row["used"], allowed=row["allowed"]
        )
        for row in rows
        if row["user_id"] in people and row["lesson_id"] in lessons
    ]
