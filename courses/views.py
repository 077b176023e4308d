"""The trainee's own URLs in courses: My learning and the private files of a submission.

The catalogue, course and lesson pages are Wagtail pages, served through courses.page_serving.
Changes go through courses.services.
"""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from wagtail import hooks

from core.roles import is_office
from courses import selectors
from courses.models import (
    SubmissionFile,
    TaskSubmission,
)
from courses.uploads import private_file_response

# --- catalogue --------------------------------------------------------------------------------


# --- course page --------------------------------------------------------------------------------


# --- lesson page --------------------------------------------------------------------------------


# --- My learning --------------------------------------------------------------------------------


@login_required
def my_learning(request):
    user = request.user
    rows = selectors.learning_rows(user=user)
    # Both lists in one query: tasks to change (latest review first) and tasks waiting (latest first).
    open_tasks = selectors.open_tasks(user=user)
    changes = sorted(
        (s for s in open_tasks if s.status == TaskSubmission.Status.CHANGES_REQUESTED),
        key=lambda s: (s.reviewed_at is not None, s.reviewed_at or s.submitted_at),
        reverse=True,
    )
    waiting = sorted(
        (s for s in open_tasks if s.status == TaskSubmission.Status.SUBMITTED),
        key=lambda s: s.submitted_at,
        reverse=True,
    )
    quiz_results = selectors.recent_quiz_results(user=user)
    return render(
        request,
        "courses/my_learning.html",
        {
            "rows": rows,
            "in_progress": [row for row in rows if not row["completion"].is_complete],
            "finished": [row for row in rows if row["completion"].is_complete],
            "changes": changes,
            "waiting": waiting,
            "quiz_results": quiz_results,
        },
    )


# --- private files --------------------------------------------------------------------------------


def can_view_submission(user, submission: TaskSubmission) -> bool:
    """The owner, office staff, and whoever a higher app's `courses_can_view_submission` hook allows."""
    if not user.is_authenticated:
        return False
    if submission.user_id == user.pk or is_office(user):
        return True
    return any(fn(user, submission) for fn in hooks.get_hooks("courses_can_view_submission"))


@require_GET
def submission_file(request, pk: int):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    stored = get_object_or_404(SubmissionFile.objects.select_related("submission"), pk=pk)
    if not can_view_submission(request.user, stored.submission):
        raise Http404
    return private_file_response(
        field_file=stored.file,
        content_type=stored.content_type,
        filename=f"{stored.submission.lesson_id}-{stored.pk}.{stored.extension}",
    )
