"""Changes of recruitment: applying, reviewing, cohorts and the trainee's stage.

Each state machine is one function checking one table of allowed transitions:
`change_application_status` (APPLICATION_TRANSITIONS) and `change_stage` (STAGE_TRANSITIONS).
Views, admin actions, imports and other apps call these; they never set a status themselves.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from core import roles
from core.notifications import notify
from incubator.recruitment.models import (
    RUBRIC,
    RUBRIC_MAX,
    Application,
    ApplicationEvent,
    ApplicationNote,
    Cohort,
    RecruitmentCampaignPage,
    StageChange,
    TraineeProfile,
)

Status = Application.Status
Stage = TraineeProfile.Stage

# Messages people read; tests assert them exactly.
NOT_YET_OPEN = _("Applications to this campaign are not open yet.")
CLOSED = _("Applications to this campaign are closed.")
FULL = _("This campaign is full: all places have been filled.")
VILLAGE_FULL = _("Your village has already filled its places in this campaign.")
NOT_ELIGIBLE = _("This campaign is not open to your village.")
ALREADY_APPLIED = _("You have already applied to this campaign.")
NOT_EDITABLE = _("This application has been reviewed and can no longer be changed.")
EDITS_CLOSED = _("Applications to this campaign have closed, so your application can no longer be changed.")
NOT_YOURS = _("This is not your application.")
NOT_ACCEPTED = _("Only accepted applicants can join a cohort.")
WRONG_CAMPAIGN = _("This applicant applied to another campaign.")
ALREADY_IN_PROGRAMME = _("This person is already in the programme (stage: %(stage)s).")
OVER_QUOTA = _("Accepting %(count)s more would exceed the campaign's %(quota)s places (%(accepted)s accepted already).")
OVER_VILLAGE_QUOTA = _("%(village)s would have %(count)s accepted applicants; its limit is %(quota)s.")
BAD_SCORE = _("Each score must be a whole number from 0 to %(max)s.")

APPLICATION_TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.SUBMITTED: (
        Status.SHORTLISTED,
        Status.INTERVIEW,
        Status.ACCEPTED,
        Status.WAITLISTED,
        Status.REJECTED,
        Status.WITHDRAWN,
    ),
    Status.SHORTLISTED: (Status.INTERVIEW, Status.ACCEPTED, Status.WAITLISTED, Status.REJECTED, Status.WITHDRAWN),
    Status.INTERVIEW: (Status.ACCEPTED, Status.WAITLISTED, Status.REJECTED, Status.WITHDRAWN),
    Status.WAITLISTED: (Status.ACCEPTED, Status.REJECTED, Status.WITHDRAWN),
    Status.ACCEPTED: (Status.WITHDRAWN,),
    Status.REJECTED: (),
    Status.WITHDRAWN: (),
}

STAGE_TRANSITIONS: dict[str, tuple[str, ...]] = {
    Stage.APPLICANT: (Stage.TRAINEE,),
    Stage.TRAINEE: (Stage.GRADUATE,),
    Stage.GRADUATE: (Stage.MERCHANT,),
    Stage.MERCHANT: (Stage.DORMANT,),
    Stage.DORMANT: (Stage.MERCHANT,),
}

# What the applicant is told when the office moves their application.
STATUS_MESSAGES = {
    Status.SHORTLISTED: _("You are on the shortlist. The county e-commerce office will contact you."),
    Status.INTERVIEW: _("You are invited to an interview. The county e-commerce office will call you with the time."),
    Status.ACCEPTED: _("Congratulations, you have been accepted. You will be told your cohort and first course soon."),
    Status.WAITLISTED: _("You are on the waiting list. We will tell you as soon as a place is free."),
    Status.REJECTED: _("Thank you for applying. This time you were not selected."),
    Status.WITHDRAWN: _("Your application has been withdrawn."),
}


def _lazy_format(message, **params):
    """A translatable message with parameters, rendered in the language active when it is read
    (notify renders titles in the recipient's language)."""
    return lazy(lambda: str(message) % {k: str(v) for k, v in params.items()}, str)()


class InvalidTransition(ValidationError):
    """A status or stage change that the transition table does not allow."""

    def __init__(self, *, current, to):
        super().__init__(
            _("Cannot change from “%(current)s” to “%(to)s”."),
            code="invalid_transition",
            params={
                "current": current.label if hasattr(current, "label") else current,
                "to": to.label if hasattr(to, "label") else to,
            },
        )
        self.current, self.to = current, to


class QuotaExceeded(ValidationError):
    """Accepting would pass the campaign's (or a village's) quota; the office may confirm and go on."""


# --- applying -------------------------------------------------------------------------------


def is_village_eligible(*, campaign: RecruitmentCampaignPage, village) -> bool:
    township_ids = {t.pk for t in campaign.eligible_townships.all()}
    village_ids = {v.pk for v in campaign.eligible_villages.all()}
    if not township_ids and not village_ids:
        return True
    return village.pk in village_ids or village.township_id in township_ids


def check_can_apply(*, campaign: RecruitmentCampaignPage, village=None, now=None) -> None:
    """Raise ValidationError with the reason a person cannot apply now (from `village`, when given)."""
    window = campaign.window_state(now)
    if window == campaign.State.NOT_YET_OPEN:
        raise ValidationError(NOT_YET_OPEN, code="not_yet_open")
    if window == campaign.State.CLOSED:
        raise ValidationError(CLOSED, code="closed")
    if campaign.applications.accepted().count() >= campaign.quota:
        raise ValidationError(FULL, code="full")
    if village is None:
        return
    if not is_village_eligible(campaign=campaign, village=village):
        raise ValidationError({"village": ValidationError(NOT_ELIGIBLE, code="not_eligible")})
    if campaign.quota_per_village is not None:
        taken = campaign.applications.accepted().filter(village=village).count()
        if taken >= campaign.quota_per_village:
            raise ValidationError({"village": ValidationError(VILLAGE_FULL, code="village_full")})


@dataclass
class ApplicantFacts:
    """What the form asks of every applicant (the campaign's own questions go in `answers`)."""

    real_name: str
    phone: str
    village: object
    products: list = field(default_factory=list)
    products_note: str = ""
    online_experience: str = Application.Experience.NONE
    has_smartphone: bool = True
    poor_household: bool = False
    answers: dict = field(default_factory=dict)


def _apply_facts(application: Application, facts: ApplicantFacts) -> None:
    for name in (
        "real_name",
        "phone",
        "village",
        "products_note",
        "online_experience",
        "has_smartphone",
        "poor_household",
        "answers",
    ):
        setattr(application, name, getattr(facts, name))


def _remember_on_person(user, facts: ApplicantFacts) -> None:
    # The next form starts from what the person told us last time.
    changed = []
    if not user.real_name:
        user.real_name = facts.real_name
        changed.append("real_name")
    if user.village_id != facts.village.pk:
        user.village = facts.village
        changed.append("village")
    if changed:
        user.save(update_fields=changed)
    if facts.products:
        user.products.add(*facts.products)


@transaction.atomic
def submit_application(
    *, campaign: RecruitmentCampaignPage, applicant, facts: ApplicantFacts, now=None, imported_by=None
) -> Application:
    """Create `applicant`'s application to `campaign`, after the window, quota and eligibility checks.

    One application per person and campaign (a database constraint backs the check). With
    `imported_by`, the window is not checked (the office imports past paper applications).
    """
    if imported_by is None:
        check_can_apply(campaign=campaign, village=facts.village, now=now)
    if Application.objects.filter(campaign=campaign, applicant=applicant).exists():
        raise ValidationError(ALREADY_APPLIED, code="already_applied")
    application = Application(campaign=campaign, applicant=applicant)
    _apply_facts(application, facts)
    application.full_clean(exclude=["campaign", "applicant"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:  # two submissions racing: the constraint decides
        raise ValidationError(ALREADY_APPLIED, code="already_applied") from exc
    application.products.set(facts.products)
    ApplicationEvent.objects.create(
        application=application,
        kind=ApplicationEvent.Kind.IMPORTED if imported_by else ApplicationEvent.Kind.SUBMITTED,
        to_status=application.status,
        by=imported_by or applicant,
    )
    _remember_on_person(applicant, facts)
    profile, created = TraineeProfile.objects.get_or_create(
        user=applicant,
        defaults={"village": facts.village, "poor_household": facts.poor_household, "stage": Stage.APPLICANT},
    )
    if created:
        profile.products.set(facts.products)
        StageChange.objects.create(profile=profile, to_stage=Stage.APPLICANT, by=imported_by or applicant)
    if imported_by is None:
        notify(
            recipient=applicant,
            kind="application-received",
            title=_lazy_format(_("Application received: %(campaign)s"), campaign=campaign.title),
            body=_("We will review it and tell you the result here and by message."),
            url=reverse("recruitment:my_application", args=[application.pk]),
        )
    return application


def check_can_edit(*, application: Application, now=None) -> None:
    """Raise ValidationError with the reason the applicant cannot change their application now:
    someone has reviewed it, or the campaign's applications have closed."""
    if not application.is_editable_by_applicant:
        raise ValidationError(NOT_EDITABLE, code="not_editable")
    if application.campaign.window_state(now) == RecruitmentCampaignPage.State.CLOSED:
        raise ValidationError(EDITS_CLOSED, code="campaign_closed")


@transaction.atomic
def update_application(*, application: Application, by, facts: ApplicantFacts, now=None) -> Application:
    """The applicant changes their application; only while nobody has reviewed it and the
    campaign is still taking applications."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.applicant_id != by.pk:
        raise ValidationError(NOT_YOURS, code="not_yours")
    check_can_edit(application=application, now=now)
    if not is_village_eligible(campaign=application.campaign, village=facts.village):
        raise ValidationError({"village": ValidationError(NOT_ELIGIBLE, code="not_eligible")})
    _apply_facts(application, facts)
    application.full_clean(exclude=["campaign", "applicant"], validate_unique=False, validate_constraints=False)
    application.save()
    application.products.set(facts.products)
    ApplicationEvent.objects.create(application=application, kind=ApplicationEvent.Kind.EDITED, by=by)
    _remember_on_person(by, facts)
    return application


@transaction.atomic
def withdraw_application(*, application: Application, by) -> Application:
    """The applicant withdraws their own application."""
    if application.applicant_id != by.pk:
        raise ValidationError(NOT_YOURS, code="not_yours")
    return change_application_status(application=application, to=Status.WITHDRAWN, by=by)


# --- review -----------------------------------------------------------------------------------


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
            title=_lazy_format(_("%(campaign)s: %(status)s"), campaign=application.campaign.title, status=to.label),
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


# --- trainees and cohorts -----------------------------------------------------------------------


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
        title=_lazy_format(_("Welcome to %(cohort)s"), cohort=cohort.name),
        body=_lazy_format(
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
