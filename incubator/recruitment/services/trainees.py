"""Trainees: the lifecycle stage (one table, one function), cohorts and their required courses."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import roles
from core.notifications import message, notify
from incubator.recruitment.models import (
    STAGE_TRANSITIONS,
    Application,
    Cohort,
    StageChange,
    TraineeProfile,
)
from incubator.recruitment.services.transitions import InvalidTransition

Status = Application.Status
Stage = TraineeProfile.Stage


NOT_ACCEPTED = _("Only accepted applicants can join a cohort.")
WRONG_CAMPAIGN = _("This applicant applied to another campaign.")
ALREADY_IN_PROGRAMME = _("This person is already in the programme (stage: %(stage)s).")


@transaction.atomic
def change_stage(*, profile: TraineeProfile, to: str, by=None, note: str = "") -> TraineeProfile:
    """Move a person to another lifecycle stage: the only way a stage changes.

    Allowed moves are in STAGE_TRANSITIONS; anything else raises InvalidTransition. Each move is
    recorded in StageChange with who, when and why.
    """
    to = Stage(to)
    profile = TraineeProfile.objects.select_for_update().get(pk=profile.pk)
    current = Stage(profile.stage)
    if to not in STAGE_TRANSITIONS.get(current, ()):
        raise InvalidTransition(current=current, to=to)
    profile.stage = to
    profile.stage_changed_at = timezone.now()
    profile.full_clean(validate_unique=False)
    profile.save(update_fields=["stage", "stage_changed_at"])
    StageChange.objects.create(profile=profile, from_stage=current, to_stage=to, by=by, note=note)
    return profile


@transaction.atomic
def add_to_cohort(*, application: Application, cohort: Cohort, by) -> TraineeProfile:
    """Make an accepted applicant a trainee of `cohort`: profile, stage, role and required courses."""
    from courses import services as course_services

    if application.status != Status.ACCEPTED:
        raise ValidationError(NOT_ACCEPTED, code="not_accepted")
    if application.campaign_id != cohort.campaign_id:
        raise ValidationError(WRONG_CAMPAIGN, code="wrong_campaign")
    user = application.applicant
    profile, _created = TraineeProfile.objects.get_or_create(
        user=user, defaults={"village": application.village, "poor_household": application.poor_household}
    )
    if profile.stage != Stage.APPLICANT:
        if profile.cohort_id == cohort.pk:
            return profile  # already there: adding twice changes nothing
        raise ValidationError(
            ALREADY_IN_PROGRAMME, code="already_in_programme", params={"stage": Stage(profile.stage).label}
        )
    profile.cohort = cohort
    profile.application = application
    profile.village = application.village
    profile.poor_household = application.poor_household
    profile.save(update_fields=["cohort", "application", "village", "poor_household"])
    profile.products.set(application.products.all())
    profile = change_stage(profile=profile, to=Stage.TRAINEE, by=by, note=str(cohort))
    roles.add_role(user, roles.TRAINEE)
    for course in cohort.required_courses.all():
        course_services.enroll(user=user, course=course, source="cohort")
    notify(
        recipient=user,
        kind="cohort-joined",
        title=message(_("Welcome to %(cohort)s"), cohort=cohort.name),
        body=message(
            _("Your training starts on %(date)s. Your courses are waiting in My learning."), date=cohort.starts_on
        ),
        url="/me/",
        dedupe_key=f"cohort-joined:{cohort.pk}:{user.pk}",
    )
    return profile


@dataclass
class CohortResult:
    added: list[TraineeProfile] = field(default_factory=list)
    refused: list[tuple[Application, str]] = field(default_factory=list)


def add_many_to_cohort(*, applications: Iterable[Application], cohort: Cohort, by) -> CohortResult:
    """Add each application's applicant to `cohort`; each row on its own (one refusal stops nothing)."""
    result = CohortResult()
    for application in applications:
        try:
            result.added.append(add_to_cohort(application=application, cohort=cohort, by=by))
        except ValidationError as exc:
            result.refused.append((application, exc.messages[0]))
    return result


@transaction.atomic
def enroll_cohort_in_new_courses(*, cohort: Cohort) -> int:
    """Enrol the cohort's trainees in every required course (after the curriculum changed). Idempotent."""
    from courses import services as course_services

    count = 0
    courses = list(cohort.required_courses.all())
    for profile in cohort.trainees.filter(stage=Stage.TRAINEE).select_related("user"):
        for course in courses:
            course_services.enroll(user=profile.user, course=course, source="cohort")
            count += 1
    return count
