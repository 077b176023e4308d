"""The cooperative's ledger: what households were given, what was bought from them and paid,
what was sold through the members' shops, and the dividends.

Entries are only ever added. A mistake is corrected by a new entry that names the one it
replaces (`corrects`, at most one correction per entry); the ledger's figures count the entries
nobody corrected (`effective()`). On PostgreSQL a trigger refuses any UPDATE of these tables
(migration 0001), and the services below are the only writers.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

REASON_REQUIRED = _("Say why the entry is corrected.")
NOT_NEGATIVE = _("An amount cannot be negative.")
QUANTITY_ABOVE_ZERO = _("Enter a quantity above zero.")
DIVIDEND_UNIT_REQUIRED = _("Choose the unit of the produce the dividend is split by.")


class Unit(models.TextChoices):
    KG = "kg", _("kg")
    JIN = "jin", _("jin (500 g)")
    PIECE = "piece", _("piece")
    HEAD = "head", _("head (live animal)")
    BOX = "box", _("box")


class LedgerQuerySet(models.QuerySet):
    def effective(self):
        """The entries that stand: those no later entry corrects."""
        return self.filter(correction__isnull=True)


class LedgerEntry(models.Model):
    cooperative = models.ForeignKey(
        "merchants.Cooperative", on_delete=models.PROTECT, related_name="+", verbose_name=_("cooperative")
    )
    corrects = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
        verbose_name=_("corrects entry"),
    )
    reason = models.CharField(_("reason for the correction"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = LedgerQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_correction(self) -> bool:
        return self.corrects_id is not None


def _correction_has_reason(name):
    return models.CheckConstraint(
        condition=Q(corrects__isnull=True) | ~Q(reason=""), name=name, violation_error_message=REASON_REQUIRED
    )


def _not_negative(field, name):
    return models.CheckConstraint(condition=Q(**{f"{field}__gte": 0}), name=name, violation_error_message=NOT_NEGATIVE)


def _positive_quantity(name):
    # A correction may bring an entry to nothing (0); nothing is ever negative.
    return models.CheckConstraint(
        condition=Q(quantity__gt=0) | Q(quantity=0, corrects__isnull=False),
        name=name,
        violation_error_message=QUANTITY_ABOVE_ZERO,
    )


class InputGiven(LedgerEntry):
    """Inputs the cooperative gave a household: seedlings, feed, training (what, how many, value, when)."""

    household = models.ForeignKey(
        "cooperatives.Household", on_delete=models.PROTECT, related_name="inputs", verbose_name=_("household")
    )
    item = models.CharField(_("what"), max_length=120)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices, default=Unit.PIECE)
    value = models.DecimalField(_("value (yuan)"), max_digits=12, decimal_places=2)
    given_on = models.DateField(_("given on"))

    class Meta:
        ordering = ["-given_on", "-pk"]
        verbose_name = _("input given")
        verbose_name_plural = _("inputs given")
        constraints = [
            _positive_quantity("input_quantity_positive"),
            _not_negative("value", "input_value_not_negative"),
            _correction_has_reason("input_correction_has_reason"),
        ]

    def __str__(self):
        return f"{self.item} × {self.quantity}"


class Purchase(LedgerEntry):
    """Produce bought from a household: each purchase is a payment to that household."""

    household = models.ForeignKey(
        "cooperatives.Household", on_delete=models.PROTECT, related_name="purchases", verbose_name=_("household")
    )
    product = models.CharField(_("product"), max_length=120)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices, default=Unit.KG)
    amount = models.DecimalField(_("price paid (yuan)"), max_digits=12, decimal_places=2)
    bought_on = models.DateField(_("bought on"))

    class Meta:
        ordering = ["-bought_on", "-pk"]
        verbose_name = _("produce bought")
        verbose_name_plural = _("produce bought")
        constraints = [
            _positive_quantity("purchase_quantity_positive"),
            _not_negative("amount", "purchase_amount_not_negative"),
            _correction_has_reason("purchase_correction_has_reason"),
        ]
        indexes = [models.Index(fields=["cooperative", "bought_on"])]

    def __str__(self):
        return f"{self.product} × {self.quantity} {self.get_unit_display()}"

    @property
    def unit_price(self):
        return (self.amount / self.quantity).quantize(self.amount) if self.quantity else None


class CooperativeSale(LedgerEntry):
    """The cooperative's produce sold in one month through a member merchant's shop. It matches
    the shop's own monthly sales report of that month when there is one (by shop and month; the
    report is read, never changed)."""

    shop = models.ForeignKey("merchants.Shop", on_delete=models.PROTECT, related_name="+", verbose_name=_("shop"))
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    product = models.CharField(_("product"), max_length=120)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices, default=Unit.KG)
    amount = models.DecimalField(_("sales (yuan)"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["-month", "-pk"]
        verbose_name = _("sale through a member's shop")
        verbose_name_plural = _("sales through members' shops")
        constraints = [
            _positive_quantity("sale_quantity_positive"),
            _not_negative("amount", "sale_amount_not_negative"),
            models.CheckConstraint(condition=Q(month__day=1), name="sale_month_first_day"),
            _correction_has_reason("sale_correction_has_reason"),
        ]

    def __str__(self):
        return f"{self.product} {self.month:%Y-%m}"


class DividendDeclaration(LedgerEntry):
    """A year's dividend, declared from the profit and split among the member households by the
    cooperative's rule; its payments (`DividendPayment`) add up exactly to `total`."""

    class Rule(models.TextChoices):
        PER_SHARE = "per_share", _("per share")
        PER_QUANTITY = "per_quantity", _("per quantity supplied in the year")

    year = models.PositiveSmallIntegerField(_("year"))
    total = models.DecimalField(_("dividend declared (yuan)"), max_digits=14, decimal_places=2)
    rule = models.CharField(_("split"), max_length=20, choices=Rule.choices, default=Rule.PER_SHARE)
    unit = models.CharField(
        _("unit supplied"),
        max_length=20,
        choices=Unit.choices,
        blank=True,
        help_text=_("Per quantity: the purchases in this unit count."),
    )
    paid_on = models.DateField(_("paid on"))

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("dividend")
        verbose_name_plural = _("dividends")
        constraints = [
            _not_negative("total", "dividend_total_not_negative"),
            models.CheckConstraint(
                condition=~Q(rule="per_quantity") | ~Q(unit=""),
                name="dividend_per_quantity_has_unit",
                violation_error_message=DIVIDEND_UNIT_REQUIRED,
            ),
            # One declaration per cooperative and year; a change is a correction of it.
            models.UniqueConstraint(
                fields=["cooperative", "year"], condition=Q(corrects__isnull=True), name="dividend_one_per_year"
            ),
            _correction_has_reason("dividend_correction_has_reason"),
        ]

    def __str__(self):
        return f"{self.cooperative} {self.year}"


class DividendPayment(models.Model):
    """One household's part of a declared dividend. Written with the declaration, never after."""

    declaration = models.ForeignKey(
        DividendDeclaration, on_delete=models.PROTECT, related_name="payments", verbose_name=_("dividend")
    )
    household = models.ForeignKey(
        "cooperatives.Household",
        on_delete=models.PROTECT,
        related_name="dividend_payments",
        verbose_name=_("household"),
    )
    basis = models.DecimalField(_("shares or quantity"), max_digits=14, decimal_places=2)
    amount = models.DecimalField(_("paid (yuan)"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["declaration_id", "household_id"]
        verbose_name = _("dividend payment")
        verbose_name_plural = _("dividend payments")
        constraints = [
            models.UniqueConstraint(fields=["declaration", "household"], name="dividend_payment_once_per_household"),
            _not_negative("amount", "dividend_payment_not_negative"),
            models.CheckConstraint(condition=Q(basis__gt=0), name="dividend_payment_basis_positive"),
        ]

    def __str__(self):
        return f"{self.household}: {self.amount}"
