"""Automatic assignment: a proposal first (nothing saved), then apply it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from core.models import User
from mentors.models import MentorAssignment, MentorProfile
from mentors.selectors.relations import active_mentors
from mentors.services.assignment import TRAINEE_TAKEN, assign_mentor


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
    current = active_mentors(trainee_ids=[t.pk for t in trainee_list])
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
