from .pages import CourseCategory, CourseIndexPage, CoursePage, LessonPage
from .progress import (
    Enrollment,
    LessonProgress,
    QuizAnswer,
    QuizAttempt,
    SubmissionEvent,
    SubmissionFile,
    TaskSubmission,
)

__all__ = [
    "CourseCategory",
    "CourseIndexPage",
    "CoursePage",
    "Enrollment",
    "LessonPage",
    "LessonProgress",
    "QuizAnswer",
    "QuizAttempt",
    "SubmissionEvent",
    "SubmissionFile",
    "TaskSubmission",
]
