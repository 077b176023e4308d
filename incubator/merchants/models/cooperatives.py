from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel


class Cooperative(ClusterableModel):
    """An e-commerce cooperative: links merchants with farmers and registered poor households."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    township = models.ForeignKey(
        "core.Township", on_delete=models.PROTECT, related_name="cooperatives", verbose_name=_("township")
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cooperatives_led",
        verbose_name=_("leader"),
        help_text=_("A merchant who runs the cooperative."),
    )
    members = ParentalManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="cooperatives", verbose_name=_("member merchants")
    )
    member_households = models.PositiveIntegerField(_("member households"), default=0)
    poor_households = models.PositiveIntegerField(
        _("registered poor households linked"), default=0, help_text=_("Cannot exceed the member households.")
    )
    products = ParentalManyToManyField(
        "core.ProductCategory", blank=True, related_name="cooperatives", verbose_name=_("products")
    )
    founded_on = models.DateField(_("founded"), null=True, blank=True)

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("township"), FieldPanel("founded_on")]),
        FieldPanel("leader"),
        FieldPanel("members"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("member_households"), FieldPanel("poor_households")])],
            heading=_("Households"),
        ),
        FieldPanel("products"),
    ]

    class Meta:
        ordering = ["township__code", "name"]
        verbose_name = _("e-commerce cooperative")
        verbose_name_plural = _("e-commerce cooperatives")
        constraints = [
            models.CheckConstraint(
                condition=Q(poor_households__lte=F("member_households")),
                name="cooperative_poor_within_members",
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        members, poor = self.member_households, self.poor_households
        if members is not None and poor is not None and poor > members:
            raise ValidationError(
                {"poor_households": _("The poor households linked cannot exceed the member households.")}
            )
