"""Who may graduate, and what each trainee is still missing."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from incubator.merchants.models import Shop


@dataclass
class GraduationStatus:
    """Whether a trainee may graduate and, if not, each requirement still missing."""

    profile: object
    missing: list[str] = field(default_factory=list)
    course_titles: list[str] = field(default_factory=list)
    recommended_by: object = None
    has_shop: bool = False

    @property
    def is_eligible(self) -> bool:
        return not self.missing


def graduation_statuses(*, profiles) -> dict[int, GraduationStatus]:
    """{profile_id: GraduationStatus} for the given trainee profiles (any cohorts)."""
    from courses import selectors as course_selectors
    from incubator.recruitment.models import Cohort
    from mentors.selectors.relations import active_recommendations

    profiles = list(profiles)
    if not profiles:
        return {}
    user_ids = [profile.user_id for profile in profiles]
    cohort_ids = {profile.cohort_id for profile in profiles if profile.cohort_id}
    through = Cohort.required_courses.through
    courses_by_cohort: dict[int, list] = {}
    for row in (
        through.objects.filter(cohort_id__in=cohort_ids).select_related("coursepage").order_by("coursepage__path")
    ):
        courses_by_cohort.setdefault(row.cohort_id, []).append(row.coursepage)
    course_ids = {course.pk for courses in courses_by_cohort.values() for course in courses}
    completion = course_selectors.course_completion(user_ids=user_ids, course_ids=course_ids) if course_ids else {}
    unapproved = course_selectors.unapproved_tasks(user_ids=user_ids, course_ids=course_ids) if course_ids else {}
    recommendations = active_recommendations(trainee_ids=user_ids)
    with_shop = set(Shop.objects.filter(owner_id__in=user_ids).values_list("owner_id", flat=True).distinct())
    cohorts_needing_shop = set(
        Cohort.objects.filter(pk__in=cohort_ids, requires_shop=True).values_list("pk", flat=True)
    )

    statuses = {}
    for profile in profiles:
        courses = courses_by_cohort.get(profile.cohort_id, [])
        status = GraduationStatus(
            profile=profile,
            course_titles=[course.title for course in courses],
            has_shop=profile.user_id in with_shop,
        )
        if profile.cohort_id is None:
            status.missing.append(_("not in a cohort"))
        for course in courses:
            state = completion.get((profile.user_id, course.pk))
            if state is None or not state.is_complete:
                done, total = (state.completed, state.total) if state is not None else (0, "?")
                status.missing.append(
                    _("course “%(title)s” not complete (%(done)s of %(total)s lessons)")
                    % {"title": course.title, "done": done, "total": total}
                )
        for lesson in unapproved.get(profile.user_id, []):
            # The courses selector answers for every course asked; keep this cohort's lessons.
            if not any(lesson.path.startswith(course.path) for course in courses):
                continue
            status.missing.append(_("task “%(title)s” not approved") % {"title": lesson.title})
        recommendation = recommendations.get(profile.user_id)
        if recommendation is None:
            status.missing.append(_("no mentor recommendation"))
        else:
            status.recommended_by = recommendation.mentor
        if profile.cohort_id in cohorts_needing_shop and not status.has_shop:
            status.missing.append(_("no shop registered"))
        statuses[profile.pk] = status
    return statuses


def cohort_graduation(*, cohort) -> tuple[list[GraduationStatus], list[GraduationStatus]]:
    """The cohort's trainees still to graduate, split into (eligible, not yet eligible)."""
    from incubator.recruitment.models import TraineeProfile

    profiles = (
        TraineeProfile.objects.filter(cohort=cohort, stage=TraineeProfile.Stage.TRAINEE)
        .select_related("user", "village")
        .order_by("user__real_name", "pk")
    )
    statuses = graduation_statuses(profiles=profiles)
    eligible = [status for status in statuses.values() if status.is_eligible]
    others = [status for status in statuses.values() if not status.is_eligible]
    return eligible, others
