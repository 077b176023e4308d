import datetime
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


@register_setting(icon="target")
class CountyTargets(BaseGenericSetting):
    """The county's public targets, which the dashboard measures progress against."""

    programme_start = models.DateField(
        _("programme start"), default=datetime.date(2026, 1, 1), help_text=_("Pace is measured from this day.")
    )
    merchants_target = models.PositiveIntegerField(_("merchants to incubate"), default=5000)
    merchants_deadline = models.DateField(_("merchants: by"), default=datetime.date(2028, 12, 31))
    sales_target = models.DecimalField(
        _("online sales to reach (yuan)"), max_digits=16, decimal_places=2, default=Decimal("1000000000")
    )
    sales_deadline = models.DateField(_("sales: by"), default=datetime.date(2028, 12, 31))
    ecommerce_villages_target = models.PositiveIntegerField(_("e-commerce villages"), default=5)
    ecommerce_village_min_merchants = models.PositiveIntegerField(
        _("active merchants that make an e-commerce village"),
        default=10,
        help_text=_("A village with at least this many active merchants counts as an e-commerce village."),
    )
    cooperatives_per_township = models.PositiveIntegerField(_("cooperatives per township"), default=1)
    poor_households_target = models.PositiveIntegerField(
        _("registered poor households to link"),
        default=0,
        help_text=_("Registered poor households linked with a cooperative (from the household register)."),
    )

    panels = [
        FieldPanel("programme_start"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("merchants_target"), FieldPanel("merchants_deadline")])],
            heading=_("Merchants"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("sales_target"), FieldPanel("sales_deadline")])], heading=_("Online sales")
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("ecommerce_villages_target"), FieldPanel("ecommerce_village_min_merchants")]),
                FieldRowPanel([FieldPanel("cooperatives_per_township"), FieldPanel("poor_households_target")]),
            ],
            heading=_("Villages and cooperatives"),
        ),
    ]

    class Meta:
        verbose_name = _("county targets")
