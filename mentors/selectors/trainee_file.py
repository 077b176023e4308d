"""A trainee's file as their mentor and the office read it: learning in detail, check-ins,
assignments and recommendations."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q

from mentors.models import CheckIn, GraduationRecommendation, MentorAssignment


@dataclass
class LessonLine:
    lesson: object  # courses.LessonPage
    completed_at: datetime | None = None
    opened_at: datetime | None = None
    attempts: list = field(default_factory=list)
    submission: object | None = None
    extra_attempts: int = 0

    @property
    def best_score(self):
        return max((a.score for a in self.attempts), default=None)

    @property
    def passed(self) -> bool:
        return any(a.passed for a in self.attempts)

    @property
    def out_of_attempts(self) -> bool:
        """Every attempt the quiz allows (with those given) used, and not passed: the mentor may give more."""
        limit = self.lesson.quiz_max_attempts
        return bool(limit) and not self.passed and len(self.attempts) >= limit + self.extra_attempts


@dataclass
class CourseDetail:
    enrollment: object
    lessons: list[LessonLine]

    @property
    def completed(self) -> int:
        return sum(1 for line in self.lessons if line.completed_at)

    @property
    def percent(self) -> int:
        return round(100 * self.completed / len(self.lessons)) if self.lessons else 0


def trainee_learning(*, trainee) -> list[CourseDetail]:
    """Every course the trainee is enrolled in, lesson by lesson, with quiz attempts and submissions.

    Six queries whatever the number of courses, lessons, attempts or submissions.
    """
    from courses.models import Enrollment, LessonPage, LessonProgress, QuizAttempt, TaskSubmission

    enrollments = list(Enrollment.objects.filter(user=trainee).select_related("course").order_by("course__path"))
    if not enrollments:
        return []
    path_filter = Q()
    for enrollment in enrollments:
        path_filter |= Q(path__startswith=enrollment.course.path, depth=enrollment.course.depth + 1)
    lessons = list(LessonPage.objects.live().filter(path_filter).defer_streamfields().order_by("path"))
    progress = {p.lesson_id: p for p in LessonProgress.objects.filter(user=trainee)}
    attempts = defaultdict(list)
    for attempt in QuizAttempt.objects.filter(user=trainee).order_by("submitted_at", "pk"):
        attempts[attempt.lesson_id].append(attempt)
    submissions = {
        s.lesson_id: s
        for s in TaskSubmission.objects.filter(user=trainee)
        .select_related("reviewer")
        .prefetch_related("events__actor", "files")
    }
    details = []
    for enrollment in enrollments:
        course = enrollment.course
        lines = []
        for lesson in lessons:
            if lesson.path.startswith(course.path):
                done = progress.get(lesson.pk)
                lines.append(
                    LessonLine(
                        lesson=lesson,
                        completed_at=getattr(done, "completed_at", None),
                        opened_at=getattr(done, "opened_at", None),
                        attempts=attempts.get(lesson.pk, []),
                        submission=submissions.get(lesson.pk),
                        extra_attempts=getattr(done, "extra_quiz_attempts", 0),
                    )
                )
        details.append(CourseDetail(enrollment=enrollment, lessons=lines))
    return details


def checkins_for(*, trainee):
    return CheckIn.objects.filter(trainee=trainee).select_related("mentor")


def assignment_history(*, trainee):
    return (
        MentorAssignment.objects.filter(trainee=trainee)
        .select_related("mentor", "assigned_by")
        .order_by("-started_at", "-pk")
    )


def recommendations_for(*, trainee):
    return GraduationRecommendation.objects.filter(trainee=trainee).select_related("mentor")
