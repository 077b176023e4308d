"""Who mentors whom (now or before), open graduation recommendations, and each mentor's load."""

from django.db.models import Count, Q

from core.models import User
from mentors.models import GraduationRecommendation, MentorAssignment, MentorProfile


def active_mentors(*, trainee_ids) -> dict[int, User]:
    """The current mentor of each given trainee that has one: {trainee_id: mentor user}."""
    rows = MentorAssignment.objects.active().filter(trainee_id__in=list(trainee_ids)).select_related("mentor")
    return {row.trainee_id: row.mentor for row in rows}


def active_recommendations(*, trainee_ids) -> dict[int, GraduationRecommendation]:
    """The open graduation recommendation of each given trainee that has one."""
    rows = (
        GraduationRecommendation.objects.active()
        .filter(trainee_id__in=list(trainee_ids))
        .select_related("mentor", "trainee")
    )
    return {row.trainee_id: row for row in rows}


def is_mentor_of(*, mentor, trainee, current_only: bool = False) -> bool:
    """Whether `mentor` mentors `trainee` now (or, unless `current_only`, ever did)."""
    if mentor is None or not getattr(mentor, "is_authenticated", False):
        return False
    trainee_id = getattr(trainee, "pk", trainee)
    qs = MentorAssignment.objects.filter(mentor=mentor, trainee_id=trainee_id)
    if current_only:
        qs = qs.active()
    return qs.exists()


def mentor_overview():
    """Active and inactive mentors with their current load, for the office (one query)."""
    return (
        MentorProfile.objects.select_related("user")
        .prefetch_related("townships", "expertise", "skills")
        .annotate(load=Count("user__mentee_assignments", filter=Q(user__mentee_assignments__ended_at__isnull=True)))
        .order_by("-is_active", "user__real_name", "pk")
    )
