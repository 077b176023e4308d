"""The office's review of applications: status changes (one table, one function), quotas, scores and notes."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.notifications import message, notify
from incubator.recruitment.models import (
    APPLICATION_TRANSITIONS,
    RUBRIC,
    RUBRIC_MAX,
    Application,
    ApplicationEvent,
    ApplicationNote,
    RecruitmentCampaignPage,
    TraineeProfile,
)
from incubator.recruitment.services.transitions import InvalidTransition

Status = Application.Status
Stage = TraineeProfile.Stage


OVER_QUOTA = _("Accepting %(count)s more would exceed the campaign's %(quota)s places (%(accepted)s accepted already).")
OVER_VILLAGE_QUOTA = _("%(village)s would have %(count)s accepted applicants; its limit is %(quota)s.")
BAD_SCORE = _("Each score must be a whole number from 0 to %(max)s.")


# What the applicant is told when the office moves their application.
STATUS_MESSAGES = {
    Status.SHORTLISTED: _("You are on the shortlist. The county e-commerce office will contact you."),
    Status.INTERVIEW: _("You are invited to an interview. The county e-commerce office will call you with the time."),
    Status.ACCEPTED: _("Congratulations, you have been accepted. You will be told your cohort and first course soon."),
    Status.WAITLISTED: _("You are on the waiting list. We will tell you as soon as a place is free."),
    Status.REJECTED: _("Thank you for applying. This time you were not selected."),
    Status.WITHDRAWN: _("Your application has been withdrawn."),
}


class QuotaExceeded(ValidationError):
    """Accepting would pass the campaign's (or a village's) quota; the office may confirm and go on."""


def quota_problems(*, campaign: RecruitmentCampaignPage, applications: Iterable[Application]) -> list[str]:
    """Why accepting these applications would pass the campaign's or a village's quota (empty: fine)."""
    adding = [a for a in applications if a.status != Status.ACCEPTED]
    if not adding:
        return []
    problems = []
    accepted = campaign.applications.accepted().count()
    if accepted + len(adding) > campaign.quota:
        problems.append(str(OVER_QUOTA % {"count": len(adding), "quota": campaign.quota, "accepted": accepted}))
    if campaign.quota_per_village is not None:
        per_village: dict[int, list[Application]] = {}
        for application in adding:
            per_village.setdefault(application.village_id, []).append(application)
        taken = dict(
            campaign.applications.accepted()
            .filter(village_id__in=per_village)
            .values_list("village_id")
            .annotate(n=Count("id"))
        )
        for village_id, group in per_village.items():
            total = taken.get(village_id, 0) + len(group)
            if total > campaign.quota_per_village:
                problems.append(
                    str(
                        OVER_VILLAGE_QUOTA
                        % {"village": group[0].village, "count": total, "quota": campaign.quota_per_village}
                    )
                )
    return problems


@transaction.atomic
def change_application_status(
    *,
    application: Application,
    to: str,
    by,
    note: str = "",
    allow_over_quota: bool = False,
    notify_applicant: bool = True,
) -> Application:
    """Move an application to `to` if the table allows it; record who and when; tell the applicant.

    Accepting past the quota raises QuotaExceeded unless `allow_over_quota` (the office confirmed).
    """
    to = Status(to)
    # Lock the campaign so that two reviewers accepting at once cannot both pass the quota check.
    RecruitmentCampaignPage.objects.select_for_update().filter(pk=application.campaign_id).first()
    application = Application.objects.select_for_update().select_related("campaign", "village").get(pk=application.pk)
    current = Status(application.status)
    if to not in APPLICATION_TRANSITIONS[current]:
        raise InvalidTransition(current=current, to=to)
    if to == Status.ACCEPTED and not allow_over_quota:
        problems = quota_problems(campaign=application.campaign, applications=[application])
        if problems:
            raise QuotaExceeded(problems, code="over_quota")
    application.status = to
    application.status_changed_at = timezone.now()
    application.save(update_fields=["status", "status_changed_at", "updated_at"])
    ApplicationEvent.objects.create(
        application=application, kind=ApplicationEvent.Kind.STATUS, from_status=current, to_status=to, by=by, note=note
    )
    if notify_applicant:
        notify(
            recipient=application.applicant,
            kind="application-status",
            title=message(_("%(campaign)s: %(status)s"), campaign=application.campaign.title, status=to.label),
            body=STATUS_MESSAGES[to],
            url=reverse("recruitment:my_application", args=[application.pk]),
        )
    return application


@dataclass
class BulkResult:
    changed: list[Application] = field(default_factory=list)
    refused: list[tuple[Application, str]] = field(default_factory=list)


@transaction.atomic
def bulk_change_status(
    *, applications: Iterable[Application], to: str, by, allow_over_quota: bool = False
) -> BulkResult:
    """Change many applications at once. Rows the table refuses are reported, the others changed.

    Accepting checks the quotas of all the rows together first and raises QuotaExceeded (nothing
    changed) unless `allow_over_quota`.
    """
    applications = list(applications)
    if Status(to) == Status.ACCEPTED and not allow_over_quota:
        problems = []
        by_campaign: dict[int, list[Application]] = {}
        for application in applications:
            if Status.ACCEPTED in APPLICATION_TRANSITIONS[application.status]:
                by_campaign.setdefault(application.campaign_id, []).append(application)
        for group in by_campaign.values():
            problems += quota_problems(campaign=group[0].campaign, applications=group)
        if problems:
            raise QuotaExceeded(problems, code="over_quota")
    result = BulkResult()
    for application in applications:
        try:
            result.changed.append(
                change_application_status(application=application, to=to, by=by, allow_over_quota=True)
            )
        except InvalidTransition as exc:
            result.refused.append((application, exc.messages[0]))
    return result


def parse_scores(raw: dict) -> dict[str, int]:
    scores = {}
    for key, _label in RUBRIC:
        value = raw.get(key)
        if value in (None, ""):
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = -1
        if not 0 <= number <= RUBRIC_MAX:
            raise ValidationError(BAD_SCORE, code="bad_score", params={"max": RUBRIC_MAX})
        scores[key] = number
    return scores


@transaction.atomic
def score_application(*, application: Application, scores: dict, by) -> Application:
    """Record the rubric scores (0 to RUBRIC_MAX per criterion) and their total."""
    scores = parse_scores(scores)
    application.scores = scores
    application.score = sum(scores.values()) if scores else None
    application.full_clean(exclude=["campaign", "applicant", "village"], validate_unique=False)
    application.save(update_fields=["scores", "score", "updated_at"])
    ApplicationEvent.objects.create(
        application=application,
        kind=ApplicationEvent.Kind.SCORED,
        by=by,
        note=", ".join(f"{label}: {scores[key]}" for key, label in RUBRIC if key in scores),
    )
    return application


@transaction.atomic
def add_note(*, application: Application, author, text: str) -> ApplicationNote:
    note = ApplicationNote(application=application, author=author, text=text.strip())
    note.full_clean()
    note.save()
    return note
