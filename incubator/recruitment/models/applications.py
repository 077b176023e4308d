"""Applications to a campaign, their notes and their history.

Status changes happen only in `services.change_application_status`, which checks them against
one table and records each in `ApplicationEvent`. A person has at most one live application per
campaign (a withdrawn one does not count, so they may apply again while the campaign is open).
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

# The office's scoring rubric: each criterion scored 0 to RUBRIC_MAX by each reviewer
# (models.review.ReviewScore); the listing shows the mean of the reviewers' totals.
RUBRIC_MAX = 5
RUBRIC = [
    ("products", _("Products and supply")),
    ("motivation", _("Motivation and time")),
    ("skills", _("Smartphone and online skills")),
    ("influence", _("Can lead neighbours")),
]


class ApplicationQuerySet(models.QuerySet):
    def accepted(self):
        return self.filter(status=Application.Status.ACCEPTED)

    def active(self):
        """Applications still in the running (not rejected or withdrawn)."""
        return self.exclude(status__in=[Application.Status.REJECTED, Application.Status.WITHDRAWN])


class Application(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        INFO_REQUESTED = "info_requested", _("More information requested")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        INTERVIEW = "interview", _("Interview")
        ACCEPTED = "accepted", _("Accepted")
        WAITLISTED = "waitlisted", _("Waitlisted")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Experience(models.TextChoices):
        NONE = "none", _("Never sold online")
        SOME = "some", _("Sold a little online (WeChat, friends)")
        SHOP = "shop", _("Ran or run an online shop")

    campaign = models.ForeignKey(
        "recruitment.RecruitmentCampaignPage",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("campaign"),
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications", verbose_name=_("applicant")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    real_name = models.CharField(_("real name"), max_length=60)
    phone = models.CharField(_("mobile phone"), max_length=20)
    village = models.ForeignKey(
        "core.Village", on_delete=models.PROTECT, related_name="applications", verbose_name=_("village")
    )
    products = models.ManyToManyField(
        "core.ProductCategory", blank=True, related_name="applications", verbose_name=_("products grown or made")
    )
    products_note = models.CharField(
        _("other products"),
        max_length=200,
        blank=True,
        help_text=_("Anything not in the list, or how much you produce."),
    )
    online_experience = models.CharField(
        _("experience selling online"), max_length=10, choices=Experience.choices, default=Experience.NONE
    )
    has_smartphone = models.BooleanField(_("has a smartphone"), default=True)
    poor_household = models.BooleanField(_("registered poor household"), default=False)
    answers = models.JSONField(_("answers to extra questions"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="recruitment.ReviewerAssignment",
        through_fields=("application", "reviewer"),
        blank=True,
        related_name="applications_to_review",
        verbose_name=_("reviewers"),
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            # One live application per person and campaign; a withdrawn one leaves room to apply again.
            models.UniqueConstraint(
                fields=["campaign", "applicant"],
                condition=~models.Q(status="withdrawn"),
                name="application_one_live_per_person_and_campaign",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    status__in=[
                        "submitted",
                        "info_requested",
                        "shortlisted",
                        "interview",
                        "accepted",
                        "waitlisted",
                        "rejected",
                        "withdrawn",
                    ]
                ),
                name="application_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["campaign", "status"], name="application_campaign_status")]

    def __str__(self):
        return f"{self.real_name} · {self.campaign.title}"

    @property
    def is_editable_by_applicant(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.INFO_REQUESTED)

    @property
    def is_live(self) -> bool:
        return self.status != self.Status.WITHDRAWN

    @property
    def can_withdraw(self) -> bool:
        return self.Status.WITHDRAWN in APPLICATION_TRANSITIONS.get(self.status, ())

    def answer_rows(self, questions) -> list[tuple[str, str]]:
        """(label, answer) pairs in the order of the campaign's questions; answers to deleted questions last."""
        rows, seen = [], set()
        for question in questions:
            seen.add(question.clean_name)
            if question.clean_name in self.answers:
                rows.append((question.label, _format_answer(self.answers[question.clean_name])))
        rows.extend((key, _format_answer(value)) for key, value in self.answers.items() if key not in seen)
        return rows


def _format_answer(value) -> str:
    if isinstance(value, list):
        return "、".join(str(item) for item in value)
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    return "" if value is None else str(value)


# The application's state machine: current status -> the statuses it may move to. The one
# function that changes a status is `incubator.recruitment.services.review.change_application_status`.
# "More information requested" reopens the application for the applicant; their resubmission
# moves it back to where it stood when the office asked (services.applying.resubmit_application).
APPLICATION_TRANSITIONS: dict[str, tuple[str, ...]] = {
    Application.Status.SUBMITTED: (
        Application.Status.INFO_REQUESTED,
        Application.Status.SHORTLISTED,
        Application.Status.INTERVIEW,
        Application.Status.ACCEPTED,
        Application.Status.WAITLISTED,
        Application.Status.REJECTED,
        Application.Status.WITHDRAWN,
    ),
    Application.Status.INFO_REQUESTED: (
        Application.Status.SUBMITTED,
        Application.Status.SHORTLISTED,
        Application.Status.INTERVIEW,
        Application.Status.WAITLISTED,
        Application.Status.REJECTED,
        Application.Status.WITHDRAWN,
    ),
    Application.Status.SHORTLISTED: (
        Application.Status.INFO_REQUESTED,
        Application.Status.INTERVIEW,
        Application.Status.ACCEPTED,
        Application.Status.WAITLISTED,
        Application.Status.REJECTED,
        Application.Status.WITHDRAWN,
    ),
    Application.Status.INTERVIEW: (
        Application.Status.INFO_REQUESTED,
        Application.Status.ACCEPTED,
        Application.Status.WAITLISTED,
        Application.Status.REJECTED,
        Application.Status.WITHDRAWN,
    ),
    Application.Status.WAITLISTED: (
        Application.Status.INFO_REQUESTED,
        Application.Status.ACCEPTED,
        Application.Status.REJECTED,
        Application.Status.WITHDRAWN,
    ),
    Application.Status.ACCEPTED: (Application.Status.WITHDRAWN,),
    Application.Status.REJECTED: (),
    Application.Status.WITHDRAWN: (),
}


class ApplicationEvent(models.Model):
    """One line of an application's history: submitted, edited, or a status change, by whom and when."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        EDITED = "edited", _("Edited by the applicant")
        STATUS = "status", _("Status changed")
        SCORED = "scored", _("Scored")
        IMPORTED = "imported", _("Imported")
        RESUBMITTED = "resubmitted", _("Answered and sent again")
        REVIEWERS = "reviewers", _("Reviewers changed")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    from_status = models.CharField(_("from"), max_length=20, choices=Application.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Application.Status.choices, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("application history entry")
        verbose_name_plural = _("application history")

    def __str__(self):
        return f"{self.get_kind_display()} {self.to_status}".strip()


class ApplicationNote(models.Model):
    """An office note on an application; never shown to the applicant."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("author")
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("office note")
        verbose_name_plural = _("office notes")

    def __str__(self):
        return self.text[:50]
