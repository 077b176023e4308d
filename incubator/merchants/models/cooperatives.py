from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel


class Cooperative(ClusterableModel):
    """An e-commerce cooperative: links merchants with farmers and registered poor households.

    Its member households, and every figure about them, come from the household register and
    the cooperative's ledger (incubator.cooperatives), which refer to this model."""

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
    products = ParentalManyToManyField(
        "core.ProductCategory", blank=True, related_name="cooperatives", verbose_name=_("products")
    )
    founded_on = models.DateField(_("founded"), null=True, blank=True)

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("township"), FieldPanel("founded_on")]),
        FieldPanel("leader"),
        FieldPanel("members"),
        FieldPanel("products"),
    ]

    class Meta:
        ordering = ["township__code", "name"]
        verbose_name = _("e-commerce cooperative")
        verbose_name_plural = _("e-commerce cooperatives")

    def __str__(self):
        return self.name
