"""The office's review of an application: its reviewers, each reviewer's scores, the rounds of
questions to the applicant, and the drafts applicants keep before sending.

Every office member sees every reviewer's scores (the office decides together); an applicant
never sees scores, and sees only their own application's questions.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .applications import RUBRIC, RUBRIC_MAX, Application


class ReviewerAssignment(models.Model):
    """An office member asked to review an application (one row per person and application)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviewer_assignments")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="review_assignments",
        verbose_name=_("reviewer"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)

    class Meta:
        ordering = ["assigned_at", "id"]
        verbose_name = _("reviewer assignment")
        verbose_name_plural = _("reviewer assignments")
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="reviewer_once_per_application"),
        ]

    def __str__(self):
        return f"{self.reviewer} · {self.application_id}"


class ReviewScore(models.Model):
    """One reviewer's rubric scores of one application (0 to RUBRIC_MAX per criterion) and their total."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="review_scores")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_scores", verbose_name=_("reviewer")
    )
    scores = models.JSONField(_("rubric scores"), default=dict, blank=True)
    total = models.PositiveSmallIntegerField(_("total"))
    updated_at = models.DateTimeField(_("scored"), auto_now=True)

    class Meta:
        ordering = ["updated_at", "id"]
        verbose_name = _("review score")
        verbose_name_plural = _("review scores")
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="review_score_one_per_reviewer"),
            models.CheckConstraint(condition=Q(total__lte=RUBRIC_MAX * len(RUBRIC)), name="review_score_in_range"),
        ]

    def __str__(self):
        return f"{self.reviewer}: {self.total}"

    def rows(self) -> list[tuple[str, int | None]]:
        return [(label, self.scores.get(key)) for key, label in RUBRIC]


class InformationRequest(models.Model):
    """One round of "more information requested": the office's question, then the applicant's
    answer and resubmission. A round is open until the applicant resubmits or the office moves
    the application on; at most one is open per application."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="information_requests")
    question = models.TextField(_("question"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("asked by")
    )
    asked_at = models.DateTimeField(_("asked"), auto_now_add=True)
    from_status = models.CharField(_("status when asked"), max_length=20, choices=Application.Status.choices)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "id"]
        verbose_name = _("request for more information")
        verbose_name_plural = _("requests for more information")
        constraints = [
            models.UniqueConstraint(
                fields=["application"], condition=Q(closed_at__isnull=True), name="information_request_one_open"
            ),
        ]

    def __str__(self):
        return self.question[:50]

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class ApplicationDraft(models.Model):
    """What a signed-in person typed into a campaign's form, kept until they send it."""

    campaign = models.ForeignKey(
        "recruitment.RecruitmentCampaignPage",
        on_delete=models.CASCADE,
        related_name="application_drafts",
        verbose_name=_("campaign"),
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="application_drafts",
        verbose_name=_("applicant"),
    )
    # The form's fields as posted (name -> list of values), so that every field comes back as typed.
    data = models.JSONField(_("what was typed"), default=dict)
    updated_at = models.DateTimeField(_("saved"), auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("application draft")
        verbose_name_plural = _("application drafts")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "applicant"], name="application_draft_one_per_campaign"),
        ]

    def __str__(self):
        return f"{self.applicant} · {self.campaign_id}"
