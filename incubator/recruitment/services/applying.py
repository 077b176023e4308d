"""Applying to a campaign: eligibility, drafts, submitting, editing and withdrawing an application.

A person has one live application per campaign; after withdrawing it they may apply again while
the campaign takes applications (the earlier one stays on record, withdrawn)."""

import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import history
from core.notifications import message, notify
from incubator.recruitment.models import (
    Application,
    ApplicationDraft,
    ApplicationEvent,
    RecruitmentCampaignPage,
    StageChange,
    TraineeProfile,
)
from incubator.recruitment.services.review import change_application_status

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
    # As stored (dates as text), so that the history compares like with like.
    application.answers = json.loads(json.dumps(facts.answers, cls=DjangoJSONEncoder))


# The fields of an application its applicant fills in (kept in core.history when they change).
FACT_FIELDS = [
    "real_name",
    "phone",
    "village",
    "products_note",
    "online_experience",
    "has_smartphone",
    "poor_household",
    "answers",
]


def _remember_on_person(user, facts: ApplicantFacts) -> None:
    # The next form starts from what the person told us last time. The phone number is not put
    # on the account: an unverified number there would be a login claimed for someone else's
    # phone; the next form takes it from this application instead (forms.initial_for_person).
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

    One live application per person and campaign: a withdrawn one does not count (a conditional
    database constraint backs the check). With `imported_by`, the window is not checked (the
    office imports past paper applications). The person's draft for the campaign is dropped.
    """
    if imported_by is None:
        check_can_apply(campaign=campaign, village=facts.village, now=now)
    if Application.objects.filter(campaign=campaign, applicant=applicant).exclude(status=Status.WITHDRAWN).exists():
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
    ApplicationDraft.objects.filter(campaign=campaign, applicant=applicant).delete()
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
            title=message(_("Application received: %(campaign)s"), campaign=campaign.title),
            body=_("We will review it and tell you the result here and by message."),
            url=reverse("recruitment:my_application", args=[application.pk]),
        )
    return application


def check_can_edit(*, application: Application, now=None) -> None:
    """Raise ValidationError with the reason the applicant cannot change their application now:
    someone has reviewed it, or the campaign's applications have closed. When the office has
    asked for more information, the applicant may change it until they send it again, whatever
    the campaign's window."""
    if not application.is_editable_by_applicant:
        raise ValidationError(NOT_EDITABLE, code="not_editable")
    if application.status == Status.INFO_REQUESTED:
        return
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
    change_facts(application=application, by=by, facts=facts)
    ApplicationEvent.objects.create(application=application, kind=ApplicationEvent.Kind.EDITED, by=by)
    return application


def change_facts(*, application: Application, by, facts: ApplicantFacts, reason: str = "") -> None:
    """Put `facts` on a locked `application` (after the village check), keeping the changed
    fields in core.history; the caller has checked that `by` may."""
    if not is_village_eligible(campaign=application.campaign, village=facts.village):
        raise ValidationError({"village": ValidationError(NOT_ELIGIBLE, code="not_eligible")})
    before = history.snapshot(application, FACT_FIELDS)
    _apply_facts(application, facts)
    application.full_clean(exclude=["campaign", "applicant"], validate_unique=False, validate_constraints=False)
    application.save()
    application.products.set(facts.products)
    history.record(application, actor=by, reason=reason, before=before)
    _remember_on_person(by, facts)


@transaction.atomic
def withdraw_application(*, application: Application, by) -> Application:
    """The applicant withdraws their own application."""
    if application.applicant_id != by.pk:
        raise ValidationError(NOT_YOURS, code="not_yours")
    return change_application_status(application=application, to=Status.WITHDRAWN, by=by)


def last_application_of(user) -> Application | None:
    """The person's latest application (to fill in a new form from), if any."""
    if not user.is_authenticated:
        return None
    return Application.objects.filter(applicant=user).order_by("-submitted_at", "-id").first()


@transaction.atomic
def save_draft(*, campaign: RecruitmentCampaignPage, applicant, data: dict) -> ApplicationDraft:
    """Keep what `applicant` typed into `campaign`'s form (field name -> list of values)."""
    draft, _created = ApplicationDraft.objects.update_or_create(
        campaign=campaign, applicant=applicant, defaults={"data": data}
    )
    return draft


@transaction.atomic
def discard_draft(*, draft: ApplicationDraft, by) -> None:
    if draft.applicant_id != by.pk:
        raise ValidationError(NOT_YOURS, code="not_yours")
    draft.delete()
