"""Village service stations and their daily log, in both directions: buying in for villagers
and selling out the village's products."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class StationQuerySet(models.QuerySet):
    def open_on(self, day):
        return self.filter(Q(opened_on__lte=day) & (Q(closed_on__isnull=True) | Q(closed_on__gte=day)))


class Station(models.Model):
    """A village's service station, run by a village partner (a trainee or merchant of a
    village-partner campaign). One open station per village at a time."""

    village = models.ForeignKey(
        "core.Village", on_delete=models.PROTECT, related_name="stations", verbose_name=_("village")
    )
    partner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="stations",
        verbose_name=_("village partner"),
    )
    shop = models.ForeignKey(
        "merchants.Shop",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stations",
        verbose_name=_("partner's shop"),
        help_text=_("The partner's online shop that sells the village's products, where there is one."),
    )
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StationQuerySet.as_manager()

    class Meta:
        ordering = ["village__township__code", "village__code", "-opened_on"]
        verbose_name = _("village service station")
        verbose_name_plural = _("village service stations")
        constraints = [
            models.UniqueConstraint(
                fields=["village"],
                condition=Q(closed_on__isnull=True),
                name="station_one_open_per_village",
                violation_error_message=_("This village already has an open station. Close it first."),
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("opened_on")),
                name="station_closes_after_opening",
            ),
        ]

    def __str__(self):
        return str(self.village.full_name)

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class StationDay(models.Model):
    """One station's day: villagers served and what was sold out of the village. What was bought
    in for villagers is in its StationPurchase lines, one per category."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="days", verbose_name=_("station"))
    day = models.DateField(_("day"))
    villagers_served = models.PositiveIntegerField(_("villagers served"), default=0)
    sell_orders = models.PositiveIntegerField(_("orders sold out"), default=0)
    sell_value = models.DecimalField(_("value sold out (yuan)"), max_digits=14, decimal_places=2, default=0)
    sell_products = models.CharField(_("products sold out"), max_length=200, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["station_id", "-day"]
        verbose_name = _("station day")
        verbose_name_plural = _("station days")
        constraints = [
            models.UniqueConstraint(fields=["station", "day"], name="stationday_one_per_station_and_day"),
            models.CheckConstraint(condition=Q(sell_value__gte=0), name="stationday_sell_value_not_negative"),
        ]
        indexes = [models.Index(fields=["day"], name="stationday_day")]

    def __str__(self):
        return f"{self.station} {self.day:%Y-%m-%d}"


class StationPurchase(models.Model):
    """What the station bought in for villagers on a day, in one category."""

    class Category(models.TextChoices):
        MACHINERY = "machinery", _("Agricultural machinery")
        FARM_INPUTS = "farm_inputs", _("Seeds, fertiliser and farm inputs")
        NECESSITIES = "necessities", _("Daily necessities")
        APPLIANCES = "appliances", _("Household appliances")
        OTHER = "other", _("Other")

    station_day = models.ForeignKey(
        StationDay, on_delete=models.CASCADE, related_name="purchases", verbose_name=_("station day")
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    orders = models.PositiveIntegerField(_("orders"), default=0)
    value = models.DecimalField(_("value (yuan)"), max_digits=14, decimal_places=2, default=0)

    class Meta:
        ordering = ["station_day_id", "category"]
        verbose_name = _("station purchase")
        verbose_name_plural = _("station purchases")
        constraints = [
            models.UniqueConstraint(fields=["station_day", "category"], name="stationpurchase_one_per_category"),
            models.CheckConstraint(condition=Q(value__gte=0), name="stationpurchase_value_not_negative"),
        ]

    def __str__(self):
        return f"{self.station_day} {self.get_category_display()}"
