"""Reviewers of applications and their rubric scores: each reviewer keeps one score set per
application (a database constraint); the office's listing shows the mean of their totals."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import office as office_rule
from core.notifications import message, notify
from incubator.recruitment.models import (
    RUBRIC,
    RUBRIC_MAX,
    Application,
    ApplicationEvent,
    ReviewerAssignment,
    ReviewScore,
)

BAD_SCORE = _("Each score must be a whole number from 0 to %(max)s.")
NOT_OFFICE = _("Only county office staff can review applications.")
ALREADY_REVIEWER = _("already has these reviewers")


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
def score_application(*, application: Application, scores: dict, by) -> ReviewScore | None:
    """Record `by`'s own rubric scores of `application` (0 to RUBRIC_MAX per criterion) and
    their total, beside the other reviewers' (no score at all removes `by`'s set)."""
    if not office_rule.is_office_staff(by):
        raise ValidationError(NOT_OFFICE, code="not_office")
    scores = parse_scores(scores)
    if not scores:
        ReviewScore.objects.filter(application=application, reviewer=by).delete()
        result = None
    else:
        result, _created = ReviewScore.objects.update_or_create(
            application=application, reviewer=by, defaults={"scores": scores, "total": sum(scores.values())}
        )
    ApplicationEvent.objects.create(
        application=application,
        kind=ApplicationEvent.Kind.SCORED,
        by=by,
        note=", ".join(f"{label}: {scores[key]}" for key, label in RUBRIC if key in scores),
    )
    return result


@dataclass
class AssignResult:
    assigned: list[Application] = field(default_factory=list)
    refused: list[tuple[Application, str]] = field(default_factory=list)


@transaction.atomic
def assign_reviewers(*, applications: Iterable[Application], reviewers: Iterable, by) -> AssignResult:
    """Ask each of `reviewers` (office staff) to review each application; rows that had them all
    already are reported. Each new reviewer is told once how many applications await them."""
    reviewers = list(reviewers)
    for reviewer in reviewers:
        if not office_rule.is_office_staff(reviewer):
            raise ValidationError(NOT_OFFICE, code="not_office")
    applications = list(applications)
    existing = set(
        ReviewerAssignment.objects.filter(application__in=applications, reviewer__in=reviewers).values_list(
            "application_id", "reviewer_id"
        )
    )
    result = AssignResult()
    new_per_reviewer: dict[int, int] = {}
    rows = []
    for application in applications:
        missing = [r for r in reviewers if (application.pk, r.pk) not in existing]
        if not missing:
            result.refused.append((application, str(ALREADY_REVIEWER)))
            continue
        rows += [ReviewerAssignment(application=application, reviewer=r, assigned_by=by) for r in missing]
        for reviewer in missing:
            new_per_reviewer[reviewer.pk] = new_per_reviewer.get(reviewer.pk, 0) + 1
        ApplicationEvent.objects.create(
            application=application,
            kind=ApplicationEvent.Kind.REVIEWERS,
            by=by,
            note="、".join(str(r) for r in missing),
        )
        result.assigned.append(application)
    ReviewerAssignment.objects.bulk_create(rows, ignore_conflicts=True)  # a concurrent assignment wins quietly
    for reviewer in reviewers:
        count = new_per_reviewer.get(reviewer.pk)
        if count and reviewer.pk != by.pk:
            notify(
                recipient=reviewer,
                kind="applications-to-review",
                title=message(_("Applications to review: %(count)s"), count=count),
                body=_("Open Recruitment → Applications and choose “Assigned to me”."),
                url=reverse("recruitment_admin:application_index") + "?mine=true",
            )
    return result


@transaction.atomic
def remove_reviewer(*, application: Application, reviewer, by) -> None:
    """Take `reviewer` off `application` (their scores, if any, stay on record)."""
    deleted, _rows = ReviewerAssignment.objects.filter(application=application, reviewer=reviewer).delete()
    if deleted:
        ApplicationEvent.objects.create(
            application=application, kind=ApplicationEvent.Kind.REVIEWERS, by=by, note=f"− {reviewer}"
        )


def reviewers_to_tell(application: Application) -> list:
    """Who hears of news on an application: its reviewers, else whoever asked its last question."""
    reviewers = list(application.reviewers.all())
    if reviewers:
        return reviewers
    last = application.information_requests.select_related("asked_by").order_by("-asked_at", "-id").first()
    return [last.asked_by] if last is not None and last.asked_by is not None else []
