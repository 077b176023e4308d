"""Village service stations and their daily log, in both directions: buying in for villagers
and selling out the village's products."""

from decimal import Decimal

from django.conf import settings
from django.db import models, transaction
from django.db.models import DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
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
    in for villagers is in its StationPurchase lines, one per category; `buy_orders` and
    `buy_value` are their sums, kept as lines are written (`tally_purchases`), so the day's trade
    is read from the day alone."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="days", verbose_name=_("station"))
    day = models.DateField(_("day"))
    villagers_served = models.PositiveIntegerField(_("villagers served"), default=0)
    sell_orders = models.PositiveIntegerField(_("orders sold out"), default=0)
    sell_value = models.DecimalField(_("value sold out (yuan)"), max_digits=14, decimal_places=2, default=0)
    sell_products = models.CharField(_("products sold out"), max_length=200, blank=True)
    buy_orders = models.PositiveIntegerField(_("orders bought in"), default=0, editable=False)
    buy_value = models.DecimalField(
        _("value bought in (yuan)"), max_digits=14, decimal_places=2, default=0, editable=False
    )
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

    @classmethod
    def tally_purchases(cls, day_ids=None) -> None:
        """Sum the purchase lines of the days `day_ids` (None: every day) into their `buy_orders`
        and `buy_value`, in one UPDATE that reads the lines as they are in this transaction, the
        days locked first (incubator/villages/signals.py calls it after every write of a line)."""
        days = cls.objects.all() if day_ids is None else cls.objects.filter(pk__in=day_ids)
        with transaction.atomic():
            # A writer of another line of these days waits here for the first to commit, then
            # sums in a statement of its own, which sees that writer's line.
            list(days.select_for_update().order_by("pk").values_list("pk", flat=True))
            sum_the_lines(days, StationPurchase)


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


def sum_the_lines(days, line_model) -> None:
    """Set `days`' `buy_orders` and `buy_value` to the sums of their lines of `line_model`, in one
    UPDATE (also the migration that made the fields, with its historical models)."""
    lines = line_model.objects.filter(station_day=OuterRef("pk")).order_by().values("station_day")
    days.update(
        buy_orders=Coalesce(Subquery(lines.annotate(n=Sum("orders")).values("n")), 0),
        buy_value=Coalesce(
            Subquery(lines.annotate(n=Sum("value")).values("n")), Value(Decimal("0")), output_field=DecimalField()
        ),
    )
