"""What a village needs to be counted as a Taobao village: its households (for the share of
households with an online shop) and the county's target. The sales and shop thresholds are
settings (see incubator.villages.selectors.taobao)."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


class VillageHouseholds(models.Model):
    """How many households a village has (from the township's register), keyed by village."""

    village = models.OneToOneField(
        "core.Village", on_delete=models.CASCADE, related_name="household_count", verbose_name=_("village")
    )
    households = models.PositiveIntegerField(_("households"))
    counted_on = models.DateField(_("counted on"), null=True, blank=True)

    class Meta:
        ordering = ["village__township__code", "village__code"]
        verbose_name = _("village households")
        verbose_name_plural = _("village households")

    def __str__(self):
        return f"{self.village.full_name}: {self.households}"


@register_setting(icon="home")
class VillageTargets(BaseGenericSetting):
    """The county's targets for Taobao villages ("three to five")."""

    taobao_villages_min = models.PositiveIntegerField(_("Taobao villages: at least"), default=3)
    taobao_villages_target = models.PositiveIntegerField(_("Taobao villages: up to"), default=5)

    panels = [FieldRowPanel([FieldPanel("taobao_villages_min"), FieldPanel("taobao_villages_target")])]

    class Meta:
        verbose_name = _("village targets")
        constraints = [
            models.CheckConstraint(
                condition=Q(taobao_villages_target__gte=F("taobao_villages_min")), name="villagetargets_range_in_order"
            )
        ]
