"""The mentor's review of a trainee's practical-task submission."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy

from core.models import User
from mentors.services.access import require_current_mentor

FEEDBACK_REQUIRED = gettext_lazy("Please write what the trainee should change.")


@transaction.atomic
def review_submission(*, mentor: User, submission, approve: bool, feedback: str = ""):
    """Approve a submission, or ask for changes with written feedback, as the trainee's current mentor.

    Refuses anyone who is not the submitter's active mentor (a former mentor may read, not
    review). The state change, the history and the trainee's notification are courses' rule
    (`courses.services.review_submission`); an approval can complete the lesson.
    """
    from courses import services as course_services

    require_current_mentor(mentor=mentor, trainee=submission.user_id)
    feedback = (feedback or "").strip()
    if not approve and not feedback:
        raise ValidationError({"feedback": FEEDBACK_REQUIRED})
    return course_services.review_submission(submission=submission, reviewer=mentor, approve=approve, feedback=feedback)
