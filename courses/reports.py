"""Figures for the county office: per course, per lesson, and the hardest quiz questions.

Each function runs a fixed number of grouped queries, whatever the number of courses or people.
"""

from dataclasses import dataclass, field

from django.db.models import Avg, Count, Exists, OuterRef, Q, Sum

from courses.models import CoursePage, Enrollment, LessonPage, LessonProgress, QuizAnswer, QuizAttempt
from courses.selectors import live_lessons_of


@dataclass
class CourseFigures:
    course: CoursePage
    enrolled: int = 0
    completed: int = 0
    started: int = 0
    quiz_attempts: int = 0
    quiz_score_total: int = 0

    @property
    def in_progress(self) -> int:
        return self.enrolled - self.completed

    @property
    def not_started(self) -> int:
        return max(0, self.enrolled - self.completed - self.started)

    @property
    def completion_rate(self) -> int | None:
        return round(100 * self.completed / self.enrolled) if self.enrolled else None

    @property
    def average_quiz_score(self) -> int | None:
        return round(self.quiz_score_total / self.quiz_attempts) if self.quiz_attempts else None


@dataclass
class LessonFigures:
    lesson: LessonPage
    opened: int = 0
    completed: int = 0
    attempts: int = 0
    passed: int = 0
    average_score: int | None = None


@dataclass
class HardQuestion:
    lesson: LessonPage
    text: str
    first_answers: int
    first_correct: int
    explanation: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def correct_rate(self) -> int:
        return round(100 * self.first_correct / self.first_answers) if self.first_answers else 0


def course_figures(*, courses=None) -> list[CourseFigures]:
    """Enrolled, started, completed, completion rate and average quiz score of each course."""
    if courses is None:
        courses = CoursePage.objects.order_by("path")
    courses = list(courses)
    figures = {course.pk: CourseFigures(course=course) for course in courses}
    for row in (
        Enrollment.objects.filter(course__in=courses)
        .values("course_id")
        .annotate(
            enrolled=Count("pk"),
            completed=Count("pk", filter=Q(completed_at__isnull=False)),
        )
        .order_by()
    ):
        figures[row["course_id"]].enrolled = row["enrolled"]
        figures[row["course_id"]].completed = row["completed"]
    # Started: enrolled, not completed, and at least one lesson opened.
    for row in (
        Enrollment.objects.filter(course__in=courses, completed_at__isnull=True)
        .filter(Exists(LessonProgress.objects.filter(user_id=OuterRef("user_id"), course_id=OuterRef("course_id"))))
        .values("course_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        figures[row["course_id"]].started = row["n"]
    lesson_course = {
        lesson_id: path[: -LessonPage.steplen] for lesson_id, path in live_lessons_of(courses).values_list("pk", "path")
    }
    course_by_path = {course.path: course.pk for course in courses}
    for row in (
        QuizAttempt.objects.filter(lesson_id__in=list(lesson_course))
        .values("lesson_id")
        .annotate(n=Count("pk"), total=Sum("score"))
        .order_by()
    ):
        course_id = course_by_path[lesson_course[row["lesson_id"]]]
        figures[course_id].quiz_attempts += row["n"]
        figures[course_id].quiz_score_total += row["total"] or 0
    return [figures[course.pk] for course in courses]


def lesson_figures(*, course: CoursePage) -> list[LessonFigures]:
    lessons = list(live_lessons_of([course]).defer_streamfields())
    figures = {lesson.pk: LessonFigures(lesson=lesson) for lesson in lessons}
    for row in (
        LessonProgress.objects.filter(lesson__in=lessons)
        .values("lesson_id")
        .annotate(opened=Count("pk"), completed=Count("pk", filter=Q(completed_at__isnull=False)))
        .order_by()
    ):
        figures[row["lesson_id"]].opened = row["opened"]
        figures[row["lesson_id"]].completed = row["completed"]
    for row in (
        QuizAttempt.objects.filter(lesson__in=lessons)
        .values("lesson_id")
        .annotate(n=Count("pk"), passed=Count("pk", filter=Q(passed=True)), avg=Avg("score"))
        .order_by()
    ):
        item = figures[row["lesson_id"]]
        item.attempts, item.passed = row["n"], row["passed"]
        item.average_score = round(row["avg"]) if row["avg"] is not None else None
    return [figures[lesson.pk] for lesson in lessons]


def hardest_questions(*, course: CoursePage, limit: int = 10) -> list[HardQuestion]:
    """The questions with the lowest share of correct first answers (first attempts only)."""
    lessons = {lesson.pk: lesson for lesson in live_lessons_of([course])}
    rows = (
        QuizAnswer.objects.filter(attempt__lesson_id__in=list(lessons), attempt__number=1)
        .values("attempt__lesson_id", "question_key")
        .annotate(n=Count("pk"), right=Count("pk", filter=Q(correct=True)))
        .order_by()
    )
    found = []
    for row in rows:
        lesson = lessons[row["attempt__lesson_id"]]
        question = next((q for q in lesson.questions if q["key"] == row["question_key"]), None)
        if question is None:
            continue  # the question was removed from the quiz since
        found.append(
            HardQuestion(
                lesson=lesson,
                text=question["text"],
                first_answers=row["n"],
                first_correct=row["right"],
                explanation=question["explanation"],
            )
        )
    found.sort(key=lambda item: (item.correct_rate, -item.first_answers))
    return found[:limit]
