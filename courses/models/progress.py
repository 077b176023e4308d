"""Who learns what: enrolments, lesson progress, quiz attempts and practical-task submissions."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.storage import private_storage


class Enrollment(models.Model):
    """A person taking a course. One per person and course."""

    class Source(models.TextChoices):
        SELF = "self", _("enrolled themselves")
        COHORT = "cohort", _("assigned with a cohort")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments", verbose_name=_("learner")
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="enrollments", verbose_name=_("course")
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.SELF)
    enrolled_at = models.DateTimeField(_("enrolled"), auto_now_add=True)
    # Set once, when every live lesson is complete; it stays set if lessons are added later.
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    last_lesson = models.ForeignKey(
        "courses.LessonPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last lesson opened"),
    )
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)

    class Meta:
        ordering = ["-last_activity_at", "-enrolled_at"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="enrollment_unique_user_course")]
        indexes = [models.Index(fields=["course", "completed_at"], name="enrollment_course_completed")]

    def __str__(self):
        return f"{self.user} · {self.course}"


class LessonProgress(models.Model):
    """A person's progress on one lesson: opened, then completed once its quiz and task are done."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress", verbose_name=_("learner")
    )
    lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.CASCADE, related_name="progress", verbose_name=_("lesson")
    )
    # The lesson's course, copied so that course progress is one aggregate without walking the tree;
    # courses.receivers keeps it right when a lesson moves to another course.
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="lesson_progress", verbose_name=_("course")
    )
    opened_at = models.DateTimeField(_("first opened"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    # Attempts at the lesson's quiz beyond its maximum, granted by the trainee's mentor or the
    # office (courses.services.grant_quiz_attempts); each grant is in the row's core.history.
    extra_quiz_attempts = models.PositiveSmallIntegerField(_("extra quiz attempts"), default=0)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [models.UniqueConstraint(fields=["user", "lesson"], name="lessonprogress_unique_user_lesson")]
        indexes = [models.Index(fields=["user", "course"], name="lessonprogress_user_course")]

    def __str__(self):
        return f"{self.user} · {self.lesson}"


class QuizAttempt(models.Model):
    """One submitted quiz, graded on the server, with its answers (see QuizAnswer)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts", verbose_name=_("learner")
    )
    lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.CASCADE, related_name="quiz_attempts", verbose_name=_("lesson")
    )
    number = models.PositiveSmallIntegerField(_("attempt number"))
    score = models.PositiveSmallIntegerField(_("score (%)"))
    correct_count = models.PositiveSmallIntegerField(_("correct answers"))
    question_count = models.PositiveSmallIntegerField(_("questions"))
    passed = models.BooleanField(_("passed"))
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        constraints = [
            # Numbers make a double-posted form fail instead of counting as two attempts.
            models.UniqueConstraint(fields=["user", "lesson", "number"], name="quizattempt_unique_number"),
            models.CheckConstraint(condition=models.Q(score__lte=100), name="quizattempt_score_percent"),
            models.CheckConstraint(
                condition=models.Q(correct_count__lte=models.F("question_count")), name="quizattempt_correct_le_total"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.lesson} #{self.number}"


class QuizAnswer(models.Model):
    """The choices given to one question in one attempt. Keys are the StreamField block ids."""

    attempt = models.ForeignKey(
        QuizAttempt, on_delete=models.CASCADE, related_name="answers", verbose_name=_("attempt")
    )
    question_key = models.CharField(_("question"), max_length=64)
    choice_keys = models.JSONField(_("choices"), default=list)
    correct = models.BooleanField(_("correct"))

    class Meta:
        verbose_name = _("quiz answer")
        verbose_name_plural = _("quiz answers")
        constraints = [models.UniqueConstraint(fields=["attempt", "question_key"], name="quizanswer_unique_question")]

    def __str__(self):
        return f"{self.attempt} · {self.question_key}"


class TaskSubmission(models.Model):
    """A person's work on a lesson's practical task: one per person and lesson, with its history."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("awaiting review")
        CHANGES_REQUESTED = "changes_requested", _("changes requested")
        APPROVED = "approved", _("approved")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="task_submissions", verbose_name=_("learner")
    )
    lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.CASCADE, related_name="submissions", verbose_name=_("lesson")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    text = models.TextField(_("notes"), blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    submitted_at = models.DateTimeField(_("submitted"))
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_submissions",
        verbose_name=_("reviewer"),
    )
    feedback = models.TextField(_("feedback"), blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("task submission")
        verbose_name_plural = _("task submissions")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="tasksubmission_unique_user_lesson"),
            models.CheckConstraint(
                condition=models.Q(status__in=["submitted", "changes_requested", "approved"]),
                name="tasksubmission_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"], name="tasksubmission_status")]

    def __str__(self):
        return f"{self.user} · {self.lesson}"


class SubmissionEvent(models.Model):
    """The history of a submission: each (re)submission and each review, with what was said."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        RESUBMITTED = "resubmitted", _("resubmitted")
        APPROVED = "approved", _("approved")
        CHANGES_REQUESTED = "changes_requested", _("changes requested")

    submission = models.ForeignKey(
        TaskSubmission, on_delete=models.CASCADE, related_name="events", verbose_name=_("submission")
    )
    kind = models.CharField(_("what happened"), max_length=20, choices=Kind.choices)
    round = models.PositiveSmallIntegerField(_("round"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    text = models.TextField(_("notes or feedback"), blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("submission event")
        verbose_name_plural = _("submission history")

    def __str__(self):
        return f"{self.submission} · {self.get_kind_display()}"


def submission_upload_to(instance, filename):
    # The uploaded name is never used on disk: only a random name with the detected extension.
    return f"submissions/{instance.submission.user_id}/{uuid.uuid4().hex}.{instance.extension}"


class SubmissionFile(models.Model):
    """A photo or document of a submission, stored outside the public media folder."""

    submission = models.ForeignKey(
        TaskSubmission, on_delete=models.CASCADE, related_name="files", verbose_name=_("submission")
    )
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    file = models.FileField(_("file"), storage=private_storage, upload_to=submission_upload_to, max_length=200)
    original_name = models.CharField(_("original name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    extension = models.CharField(_("extension"), max_length=10)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["round", "id"]
        verbose_name = _("submission file")
        verbose_name_plural = _("submission files")

    def __str__(self):
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
