"""Changes of the mentors app: mentor profiles, assignments, check-ins, reviews, recommendations, digests.

Every function is keyword-only, runs in one transaction and refuses bad input with a
`ValidationError` whose message is one of the constants below (tests assert them exactly).
Permission to act on a trainee is checked here, not only hidden in the pages.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date as date_type

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import roles
from core.models import User
from core.notifications import notify

from . import selectors
from .models import CheckIn, GraduationRecommendation, MentorAssignment, MentorProfile

NOT_A_MENTOR = gettext_lazy("This person is not an active mentor.")
MENTOR_IS_TRAINEE = gettext_lazy("A mentor cannot be their own trainee.")
MENTOR_FULL = gettext_lazy("This mentor already has as many trainees as their capacity allows.")
ALREADY_ASSIGNED = gettext_lazy("This trainee is already assigned to this mentor.")
TRAINEE_TAKEN = gettext_lazy("This trainee was given another mentor at the same moment; please reload and try again.")
NOT_ASSIGNED = gettext_lazy("This assignment has already ended.")
NOT_YOUR_TRAINEE = gettext_lazy("You are not this trainee's current mentor.")
FEEDBACK_REQUIRED = gettext_lazy("Please write what the trainee should change.")
CHECKIN_IN_FUTURE = gettext_lazy("A check-in cannot be dated in the future.")
NOTES_REQUIRED = gettext_lazy("Please write a few notes about the check-in.")
RECOMMENDATION_EXISTS = gettext_lazy("This trainee has already been recommended for graduation.")
NOTE_REQUIRED = gettext_lazy("Please write why the trainee is ready to graduate.")
RECOMMENDATION_WITHDRAWN = gettext_lazy("This recommendation has already been withdrawn.")
NOT_YOUR_RECOMMENDATION = gettext_lazy("Only the trainee's current mentor can withdraw this recommendation.")


# ---------------------------------------------------------------------------------------------
# Mentors (invitations, which grant the role, are in mentors.invitations)


PROFILE_M2M = ("expertise", "skills", "townships")


@transaction.atomic
def update_profile(*, profile: MentorProfile, data: dict) -> MentorProfile:
    """Set a mentor's profile fields (bio, expertise, skills, townships, capacity...) from `data`."""
    for name, value in data.items():
        if name not in PROFILE_M2M:
            setattr(profile, name, value)
    profile.full_clean()
    profile.save()
    for name in PROFILE_M2M:
        if name in data:
            getattr(profile, name).set(data[name])
    return profile


# ---------------------------------------------------------------------------------------------
# Assignment


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
        body=_mentor_intro(mentor, trainee),
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


def _mentor_intro(mentor: User, trainee: User) -> str:
    from django.utils import translation

    with translation.override(trainee.preferred_language):
        contact = mentor.phone_display or mentor.email
        if contact:
            return _("%(name)s will guide you through the programme. Contact: %(contact)s") % {
                "name": mentor.display_name,
                "contact": contact,
            }
        return _("%(name)s will guide you through the programme.") % {"name": mentor.display_name}


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


# ---------------------------------------------------------------------------------------------
# Automatic assignment: a proposal first (nothing saved), then apply it.


@dataclass
class ProposedPair:
    trainee: User
    mentor: User
    reason: str


@dataclass
class Unmatched:
    trainee: User
    reason: str


@dataclass
class MentorLoad:
    profile: MentorProfile
    before: int
    after: int

    @property
    def mentor(self) -> User:
        return self.profile.user


@dataclass
class Proposal:
    """What automatic assignment would do: pairs with reasons, who cannot be matched and why."""

    pairs: list[ProposedPair] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)
    already_assigned: list[tuple[User, User]] = field(default_factory=list)  # (trainee, current mentor)
    loads: list[MentorLoad] = field(default_factory=list)

    def as_tokens(self) -> list[str]:
        """The pairs as "trainee_id:mentor_id" strings, for the preview form to post back."""
        return [f"{pair.trainee.pk}:{pair.mentor.pk}" for pair in self.pairs]


def _names(items) -> str:
    return "、".join(str(item.display_name) for item in items)


def _trainee_township(trainee: User):
    village = trainee.village
    return village.township if village is not None else None


def match_reason(*, trainee: User, profile: MentorProfile, load: int) -> str:
    """Why this mentor suits this trainee, in the active language (shown in the preview, kept on the row)."""
    parts = []
    township = _trainee_township(trainee)
    if township is not None and any(t.pk == township.pk for t in profile.townships.all()):
        parts.append(_("serves %(township)s") % {"township": township.display_name})
    shared = [p for p in profile.expertise.all() if any(p.pk == q.pk for q in trainee.products.all())]
    if shared:
        parts.append(_("knows %(products)s") % {"products": _names(shared)})
    parts.append(_("%(load)s of %(capacity)s places taken") % {"load": load, "capacity": profile.capacity})
    return _("; ").join(parts)


def _mentor_profiles(mentors):
    qs = MentorProfile.objects.active().select_related("user").prefetch_related("townships", "expertise")
    if mentors is not None:
        ids = [getattr(m, "user_id", None) or getattr(m, "pk", m) for m in mentors]
        qs = qs.filter(Q(user_id__in=ids))
    qs = qs.annotate(load=Count("user__mentee_assignments", filter=Q(user__mentee_assignments__ended_at__isnull=True)))
    return list(qs.order_by("pk"))


def propose_assignments(*, trainees, mentors=None) -> Proposal:
    """Match trainees without a mentor to active mentors; saves nothing.

    Township first (a mentor serving the trainee's township), then product expertise (a
    mentor knowing one of the trainee's products), never above a mentor's capacity; among
    equally good mentors the least loaded (relative to capacity) wins, so load spreads
    evenly. The most constrained trainees are placed first. Trainees already mentored are
    listed apart; those that cannot be matched are listed with the reason.
    """
    trainee_list = list(
        User.objects.filter(pk__in=[getattr(t, "pk", t) for t in trainees])
        .select_related("village__township")
        .prefetch_related("products")
        .order_by("pk")
    )
    profiles = _mentor_profiles(mentors)
    current = selectors.active_mentors(trainee_ids=[t.pk for t in trainee_list])
    load = {p.pk: p.load for p in profiles}
    proposal = Proposal()
    township_of = {p.pk: {t.pk for t in p.townships.all()} for p in profiles}
    products_of = {p.pk: {c.pk for c in p.expertise.all()} for p in profiles}

    def tiers(trainee):
        township = _trainee_township(trainee)
        products = {c.pk for c in trainee.products.all()}
        by_tier = defaultdict(list)
        for p in profiles:
            if p.user_id == trainee.pk:
                continue
            in_town = township is not None and township.pk in township_of[p.pk]
            knows = bool(products & products_of[p.pk])
            if in_town and knows:
                by_tier[0].append(p)
            elif in_town:
                by_tier[1].append(p)
            elif knows:
                by_tier[2].append(p)
        return by_tier

    pending = []
    for trainee in trainee_list:
        if trainee.pk in current:
            proposal.already_assigned.append((trainee, current[trainee.pk]))
            continue
        candidate_tiers = tiers(trainee)
        pending.append((sum(len(v) for v in candidate_tiers.values()), trainee.pk, trainee, candidate_tiers))
    pending.sort(key=lambda row: (row[0], row[1]))

    for _count, _pk, trainee, candidate_tiers in pending:
        chosen = None
        for tier in (0, 1, 2):
            free = [p for p in candidate_tiers.get(tier, []) if load[p.pk] < p.capacity]
            if free:
                chosen = min(free, key=lambda p: (load[p.pk] / p.capacity, load[p.pk], p.pk))
                break
        if chosen is None:
            proposal.unmatched.append(Unmatched(trainee=trainee, reason=_unmatched_reason(trainee, candidate_tiers)))
            continue
        load[chosen.pk] += 1
        proposal.pairs.append(
            ProposedPair(
                trainee=trainee,
                mentor=chosen.user,
                reason=match_reason(trainee=trainee, profile=chosen, load=load[chosen.pk]),
            )
        )
    proposal.loads = [MentorLoad(profile=p, before=p.load, after=load[p.pk]) for p in profiles]
    return proposal


def _unmatched_reason(trainee: User, candidate_tiers) -> str:
    township = _trainee_township(trainee)
    products = list(trainee.products.all())
    if any(candidate_tiers.values()):
        return _("Every mentor who serves this township or knows these products is full.")
    if township is None and not products:
        return _("No village or products are recorded for this trainee.")
    if township is None:
        return _("No village is recorded, and no active mentor knows %(products)s.") % {"products": _names(products)}
    if not products:
        return _("No products are recorded, and no active mentor serves %(township)s.") % {
            "township": township.display_name
        }
    return _("No active mentor serves %(township)s or knows %(products)s.") % {
        "township": township.display_name,
        "products": _names(products),
    }


@dataclass
class ApplyResult:
    created: list[MentorAssignment] = field(default_factory=list)
    failed: list[tuple[User, User, str]] = field(default_factory=list)  # (trainee, mentor, message)


def parse_tokens(tokens) -> list[tuple[int, int]]:
    """ "trainee_id:mentor_id" strings from the preview form, malformed ones dropped."""
    pairs = []
    for token in tokens:
        left, sep, right = str(token).partition(":")
        if sep and left.isdigit() and right.isdigit():
            pairs.append((int(left), int(right)))
    return pairs


@transaction.atomic
def apply_proposal(
    *, proposal: Proposal | None = None, pairs=None, by: User | None = None, notify_people: bool = True
) -> ApplyResult:
    """Save the pairs of a proposal (or "trainee_id:mentor_id" pairs posted back from its preview).

    Each pair is re-checked when saved: a trainee who got a mentor meanwhile, or a mentor who
    filled up, is reported in `failed` and the other pairs are still saved.
    """
    if proposal is not None:
        wanted = [(pair.trainee.pk, pair.mentor.pk, pair.reason) for pair in proposal.pairs]
    else:
        wanted = [(t, m, "") for t, m in (pairs or [])]
    users = (
        User.objects.select_related("village__township")
        .prefetch_related("products")
        .in_bulk({pk for t, m, _r in wanted for pk in (t, m)})
    )
    profiles = {
        p.user_id: p
        for p in MentorProfile.objects.filter(user_id__in={m for _t, m, _r in wanted}).prefetch_related(
            "townships", "expertise"
        )
    }
    result = ApplyResult()
    for trainee_id, mentor_id, reason in wanted:
        trainee, mentor = users.get(trainee_id), users.get(mentor_id)
        if trainee is None or mentor is None:
            continue
        if not reason and mentor_id in profiles:
            load = MentorAssignment.objects.active().filter(mentor_id=mentor_id).count() + 1
            reason = match_reason(trainee=trainee, profile=profiles[mentor_id], load=load)
        if MentorAssignment.objects.active().filter(trainee_id=trainee_id).exists():
            result.failed.append((trainee, mentor, str(TRAINEE_TAKEN)))
            continue
        try:
            with transaction.atomic():
                result.created.append(
                    assign_mentor(
                        trainee=trainee, mentor=mentor, by=by, reason=_("Automatic: %(why)s") % {"why": reason}
                    )
                )
        except ValidationError as exc:
            result.failed.append((trainee, mentor, " ".join(exc.messages)))
    return result


# ---------------------------------------------------------------------------------------------
# The mentor's work with a trainee


def _require_current_mentor(*, mentor: User, trainee) -> None:
    if not selectors.is_mentor_of(mentor=mentor, trainee=trainee, current_only=True):
        raise ValidationError(NOT_YOUR_TRAINEE)


@transaction.atomic
def review_submission(*, mentor: User, submission, approve: bool, feedback: str = ""):
    """Approve a submission, or ask for changes with written feedback, as the trainee's current mentor.

    Refuses anyone who is not the submitter's active mentor (a former mentor may read, not
    review). The state change, the history and the trainee's notification are courses' rule
    (`courses.services.review_submission`); an approval can complete the lesson.
    """
    from courses import services as course_services

    _require_current_mentor(mentor=mentor, trainee=submission.user_id)
    feedback = (feedback or "").strip()
    if not approve and not feedback:
        raise ValidationError({"feedback": FEEDBACK_REQUIRED})
    return course_services.review_submission(submission=submission, reviewer=mentor, approve=approve, feedback=feedback)


@transaction.atomic
def record_checkin(
    *, mentor: User, trainee: User, date: date_type, channel: str, notes: str, next_steps: str = ""
) -> CheckIn:
    """Log a contact with a trainee. Only the current mentor may; a date in the future is refused."""
    _require_current_mentor(mentor=mentor, trainee=trainee)
    if date and date > timezone.localdate():
        raise ValidationError({"date": CHECKIN_IN_FUTURE})
    if not (notes or "").strip():
        raise ValidationError({"notes": NOTES_REQUIRED})
    checkin = CheckIn(
        mentor=mentor,
        trainee=trainee,
        date=date,
        channel=channel,
        notes=notes.strip(),
        next_steps=(next_steps or "").strip(),
    )
    checkin.full_clean()
    checkin.save()
    return checkin


@transaction.atomic
def recommend_graduation(*, mentor: User, trainee: User, note: str) -> GraduationRecommendation:
    """Recommend the trainee for graduation; the office sees it when approving graduations."""
    _require_current_mentor(mentor=mentor, trainee=trainee)
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
        _require_current_mentor(mentor=mentor, trainee=recommendation.trainee_id)
    except ValidationError:
        raise ValidationError(NOT_YOUR_RECOMMENDATION) from None
    if recommendation.withdrawn_at is not None:
        raise ValidationError(RECOMMENDATION_WITHDRAWN)
    recommendation.withdrawn_at = timezone.now()
    recommendation.withdraw_reason = (reason or "").strip()[:300]
    recommendation.full_clean(validate_constraints=False)
    recommendation.save(update_fields=["withdrawn_at", "withdraw_reason"])
    return recommendation


# ---------------------------------------------------------------------------------------------
# Daily digest


def send_digest(*, mentor: User, day: date_type | None = None):
    """Tell a mentor what awaits them today: pending reviews and at-risk trainees.

    Sent at most once per mentor and day (the notification's dedupe key), and not at all
    when there is nothing to say. Returns the notification, or None.
    """
    from django.utils import translation

    day = day or timezone.localdate()
    rows = selectors.trainee_rows(mentor=mentor)
    pending = sum(row.pending_count for row in rows)
    at_risk = [row for row in rows if row.at_risk]
    if not pending and not at_risk:
        return None
    with translation.override(mentor.preferred_language):
        lines = [_("Submissions awaiting your review: %(n)s") % {"n": pending}]
        if at_risk:
            lines.append(_("Trainees who need help:"))
            lines.extend(
                "- " + _("%(name)s: %(reasons)s") % {"name": row.trainee.display_name, "reasons": row.risk_text}
                for row in at_risk
            )
        body = "\n".join(lines)
    return notify(
        recipient=mentor,
        kind="mentor-digest",
        title=gettext_lazy("Your mentoring day"),
        body=body,
        url=reverse("mentors:dashboard"),
        dedupe_key=f"mentor-digest:{mentor.pk}:{day.isoformat()}",
    )
