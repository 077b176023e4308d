from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

# What an ID-card number may be stored as: masked but for its last four characters (a 15- or
# 18-character number). The database refuses anything else, so a full number can never be kept.
POOR_SINCE_WITHOUT_POOR = _("Only a registered poor household has a date of registration.")
LEFT_BEFORE_JOINED = _("A household cannot leave before it joined.")
MASKED_ID_CARD = r"^(\*{11}|\*{14})[0-9]{3}[0-9X]$"


class Household(models.Model):
    """A household of the township's register: who heads it, where, how many people, and whether
    it is a registered poor household (建档立卡) and since when. Never shown on a public page."""

    head_name = models.CharField(_("head of household"), max_length=60)
    village = models.ForeignKey(
        "core.Village", on_delete=models.PROTECT, related_name="households", verbose_name=_("village")
    )
    members = models.PositiveSmallIntegerField(_("people in the household"), default=1)
    is_registered_poor = models.BooleanField(_("registered poor household (建档立卡)"), default=False)
    poor_since = models.DateField(_("registered poor since"), null=True, blank=True)
    phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    id_card_masked = models.CharField(
        _("ID-card number (masked)"),
        max_length=18,
        blank=True,
        help_text=_("Only the last four characters are kept."),
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["village__township__code", "village__code", "head_name", "pk"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            models.CheckConstraint(condition=Q(members__gte=1), name="household_has_people"),
            models.CheckConstraint(
                condition=Q(id_card_masked="") | Q(id_card_masked__regex=MASKED_ID_CARD),
                name="household_id_card_masked",
            ),
            models.CheckConstraint(
                condition=Q(is_registered_poor=True) | Q(poor_since__isnull=True),
                name="household_poor_since_only_when_poor",
                violation_error_message=POOR_SINCE_WITHOUT_POOR,
            ),
        ]
        indexes = [models.Index(fields=["village", "head_name"])]

    def __str__(self):
        return f"{self.head_name} ({self.village})"


class Membership(models.Model):
    """A household's membership of a cooperative: from `joined_on` to `left_on` (open while it
    lasts), with its shares. A household may belong to several cooperatives."""

    cooperative = models.ForeignKey(
        "merchants.Cooperative", on_delete=models.PROTECT, related_name="memberships", verbose_name=_("cooperative")
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("household")
    )
    joined_on = models.DateField(_("joined"))
    left_on = models.DateField(_("left"), null=True, blank=True)
    shares = models.PositiveIntegerField(_("shares"), default=1)

    class Meta:
        ordering = ["cooperative_id", "household__head_name", "joined_on", "pk"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="membership_left_after_joined",
                violation_error_message=LEFT_BEFORE_JOINED,
            ),
            models.UniqueConstraint(
                fields=["cooperative", "household"],
                condition=Q(left_on__isnull=True),
                name="membership_one_open_per_household",
            ),
        ]

    def __str__(self):
        return f"{self.household} · {self.cooperative}"

    def covers(self, day) -> bool:
        return self.joined_on <= day and (self.left_on is None or self.left_on >= day)
