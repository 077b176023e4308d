"""A mentor's recommendation of a trainee for graduation."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from core import roles
from core.models import User
from core.notifications import notify
from mentors.models import GraduationRecommendation
from mentors.services.access import require_current_mentor

RECOMMENDATION_EXISTS = gettext_lazy("This trainee has already been recommended for graduation.")
NOTE_REQUIRED = gettext_lazy("Please write why the trainee is ready to graduate.")
RECOMMENDATION_WITHDRAWN = gettext_lazy("This recommendation has already been withdrawn.")
NOT_YOUR_RECOMMENDATION = gettext_lazy("Only the trainee's current mentor can withdraw this recommendation.")


@transaction.atomic
def recommend_graduation(*, mentor: User, trainee: User, note: str) -> GraduationRecommendation:
    """Recommend the trainee for graduation; the office sees it when approving graduations."""
    require_current_mentor(mentor=mentor, trainee=trainee)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": NOTE_REQUIRED})
    if GraduationRecommendation.objects.active().filter(trainee=trainee).exists():
        raise ValidationError(RECOMMENDATION_EXISTS)
    recommendation = GraduationRecommendation(trainee=trainee, mentor=mentor, note=note)
    recommendation.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            recommendation.save()
    except IntegrityError as exc:
        raise ValidationError(RECOMMENDATION_EXISTS) from exc
    notify(
        recipient=trainee,
        kind="graduation-recommended",
        title=gettext_lazy("Your mentor has recommended you for graduation"),
        body=gettext_lazy("The county office will review your progress and decide."),
        url="/me/",
    )
    for staff in _office_staff():
        notify(
            recipient=staff,
            kind="graduation-recommended-office",
            title=gettext_lazy("A mentor recommends a trainee for graduation"),
            body=f"{trainee.display_name} ({mentor.display_name})",
            url=reverse("mentor_recommendations:index"),
        )
    return recommendation


def _office_staff():
    return User.objects.filter(groups__name=roles.OFFICE, is_active=True).distinct()


@transaction.atomic
def withdraw_recommendation(
    *, mentor: User, recommendation: GraduationRecommendation, reason: str = ""
) -> GraduationRecommendation:
    """Withdraw an open recommendation. The trainee's current mentor may, also when a former
    mentor made it (after a reassignment the new mentor takes over the trainee's file)."""
    recommendation = GraduationRecommendation.objects.select_for_update().get(pk=recommendation.pk)
    try:
        require_current_mentor(mentor=mentor, trainee=recommendation.trainee_id)
    except ValidationError:
        raise ValidationError(NOT_YOUR_RECOMMENDATION) from None
    if recommendation.withdrawn_at is not None:
        raise ValidationError(RECOMMENDATION_WITHDRAWN)
    recommendation.withdrawn_at = timezone.now()
    recommendation.withdraw_reason = (reason or "").strip()[:300]
    recommendation.full_clean(validate_constraints=False)
    recommendation.save(update_fields=["withdrawn_at", "withdraw_reason"])
    return recommendation
