"""Cohorts, trainee profiles and the trainee's stage history.

The stage changes only through `services.change_stage` (one table of allowed transitions).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Cohort(models.Model):
    """A group of accepted applicants trained together on a required curriculum."""

    campaign = models.ForeignKey(
        "recruitment.RecruitmentCampaignPage",
        on_delete=models.PROTECT,
        related_name="cohorts",
        verbose_name=_("campaign"),
    )
    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    required_courses = models.ManyToManyField(
        "courses.CoursePage", blank=True, related_name="cohorts", verbose_name=_("required courses")
    )
    requires_shop = models.BooleanField(
        _("graduation requires a shop"), default=True, help_text=_("Trainees must register an online shop to graduate.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="cohort_name_unique_in_campaign"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="cohort_ends_after_start"),
        ]

    def __str__(self):
        return self.name


class TraineeProfile(models.Model):
    """A person in the programme, from accepted applicant to merchant, with the facts the office keeps."""

    class Stage(models.TextChoices):
        APPLICANT = "applicant", _("Applicant")
        TRAINEE = "trainee", _("Trainee")
        GRADUATE = "graduate", _("Graduate")
        MERCHANT = "merchant", _("Merchant")
        DORMANT = "dormant", _("Dormant")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trainee_profile", verbose_name=_("person")
    )
    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, null=True, blank=True, related_name="trainees", verbose_name=_("cohort")
    )
    application = models.ForeignKey(
        "recruitment.Application",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("application"),
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.APPLICANT, db_index=True)
    village = models.ForeignKey(
        "core.Village",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trainees",
        verbose_name=_("village"),
    )
    products = models.ManyToManyField(
        "core.ProductCategory", blank=True, related_name="trainees", verbose_name=_("products")
    )
    poor_household = models.BooleanField(_("registered poor household"), default=False)
    stage_changed_at = models.DateTimeField(_("stage changed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("trainee profile")
        verbose_name_plural = _("trainee profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(stage__in=["applicant", "trainee", "graduate", "merchant", "dormant"]),
                name="trainee_profile_stage_valid",
            )
        ]

    def __str__(self):
        return str(self.user)


# The lifecycle: current stage -> the stages it may move to. The one function that changes a
# stage is `incubator.recruitment.services.trainees.change_stage`.

STAGE_TRANSITIONS: dict[str, tuple[str, ...]] = {
    TraineeProfile.Stage.APPLICANT: (TraineeProfile.Stage.TRAINEE,),
    TraineeProfile.Stage.TRAINEE: (TraineeProfile.Stage.GRADUATE,),
    TraineeProfile.Stage.GRADUATE: (TraineeProfile.Stage.MERCHANT,),
    TraineeProfile.Stage.MERCHANT: (TraineeProfile.Stage.DORMANT,),
    TraineeProfile.Stage.DORMANT: (TraineeProfile.Stage.MERCHANT,),
}


class StageChange(models.Model):
    """One step of a person's lifecycle: from which stage to which, by whom, when, why."""

    profile = models.ForeignKey(TraineeProfile, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(_("from"), max_length=20, choices=TraineeProfile.Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=TraineeProfile.Stage.choices)
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
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")

    def __str__(self):
        return f"{self.from_stage} → {self.to_stage}"
