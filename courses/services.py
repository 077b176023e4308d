"""Changes to learning state: enrolment, lesson progress, quizzes, practical tasks and reviews.

Every function here is the one place its rule lives; views, admin actions, other apps and the
demo seed call these and never write the models directly.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import cache_families, history
from core.notifications import message, notify
from courses.models import (
    CoursePage,
    Enrollment,
    LessonPage,
    LessonProgress,
    QuizAnswer,
    QuizAttempt,
    SubmissionEvent,
    SubmissionFile,
    TaskSubmission,
)
from courses.uploads import MAX_FILES_PER_SUBMISSION, check_upload

COHORT_ONLY = _("This course is for cohort members only; the county office enrols you when your cohort starts.")
NOT_ENROLLED = _("Enrol in this course first.")
NO_QUIZ = _("This lesson has no quiz.")
QUIZ_ALREADY_PASSED = _("You have already passed this quiz.")
NO_ATTEMPTS_LEFT = _("You have used all %(count)s attempts at this quiz. Ask your mentor for help.")
UNLIMITED_QUIZ = _("This quiz has no limit on attempts.")
QUIZ_PASSED_BY_TRAINEE = _("This quiz is passed already: no more attempts are needed.")
GRANT_COUNT = _("Give between 1 and %(max)s more attempts.")
GRANT_REASON_REQUIRED = _("Say why, so that the trainee knows what to do before trying again.")
# More attempts a mentor or the office may give at once.
MAX_GRANTED_ATTEMPTS = 5
QUIZ_TAMPERED = _(
    "Your answers do not match this quiz, which may have changed. Please reload the page and answer again."
)
QUIZ_UNANSWERED = _("Please answer every question.")
NO_TASK = _("This lesson has no practical task.")
COMPLETED_BY_WORK = _("This lesson is completed by passing its quiz and having its task approved.")
AWAITING_REVIEW = _("Your work is waiting for review; you can send changes once your mentor has replied.")
ALREADY_APPROVED = _("Your work on this task has already been approved.")
EMPTY_SUBMISSION = _("Write a note, paste a link or add a file before sending.")
LINK_REQUIRED = _("This task asks for a link: paste the address of your shop or product page.")
FILES_REQUIRED = _("This task needs %(count)s files; you have added %(have)s so far.")
TOO_MANY_FILES = _("A submission may hold at most %(count)s files.")
NOT_AWAITING_REVIEW = _("This submission is not waiting for review.")
FEEDBACK_REQUIRED = _("Say what should change, so that the trainee knows what to do.")
INVALID_TRANSITION = _("A submission cannot go from “%(from)s” to “%(to)s”.")

Status = TaskSubmission.Status

# The submission state machine: current status (None for a new one) -> allowed next statuses.
SUBMISSION_TRANSITIONS: dict[str | None, set[str]] = {
    None: {Status.SUBMITTED},
    Status.SUBMITTED: {Status.APPROVED, Status.CHANGES_REQUESTED},
    Status.CHANGES_REQUESTED: {Status.SUBMITTED},
    Status.APPROVED: set(),
}


def _move_submission(submission: TaskSubmission, *, to: str, previous: str | None) -> None:
    if to not in SUBMISSION_TRANSITIONS[previous]:
        raise ValidationError(
            INVALID_TRANSITION,
            code="invalid_transition",
            params={"from": Status(previous).label if previous else "—", "to": Status(to).label},
        )
    submission.status = to


@transaction.atomic
def refresh_course_totals(*, course: CoursePage) -> None:
    """Store the number of live lessons and their minutes on the course (no revision is made)."""
    lessons = LessonPage.objects.child_of(course).live()
    totals = lessons.aggregate(minutes=Sum("estimated_minutes"))
    with cache_families.bulk_write(CoursePage):  # the catalogue shows the totals: drop its cached pages
        CoursePage.objects.filter(pk=course.pk).update(
            live_lesson_count=lessons.count(), estimated_minutes=totals["minutes"] or 0
        )


@transaction.atomic
def enroll(*, user, course: CoursePage, source: str = Enrollment.Source.SELF) -> Enrollment:
    """Enrol `user` in `course`; a second call returns the same enrolment.

    People enrol themselves only in open courses; cohort-only courses take `source=cohort`.
    """
    enrollment = Enrollment.objects.filter(user=user, course=course).first()
    if enrollment is None:
        if source == Enrollment.Source.SELF and not course.is_open:
            raise ValidationError(COHORT_ONLY, code="cohort_only")
        enrollment = Enrollment(user=user, course=course, source=source, last_activity_at=timezone.now())
        enrollment.full_clean(validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():
                enrollment.save()
        except IntegrityError:
            # A second request enrolled the same person a moment ago: theirs is the one.
            enrollment = Enrollment.objects.get(user=user, course=course)
    if source == Enrollment.Source.COHORT and enrollment.source != source:
        # A cohort assignment is the stronger reason to be here; record it.
        Enrollment.objects.filter(pk=enrollment.pk).update(source=source)
        enrollment.source = source
    return enrollment


def _course_path(lesson: LessonPage) -> str:
    # A lesson sits directly under its course: the parent's tree path is the lesson's minus a step.
    return lesson.path[: -LessonPage.steplen]


def _enrollment_for(*, user, lesson: LessonPage, lock: bool = False) -> Enrollment:
    qs = Enrollment.objects.filter(user=user, course__path=_course_path(lesson))
    if lock:
        qs = qs.select_for_update()
    enrollment = qs.first()
    if enrollment is None:
        raise ValidationError(NOT_ENROLLED, code="not_enrolled")
    return enrollment


def _touch(enrollment: Enrollment, *, lesson: LessonPage | None = None) -> None:
    values = {"last_activity_at": timezone.now()}
    if lesson is not None:
        values["last_lesson"] = lesson
    Enrollment.objects.filter(pk=enrollment.pk).update(**values)


# Re-reading the same lesson within this window records nothing new: the visit is already
# counted, and last activity is only needed to the day (the 14-day at-risk rule).
REOPEN_WINDOW = timedelta(minutes=10)


def open_lesson(
    *, user, lesson: LessonPage, enrollment: Enrollment | None = None, progress: LessonProgress | None = None
) -> LessonProgress | None:
    """Record that an enrolled person opened a lesson (the first opening and the last activity).

    Opening never completes a lesson: a GET changes no learning state. A lesson is completed by
    its quiz and task, or, without either, by `complete_lesson` (the "I have finished" button).
    Safe to repeat and to race: the (user, lesson) constraint keeps one row. Returns None for a
    person who is not enrolled (they may read, but nothing is recorded). `enrollment` and
    `progress` are the person's rows when the caller has read them already.
    """
    if enrollment is None:
        enrollment = Enrollment.objects.filter(user=user, course__path=_course_path(lesson)).first()
    if enrollment is None:
        return None
    recently_here = (
        enrollment.last_lesson_id == lesson.pk
        and enrollment.last_activity_at is not None
        and timezone.now() - enrollment.last_activity_at < REOPEN_WINDOW
    )
    if recently_here and progress is None:
        # One read (or none) instead of a transaction with writes: the common case of a page reload.
        progress = LessonProgress.objects.filter(user=user, lesson=lesson).first()
    if progress is None:
        return _record_opening(user=user, lesson=lesson, enrollment=enrollment)
    if not recently_here:
        # The row is there (the caller read it): the visit is the enrolment's one UPDATE, atomic
        # on its own, instead of a transaction reading the row again.
        _touch(enrollment, lesson=lesson)
    return progress


@transaction.atomic
def _record_opening(*, user, lesson: LessonPage, enrollment: Enrollment) -> LessonProgress | None:
    progress = _progress_row(user=user, lesson=lesson, course_id=enrollment.course_id)
    _touch(enrollment, lesson=lesson)
    return progress


@transaction.atomic
def complete_lesson(*, user, lesson: LessonPage) -> LessonProgress:
    """Complete a lesson without quiz or task, when the person says they have finished it.

    A POST (the lesson's "I have finished" button, also replayed by the offline outbox): a repeat
    changes nothing, and the completion date is the first one.
    """
    if lesson.has_quiz or lesson.has_task:
        raise ValidationError(COMPLETED_BY_WORK, code="completed_by_work")
    enrollment = _enrollment_for(user=user, lesson=lesson)
    progress = _progress_row(user=user, lesson=lesson, course_id=enrollment.course_id)
    _touch(enrollment, lesson=lesson)
    return refresh_lesson_completion(user=user, lesson=lesson, progress=progress, enrollment=enrollment)


def _progress_row(*, user, lesson: LessonPage, course_id: int) -> LessonProgress:
    try:
        progress, _created = LessonProgress.objects.get_or_create(
            user=user, lesson=lesson, defaults={"course_id": course_id}
        )
    except IntegrityError:
        # Another request created it between our look-up and insert (get_or_create retries the
        # read itself on most backends; this covers the rest).
        progress = LessonProgress.objects.get(user=user, lesson=lesson)
    return progress


def lesson_requirements_met(*, user, lesson: LessonPage) -> bool:
    """Whether the lesson's quiz (if any) is passed and its task (if any) approved."""
    quiz_done = not lesson.has_quiz or QuizAttempt.objects.filter(user=user, lesson=lesson, passed=True).exists()
    task_done = (
        not lesson.has_task or TaskSubmission.objects.filter(user=user, lesson=lesson, status=Status.APPROVED).exists()
    )
    return quiz_done and task_done


@transaction.atomic
def refresh_lesson_completion(
    *, user, lesson: LessonPage, progress: LessonProgress | None = None, enrollment: Enrollment | None = None
) -> LessonProgress | None:
    """Mark the lesson complete once it was opened and its quiz and task are done (idempotent).

    Callers are the changes that can finish a lesson: a passed quiz, an approved task, the
    "I have finished" button of a lesson without either (`complete_lesson`).
    """
    if progress is None:
        progress = LessonProgress.objects.filter(user=user, lesson=lesson).first()
        if progress is None:
            return None
    if progress.completed_at is None and lesson_requirements_met(user=user, lesson=lesson):
        now = timezone.now()
        # A conditional update: of two racing requests only one sets the date.
        if LessonProgress.objects.filter(pk=progress.pk, completed_at__isnull=True).update(completed_at=now):
            progress.completed_at = now
            refresh_course_completion(user=user, course_id=progress.course_id, enrollment=enrollment)
    return progress


@transaction.atomic
def refresh_course_completion(*, user, course_id: int, enrollment: Enrollment | None = None) -> Enrollment | None:
    """Record the completion date when every live lesson of the course is complete.

    The rule for lessons published later: a completed course stays completed (its date stands and
    anything built on it, like graduation, is not undone); the new lesson shows in the person's
    progress as still to do.
    """
    if enrollment is None:
        enrollment = Enrollment.objects.filter(user=user, course_id=course_id).first()
    if enrollment is None or enrollment.completed_at is not None:
        return enrollment
    course = CoursePage.objects.get(pk=course_id)
    done = LessonProgress.objects.filter(
        user=user, course_id=course_id, completed_at__isnull=False, lesson__live=True
    ).count()
    if course.live_lesson_count and done >= course.live_lesson_count:
        now = timezone.now()
        if Enrollment.objects.filter(pk=enrollment.pk, completed_at__isnull=True).update(completed_at=now):
            enrollment.completed_at = now
            notify(
                recipient=user,
                kind="course-completed",
                title=message(_("You have completed the course “%(course)s”"), course=course.title),
                url=reverse("courses:my_learning"),
                dedupe_key=f"course-completed:{enrollment.pk}",
            )
    return enrollment


def attempts_left(*, lesson: LessonPage, used: int, extra: int = 0) -> int | None:
    """How many more attempts a person has (None when unlimited); `extra` are those granted."""
    if not lesson.quiz_max_attempts:
        return None
    return max(0, lesson.quiz_max_attempts + extra - used)


def _extra_attempts(*, user, lesson: LessonPage) -> int:
    found = LessonProgress.objects.filter(user=user, lesson=lesson).values_list("extra_quiz_attempts", flat=True)
    return next(iter(found), 0)


@transaction.atomic
def grant_quiz_attempts(*, trainee, lesson: LessonPage, count: int, reason: str, by) -> LessonProgress:
    """Give a trainee `count` more attempts at a lesson's quiz, after they used those it allows.

    No permission check: callers check (the trainee's current mentor, or the office). The grant
    is kept in the progress row's history (who, when, the allowance before and after, why) and
    the trainee is told, with the reason.
    """
    reason = (reason or "").strip()
    if not lesson.has_quiz:
        raise ValidationError(NO_QUIZ, code="no_quiz")
    if not lesson.quiz_max_attempts:
        raise ValidationError(UNLIMITED_QUIZ, code="unlimited")
    errors = {}
    if not isinstance(count, int) or not 1 <= count <= MAX_GRANTED_ATTEMPTS:
        errors["count"] = ValidationError(GRANT_COUNT, code="count", params={"max": MAX_GRANTED_ATTEMPTS})
    if not reason:
        errors["reason"] = ValidationError(GRANT_REASON_REQUIRED, code="reason_required")
    if errors:
        raise ValidationError(errors)
    # The enrolment lock is the one submit_quiz takes: a grant and an attempt never interleave.
    enrollment = _enrollment_for(user=trainee, lesson=lesson, lock=True)
    if QuizAttempt.objects.filter(user=trainee, lesson=lesson, passed=True).exists():
        raise ValidationError(QUIZ_PASSED_BY_TRAINEE, code="already_passed")
    progress = _progress_row(user=trainee, lesson=lesson, course_id=enrollment.course_id)
    before = history.snapshot(progress, ["extra_quiz_attempts"])
    progress.extra_quiz_attempts += count
    progress.save(update_fields=["extra_quiz_attempts"])
    history.record(progress, actor=by, reason=reason, before=before)
    notify(
        recipient=trainee,
        kind="quiz-attempts-granted",
        title=message(_("More attempts at the quiz “%(lesson)s”: %(count)s"), lesson=lesson.title, count=count),
        body=reason,
        url=lesson.url or "",
    )
    return progress


@transaction.atomic
def submit_quiz(*, user, lesson: LessonPage, answers: dict[str, list[str]]) -> QuizAttempt:
    """Grade a quiz on the server and store the attempt with its answers.

    `answers` maps question keys to the chosen answer keys. Unknown keys, several answers to a
    single-choice question or a missing answer are refused without storing anything.
    """
    if not lesson.has_quiz:
        raise ValidationError(NO_QUIZ, code="no_quiz")
    # Locking the enrolment serialises one person's attempts, so numbers never collide.
    enrollment = _enrollment_for(user=user, lesson=lesson, lock=True)
    previous = list(QuizAttempt.objects.filter(user=user, lesson=lesson).values_list("passed", flat=True))
    if any(previous):
        raise ValidationError(QUIZ_ALREADY_PASSED, code="already_passed")
    extra = _extra_attempts(user=user, lesson=lesson) if previous else 0
    if attempts_left(lesson=lesson, used=len(previous), extra=extra) == 0:
        raise ValidationError(
            NO_ATTEMPTS_LEFT, code="no_attempts_left", params={"count": lesson.quiz_max_attempts + extra}
        )

    questions = {question["key"]: question for question in lesson.questions}
    if set(answers) - set(questions):
        raise ValidationError(QUIZ_TAMPERED, code="tampered")
    graded = []
    for key, question in questions.items():
        chosen = [str(choice) for choice in answers.get(key) or []]
        valid = {choice["key"] for choice in question["choices"]}
        if not chosen:
            raise ValidationError(QUIZ_UNANSWERED, code="unanswered")
        if set(chosen) - valid or len(set(chosen)) != len(chosen) or (not question["multiple"] and len(chosen) > 1):
            raise ValidationError(QUIZ_TAMPERED, code="tampered")
        right = {choice["key"] for choice in question["choices"] if choice["correct"]}
        graded.append((key, sorted(chosen), set(chosen) == right))

    correct = sum(1 for _key, _chosen, ok in graded if ok)
    score = round(100 * correct / len(graded))
    attempt = QuizAttempt(
        user=user,
        lesson=lesson,
        number=len(previous) + 1,
        score=score,
        correct_count=correct,
        question_count=len(graded),
        passed=score >= lesson.quiz_pass_percent,
    )
    attempt.full_clean()
    attempt.save()
    QuizAnswer.objects.bulk_create(
        QuizAnswer(attempt=attempt, question_key=key, choice_keys=chosen, correct=ok) for key, chosen, ok in graded
    )
    progress = _progress_row(user=user, lesson=lesson, course_id=enrollment.course_id)
    _touch(enrollment, lesson=lesson)
    if attempt.passed:
        refresh_lesson_completion(user=user, lesson=lesson, progress=progress, enrollment=enrollment)
    return attempt


@transaction.atomic
def submit_task(*, user, lesson: LessonPage, text: str = "", link: str = "", files=()) -> TaskSubmission:
    """Send (or resend after changes were requested) the person's work on a practical task.

    Files are checked by content and stored under random names in the private storage. Nothing
    is saved unless everything is valid.
    """
    if not lesson.has_task:
        raise ValidationError(NO_TASK, code="no_task")
    enrollment = _enrollment_for(user=user, lesson=lesson, lock=True)
    submission = TaskSubmission.objects.select_for_update().filter(user=user, lesson=lesson).first()
    if submission is not None and submission.status == Status.SUBMITTED:
        raise ValidationError(AWAITING_REVIEW, code="awaiting_review")
    if submission is not None and submission.status == Status.APPROVED:
        raise ValidationError(ALREADY_APPROVED, code="already_approved")

    text, link, files = (text or "").strip(), (link or "").strip(), list(files)
    if not (text or link or files):
        raise ValidationError(EMPTY_SUBMISSION, code="empty")
    if lesson.task_wants_link and not link:
        raise ValidationError({"link": ValidationError(LINK_REQUIRED, code="link_required")})
    errors = []
    checked = []
    for upload in files:
        try:
            checked.append((upload, *check_upload(upload)))
        except ValidationError as error:
            errors.append(error)
    if errors:
        raise ValidationError({"files": errors})
    have = (submission.files.count() if submission else 0) + len(files)
    if have > MAX_FILES_PER_SUBMISSION:
        raise ValidationError(
            {"files": ValidationError(TOO_MANY_FILES, code="too_many", params={"count": MAX_FILES_PER_SUBMISSION})}
        )
    if have < lesson.task_min_files:
        raise ValidationError(
            {
                "files": ValidationError(
                    FILES_REQUIRED, code="files_required", params={"count": lesson.task_min_files, "have": have}
                )
            }
        )

    now = timezone.now()
    if submission is None:
        submission = TaskSubmission(user=user, lesson=lesson, round=1)
        previous, kind = None, SubmissionEvent.Kind.SUBMITTED
    else:
        previous, kind = submission.status, SubmissionEvent.Kind.RESUBMITTED
        submission.round += 1
    _move_submission(submission, to=Status.SUBMITTED, previous=previous)
    submission.text, submission.link, submission.submitted_at = text, link, now
    submission.reviewed_at, submission.reviewer = None, None
    submission.full_clean(validate_unique=False, validate_constraints=False)
    submission.save()
    SubmissionEvent.objects.create(
        submission=submission, kind=kind, round=submission.round, actor=user, text=text, link=link
    )
    for upload, content_type, extension in checked:
        stored = SubmissionFile(
            submission=submission,
            round=submission.round,
            original_name=(upload.name or "")[-200:],
            content_type=content_type,
            extension=extension,
            size=upload.size,
        )
        stored.file.save(f"upload.{extension}", upload, save=False)
        stored.save()
    _progress_row(user=user, lesson=lesson, course_id=enrollment.course_id)
    _touch(enrollment, lesson=lesson)
    return submission


@transaction.atomic
def review_submission(*, submission: TaskSubmission, reviewer, approve: bool, feedback: str) -> TaskSubmission:
    """Approve a submission or ask for changes, with feedback; the trainee is notified.

    Callers check that `reviewer` may review it. Raises ValidationError when the submission is
    not waiting for review, or when changes are asked for without saying which.
    """
    submission = TaskSubmission.objects.select_for_update().select_related("lesson", "user").get(pk=submission.pk)
    feedback = (feedback or "").strip()
    if submission.status != Status.SUBMITTED:
        raise ValidationError(NOT_AWAITING_REVIEW, code="not_awaiting_review")
    if not approve and not feedback:
        raise ValidationError({"feedback": ValidationError(FEEDBACK_REQUIRED, code="feedback_required")})
    to = Status.APPROVED if approve else Status.CHANGES_REQUESTED
    _move_submission(submission, to=to, previous=submission.status)
    submission.reviewer, submission.reviewed_at, submission.feedback = reviewer, timezone.now(), feedback
    submission.full_clean(validate_unique=False, validate_constraints=False)
    submission.save(update_fields=["status", "reviewer", "reviewed_at", "feedback"])
    SubmissionEvent.objects.create(
        submission=submission,
        kind=SubmissionEvent.Kind.APPROVED if approve else SubmissionEvent.Kind.CHANGES_REQUESTED,
        round=submission.round,
        actor=reviewer,
        text=feedback,
    )
    lesson = submission.lesson
    if approve:
        refresh_lesson_completion(user=submission.user, lesson=lesson)
        title = message(_("Your task “%(lesson)s” was approved"), lesson=lesson.title)
    else:
        title = message(_("Changes requested on your task “%(lesson)s”"), lesson=lesson.title)
    notify(
        recipient=submission.user,
        kind="task-reviewed",
        title=title,
        body=feedback,
        url=lesson.url or "",
    )
    return submission
