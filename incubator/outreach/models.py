"""Reaching people: offline class sessions with their attendance, and group messages with their
recipients (each delivered as one `core.Notification`)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ClassSession(models.Model):
    """An offline class for a cohort: when, where, what about, and who runs it."""

    cohort = models.ForeignKey(
        "recruitment.Cohort", on_delete=models.PROTECT, related_name="class_sessions", verbose_name=_("cohort")
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    starts_at = models.TimeField(_("starts at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200)
    topic = models.CharField(_("topic"), max_length=200)
    led_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="class_sessions_led",
        verbose_name=_("run by"),
        help_text=_("The mentor or office member who runs the class and takes attendance."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-starts_at", "-pk"]
        verbose_name = _("class session")
        verbose_name_plural = _("class sessions")
        indexes = [models.Index(fields=["cohort", "date"], name="class_session_cohort_date")]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} · {self.topic}"


class Attendance(models.Model):
    """Whether one trainee came to one class session (one row per trainee and session)."""

    class Status(models.TextChoices):
        PRESENT = "present", _("present")
        ABSENT = "absent", _("absent")
        EXCUSED = "excused", _("excused")

    session = models.ForeignKey(ClassSession, on_delete=models.CASCADE, related_name="attendance")
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="class_attendance", verbose_name=_("trainee")
    )
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        ordering = ["session", "trainee__real_name", "pk"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "trainee"], name="one_attendance_per_trainee_and_session"),
            models.CheckConstraint(
                condition=Q(status__in=["present", "absent", "excused"]), name="attendance_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["trainee", "session"], name="attendance_trainee_session")]

    def __str__(self):
        return f"{self.trainee} · {self.session} · {self.get_status_display()}"


class GroupMessage(models.Model):
    """A message the office (or a mentor, to their own trainees) sent to a group, kept on record:
    who, when, to which audience, the words, and each recipient (`GroupMessageRecipient`)."""

    class Audience(models.TextChoices):
        COHORT = "cohort", _("a cohort")
        TOWNSHIP = "township", _("a township")
        CAMPAIGN = "campaign", _("a campaign's applicants")
        AT_RISK = "at_risk", _("trainees at risk")

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="group_messages_sent", verbose_name=_("sender")
    )
    as_office = models.BooleanField(_("sent by the county office"), default=False)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    cohort = models.ForeignKey(
        "recruitment.Cohort",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cohort"),
    )
    township = models.ForeignKey(
        "core.Township", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("township")
    )
    campaign = models.ForeignKey(
        "recruitment.RecruitmentCampaignPage",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("campaign"),
    )
    application_status = models.CharField(_("application status"), max_length=20, blank=True)
    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("message"), max_length=500)
    created_at = models.DateTimeField(_("sent"), default=timezone.now, db_index=True)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    fanned_out_at = models.DateTimeField(_("all notifications created"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("group message")
        verbose_name_plural = _("group messages")
        indexes = [models.Index(fields=["sender", "created_at"], name="group_message_sender_sent")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(audience="cohort", cohort__isnull=False)
                    | Q(audience="township", township__isnull=False)
                    | Q(audience="campaign", campaign__isnull=False)
                    | Q(audience="at_risk")
                ),
                name="group_message_audience_complete",
            ),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d} · {self.title}"

    @property
    def application_status_label(self):
        from incubator.recruitment.models import Application

        return dict(Application.Status.choices).get(self.application_status, self.application_status)


class GroupMessageRecipient(models.Model):
    """One person a group message was sent to, and the notification that carries it to them."""

    message = models.ForeignKey(GroupMessage, on_delete=models.CASCADE, related_name="recipients")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("recipient")
    )
    notification = models.OneToOneField(
        "core.Notification", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["message", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["message", "recipient"], name="one_recipient_row_per_group_message"),
        ]

    def __str__(self):
        return f"{self.message} → {self.recipient}"
