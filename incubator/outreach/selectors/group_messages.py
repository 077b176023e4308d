"""Who a group message may go to, and how its delivery stands (computed from the notifications)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from core import roles
from core.models import Township, User
from core.office import is_office_staff
from incubator.outreach.models import GroupMessage
from incubator.outreach.selectors.supervision import in_township
from incubator.recruitment.models import Application, Cohort, RecruitmentCampaignPage
from mentors.models import MentorAssignment
from mentors.selectors.mentor_area import mentor_trainee_ids, rows_for_assignments


def may_send(user) -> bool:
    return is_office_staff(user) or roles.is_mentor(user)


def audience(*, sender, audience: str, cohort=None, township=None, campaign=None, application_status=""):
    """The active people a message to this audience reaches, as a queryset of users (never the
    sender). A mentor's audience is always cut down to their own current trainees."""
    people = User.objects.filter(is_active=True).exclude(pk=sender.pk)
    if audience == GroupMessage.Audience.COHORT:
        people = people.filter(trainee_profile__cohort=cohort)
    elif audience == GroupMessage.Audience.TOWNSHIP:
        people = people.filter(in_township(township.pk))
    elif audience == GroupMessage.Audience.CAMPAIGN:
        applications = Application.objects.filter(campaign=campaign)
        if application_status:
            applications = applications.filter(status=application_status)
        people = people.filter(pk__in=applications.values("applicant_id"))
    elif audience == GroupMessage.Audience.AT_RISK:
        assignments = MentorAssignment.objects.active()
        if not is_office_staff(sender):
            assignments = assignments.filter(mentor=sender)
        at_risk = [row.trainee.pk for row in rows_for_assignments(assignments=assignments) if row.at_risk]
        people = people.filter(pk__in=at_risk)
    else:
        return people.none()
    if not is_office_staff(sender):
        people = people.filter(pk__in=mentor_trainee_ids(mentor=sender))
    return people


def cohort_choices(*, sender):
    """The cohorts a sender may address: all for the office; a mentor's trainees' cohorts."""
    cohorts = Cohort.objects.all()
    if not is_office_staff(sender):
        cohorts = cohorts.filter(trainees__user_id__in=mentor_trainee_ids(mentor=sender)).distinct()
    return cohorts.order_by("-starts_on", "name")


def township_choices(*, sender):
    townships = Township.objects.all()
    if not is_office_staff(sender):
        mine = mentor_trainee_ids(mentor=sender)
        townships = townships.filter(
            Q(villages__trainees__user_id__in=mine) | Q(villages__residents__in=mine)
        ).distinct()
    return townships.order_by("code")


def campaign_choices(*, sender):
    if not is_office_staff(sender):
        return RecruitmentCampaignPage.objects.none()
    return RecruitmentCampaignPage.objects.order_by("-opens_at").defer_streamfields()


@dataclass
class Delivery:
    total: int
    delivered: int
    failed: int

    @property
    def pending(self) -> int:
        return self.total - self.delivered - self.failed


DELIVERED = Q(recipients__notification__delivered_at__isnull=False)
# An attempt failed and none has succeeded since (the pipeline retries; the sweep too). Written
# without a negation: a recipient whose notification is not made yet (NULL) is pending, not failed.
FAILED = Q(recipients__notification__delivered_at__isnull=True, recipients__notification__last_error__gt="")


def with_delivery(messages):
    """Group messages annotated with their recipients, delivered and failed (one query)."""
    return (
        messages.select_related("sender", "cohort", "township", "campaign")
        .annotate(
            total=Count("recipients"),
            delivered=Count("recipients", filter=DELIVERED),
            failed=Count("recipients", filter=FAILED),
        )
        .order_by("-created_at", "-pk")
    )


def delivery(message: GroupMessage) -> Delivery:
    return Delivery(total=message.total, delivered=message.delivered, failed=message.failed)


def sent_by(*, user):
    """What a person may read of the record: the office all messages, a mentor their own."""
    messages = GroupMessage.objects.all()
    if not is_office_staff(user):
        messages = messages.filter(sender=user)
    return with_delivery(messages)
