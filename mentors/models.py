"""Mentors, who they mentor, what they did with them, and whom they recommend for graduation."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models.bilingual import BilingualNameMixin


class Skill(BilingualNameMixin):
    """A skill a mentor teaches beyond products: photography, live streaming, logistics..."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "slug"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")


class MentorProfileQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class MentorProfile(models.Model):
    """What the office knows of a mentor: expertise, townships served, and how many trainees at once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_profile", verbose_name=_("person")
    )
    bio = models.TextField(_("about"), blank=True, help_text=_("A few lines trainees will read about their mentor."))
    expertise = models.ManyToManyField(
        "core.ProductCategory", blank=True, related_name="mentors", verbose_name=_("product expertise")
    )
    skills = models.ManyToManyField(Skill, blank=True, related_name="mentors", verbose_name=_("skills"))
    townships = models.ManyToManyField(
        "core.Township", blank=True, related_name="mentors", verbose_name=_("townships served")
    )
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), default=10, help_text=_("The most trainees this mentor takes at once.")
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive mentors get no new trainees and no digest.")
    )
    wechat = models.CharField(_("WeChat ID"), max_length=60, blank=True)
    contact_note = models.CharField(
        _("how to reach"), max_length=200, blank=True, help_text=_("For example: best reached after 6 pm.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = MentorProfileQuerySet.as_manager()

    class Meta:
        ordering = ["user__real_name", "pk"]
        verbose_name = _("mentor profile")
        verbose_name_plural = _("mentor profiles")
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="mentor_capacity_at_least_one"),
        ]

    def __str__(self):
        return str(self.user)


class MentorAssignmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)


class MentorAssignment(models.Model):
    """A trainee in a mentor's care from `started_at` until `ended_at` (open while active).

    Reassignment ends the old row and opens a new one, so the history stays; the database
    allows at most one open row per trainee.
    """

    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mentee_assignments", verbose_name=_("mentor")
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_assignments", verbose_name=_("trainee")
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ended by"),
    )
    end_reason = models.CharField(_("why it ended"), max_length=300, blank=True)

    objects = MentorAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("mentor assignment")
        verbose_name_plural = _("mentor assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["trainee"], condition=Q(ended_at__isnull=True), name="one_active_mentor_per_trainee"
            ),
            models.CheckConstraint(condition=~Q(mentor=F("trainee")), name="mentor_is_not_own_trainee"),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="assignment_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["mentor", "ended_at"], name="assignment_mentor_ended"),
        ]

    def __str__(self):
        return f"{self.mentor} → {self.trainee}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class CheckIn(models.Model):
    """A contact with a trainee: a visit, a call, a WeChat chat or a group class.

    `mentor` is the person who made the contact: the trainee's mentor, or (with `by_office`)
    a member of the county office, whose check-in is shown as the office's, never as a mentor's.
    """

    class Channel(models.TextChoices):
        VISIT = "visit", _("visit")
        PHONE = "phone", _("phone")
        WECHAT = "wechat", _("WeChat")
        GROUP_CLASS = "group_class", _("group class")

    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="checkins_given", verbose_name=_("mentor")
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkins", verbose_name=_("trainee")
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.PHONE)
    notes = models.TextField(_("notes"))
    next_steps = models.TextField(_("next steps"), blank=True)
    by_office = models.BooleanField(_("by the county office"), default=False)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-created_at", "-pk"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        indexes = [models.Index(fields=["trainee", "date"], name="checkin_trainee_date")]

    def __str__(self):
        return f"{self.trainee} · {self.date} · {self.get_channel_display()}"


class GraduationRecommendationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(withdrawn_at__isnull=True)


class GraduationRecommendation(models.Model):
    """A mentor's word that a trainee is ready to graduate; the office decides. One open per trainee."""

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="graduation_recommendations",
        verbose_name=_("trainee"),
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("mentor")
    )
    note = models.TextField(_("note"))
    created_at = models.DateTimeField(_("recommended"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdraw_reason = models.CharField(_("why withdrawn"), max_length=300, blank=True)

    objects = GraduationRecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("graduation recommendation")
        verbose_name_plural = _("graduation recommendations")
        constraints = [
            models.UniqueConstraint(
                fields=["trainee"], condition=Q(withdrawn_at__isnull=True), name="one_active_recommendation_per_trainee"
            ),
        ]

    def __str__(self):
        return f"{self.trainee} ({self.mentor})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class MentorInvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=MentorInvitation.Status.PENDING)


class MentorInvitation(models.Model):
    """The office's offer of the mentor role to one person, and what became of it.

    The link carries a random token; only its SHA-256 is stored, so the table alone opens
    nothing. At most one invitation per person is pending: a new one supersedes the last.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for an answer")
        ACCEPTED = "accepted", _("accepted the invitation")
        DECLINED = "declined", _("declined the invitation")
        SUPERSEDED = "superseded", _("replaced by a newer invitation")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentor_invitations",
        verbose_name=_("person invited"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    # Where the link was sent: the person's own address or number on file, never one typed
    # into the invitation form for an existing person.
    email = models.EmailField(_("sent to email"), blank=True)
    phone = models.CharField(_("sent to mobile phone"), max_length=20, blank=True)
    # The account was made for this invitation: its link also sets the first password.
    new_account = models.BooleanField(_("account created by the invitation"), default=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("invited on"), default=timezone.now)
    expires_at = models.DateTimeField(_("valid until"))
    accepted_at = models.DateTimeField(_("accepted on"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined on"), null=True, blank=True)

    objects = MentorInvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("mentor invitation")
        verbose_name_plural = _("mentor invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(status="pending"), name="one_pending_mentor_invitation_per_person"
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")), name="mentor_invitation_expires_after_sending"
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="accepted", accepted_at__isnull=False, declined_at__isnull=True)
                    | Q(status="declined", declined_at__isnull=False, accepted_at__isnull=True)
                    | Q(status__in=["pending", "superseded"], accepted_at__isnull=True, declined_at__isnull=True)
                ),
                name="mentor_invitation_status_matches_dates",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.created_at:%Y-%m-%d}"

    @property
    def is_expired(self) -> bool:
        return self.status == self.Status.PENDING and self.expires_at <= timezone.now()

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PENDING and not self.is_expired

    @property
    def state_label(self) -> str:
        """The status as the office reads it: a pending invitation past its date shows as expired."""
        return str(_("invitation expired")) if self.is_expired else self.get_status_display()

    @property
    def sets_password(self) -> bool:
        """True while the link is the only way into an account made for it (no password, never signed in)."""
        return self.new_account and not self.user.has_usable_password() and self.user.last_login is None
