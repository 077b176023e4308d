"""Giving a trainee a mentor by hand, and ending an assignment (history is kept)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import User
from core.notifications import message, notify
from mentors.models import MentorAssignment, MentorProfile

NOT_A_MENTOR = gettext_lazy("This person is not an active mentor.")
MENTOR_IS_TRAINEE = gettext_lazy("A mentor cannot be their own trainee.")
MENTOR_FULL = gettext_lazy("This mentor already has as many trainees as their capacity allows.")
ALREADY_ASSIGNED = gettext_lazy("This trainee is already assigned to this mentor.")
TRAINEE_TAKEN = gettext_lazy("This trainee was given another mentor at the same moment; please reload and try again.")
NOT_ASSIGNED = gettext_lazy("This assignment has already ended.")


def _active_profile(mentor: User, *, lock: bool = False) -> MentorProfile:
    qs = MentorProfile.objects.filter(user=mentor, is_active=True)
    if lock:
        qs = qs.select_for_update()
    profile = qs.first()
    if profile is None:
        raise ValidationError(NOT_A_MENTOR)
    return profile


def _notify_assignment(assignment: MentorAssignment) -> None:
    mentor, trainee = assignment.mentor, assignment.trainee
    notify(
        recipient=trainee,
        kind="mentor-assigned",
        title=gettext_lazy("You have a mentor"),
        body=_mentor_intro(mentor),
        url="/me/",
    )
    notify(
        recipient=mentor,
        kind="trainee-assigned",
        title=gettext_lazy("A new trainee has been assigned to you"),
        body=str(trainee.display_name),
        url=reverse("mentors:trainee", args=[trainee.pk]),
    )


def _past_checkins_url(trainee_id: int) -> str:
    # A former mentor's link leads to their own notes: the trainee's page is closed to them now.
    return f"{reverse('mentors:past_checkins')}?trainee={trainee_id}"


def _mentor_intro(mentor: User):
    contact = mentor.phone_display or mentor.email
    if contact:
        return message(
            gettext_lazy("%(name)s will guide you through the programme. Contact: %(contact)s"),
            name=mentor.display_name,
            contact=contact,
        )
    return message(gettext_lazy("%(name)s will guide you through the programme."), name=mentor.display_name)


@transaction.atomic
def assign_mentor(
    *,
    trainee: User,
    mentor: User,
    by: User | None = None,
    reason: str = "",
    allow_over_capacity: bool = False,
    notify_people: bool = True,
) -> MentorAssignment:
    """Give `trainee` the mentor `mentor`, ending any current assignment (kept as history).

    Refuses an inactive mentor, a full mentor (unless `allow_over_capacity`), and the same
    mentor twice. The database allows one open assignment per trainee, so two offices
    assigning at once cannot both win.
    """
    if mentor.pk == trainee.pk:
        raise ValidationError(MENTOR_IS_TRAINEE)
    profile = _active_profile(mentor, lock=True)
    current = MentorAssignment.objects.select_for_update().active().filter(trainee=trainee).first()
    if current is not None and current.mentor_id == mentor.pk:
        raise ValidationError(ALREADY_ASSIGNED)
    if not allow_over_capacity:
        load = MentorAssignment.objects.active().filter(mentor=mentor).count()
        if load >= profile.capacity:
            raise ValidationError(MENTOR_FULL)
    now = timezone.now()
    if current is not None:
        current.ended_at, current.ended_by = now, by
        current.end_reason = _("Reassigned to %(name)s") % {"name": mentor.display_name}
        current.full_clean()
        current.save(update_fields=["ended_at", "ended_by", "end_reason"])
        if notify_people:
            notify(
                recipient=current.mentor,
                kind="trainee-reassigned",
                title=gettext_lazy("A trainee has moved to another mentor"),
                body=str(trainee.display_name),
                url=_past_checkins_url(trainee.pk),
            )
    assignment = MentorAssignment(
        mentor=mentor, trainee=trainee, started_at=now, assigned_by=by, reason=(reason or "")[:300]
    )
    assignment.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            assignment.save()
    except IntegrityError as exc:
        raise ValidationError(TRAINEE_TAKEN) from exc
    if notify_people:
        _notify_assignment(assignment)
    return assignment


@transaction.atomic
def end_assignment(*, assignment: MentorAssignment, by: User | None = None, reason: str = "") -> MentorAssignment:
    """End an assignment without a successor (the trainee left, or graduated); history is kept."""
    assignment = MentorAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.ended_at is not None:
        raise ValidationError(NOT_ASSIGNED)
    assignment.ended_at, assignment.ended_by = timezone.now(), by
    assignment.end_reason = (reason or _("Ended by the office"))[:300]
    assignment.full_clean()
    assignment.save(update_fields=["ended_at", "ended_by", "end_reason"])
    notify(
        recipient=assignment.mentor,
        kind="assignment-ended",
        title=gettext_lazy("A trainee is no longer assigned to you"),
        body=str(assignment.trainee.display_name),
        url=_past_checkins_url(assignment.trainee_id),
    )
    return assignment
