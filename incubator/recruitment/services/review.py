"""The office's review of applications: status changes (one table, one function), quotas, bulk
decisions (with a dry run that says what they would do) and notes. Reviewers and their scores are
in `reviewers`, the rounds of questions to the applicant in `information`."""

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
    Application,
    ApplicationEvent,
    ApplicationNote,
    InformationRequest,
    RecruitmentCampaignPage,
    TraineeProfile,
)
from incubator.recruitment.services.transitions import InvalidTransition

Status = Application.Status
Stage = TraineeProfile.Stage


OVER_QUOTA = _("Accepting %(count)s more would exceed the campaign's %(quota)s places (%(accepted)s accepted already).")
OVER_VILLAGE_QUOTA = _("%(village)s would have %(count)s accepted applicants; its limit is %(quota)s.")
# Why a bulk decision left a row alone (the view groups the rows by reason).
CAMPAIGN_FULL = _("the campaign's places are all taken")
VILLAGE_PLACES_TAKEN = _("the village's places are all taken")


# What the applicant is told when the office moves their application.
STATUS_MESSAGES = {
    Status.SUBMITTED: _("Your application is back with the county e-commerce office for review."),
    Status.INFO_REQUESTED: _(
        "The county e-commerce office has a question about your application. Open it, answer and send it again."
    ),
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
    message_to_applicant=None,
) -> Application:
    """Move an application to `to` if the table allows it; record who and when; tell the applicant
    (`message_to_applicant` in place of the status's usual words).

    Accepting past the quota raises QuotaExceeded unless `allow_over_quota` (the office confirmed).
    Moving on from "more information requested" closes the open question round.
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
    if current == Status.INFO_REQUESTED:
        InformationRequest.objects.filter(application=application, closed_at__isnull=True).update(
            closed_at=application.status_changed_at
        )
    ApplicationEvent.objects.create(
        application=application, kind=ApplicationEvent.Kind.STATUS, from_status=current, to_status=to, by=by, note=note
    )
    if notify_applicant:
        notify(
            recipient=application.applicant,
            kind="application-status",
            title=message(_("%(campaign)s: %(status)s"), campaign=application.campaign.title, status=to.label),
            body=message_to_applicant or STATUS_MESSAGES[to],
            url=reverse("recruitment:my_application", args=[application.pk]),
        )
    return application


@dataclass
class BulkResult:
    changed: list[Application] = field(default_factory=list)
    refused: list[tuple[Application, str]] = field(default_factory=list)


def _quota_reason(application: Application) -> str:
    campaign = application.campaign
    if campaign.applications.accepted().count() >= campaign.quota:
        return str(CAMPAIGN_FULL)
    return str(VILLAGE_PLACES_TAKEN)


@transaction.atomic
def bulk_change_status(
    *, applications: Iterable[Application], to: str, by, allow_over_quota: bool = False
) -> BulkResult:
    """Change many applications at once, each row on its own: rows the table refuses are reported,
    the others changed. Accepting fills the places in the order given; once the campaign's (or a
    village's) places are taken the remaining rows are skipped with that reason, unless
    `allow_over_quota` (the office confirmed)."""
    result = BulkResult()
    for application in applications:
        try:
            result.changed.append(
                change_application_status(application=application, to=to, by=by, allow_over_quota=allow_over_quota)
            )
        except QuotaExceeded:
            result.refused.append((application, _quota_reason(application)))
        except InvalidTransition as exc:
            result.refused.append((application, exc.messages[0]))
    return result


class _DryRun(Exception):
    def __init__(self, result):
        super().__init__()
        self.result = result


def dry_run(action):
    """What `action()` would do, with nothing kept: it runs in a savepoint that is rolled back (with
    the notifications it would send, which are only enqueued on commit)."""
    try:
        with transaction.atomic():
            raise _DryRun(action())
    except _DryRun as outcome:
        return outcome.result


@transaction.atomic
def add_note(*, application: Application, author, text: str) -> ApplicationNote:
    note = ApplicationNote(application=application, author=author, text=text.strip())
    note.full_clean()
    note.save()
    return note
