"""Who may act on a trainee: only their current mentor."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from core.models import User
from mentors.selectors.relations import is_mentor_of

NOT_YOUR_TRAINEE = gettext_lazy("You are not this trainee's current mentor.")


def require_current_mentor(*, mentor: User, trainee) -> None:
    if not is_mentor_of(mentor=mentor, trainee=trainee, current_only=True):
        raise ValidationError(NOT_YOUR_TRAINEE)
