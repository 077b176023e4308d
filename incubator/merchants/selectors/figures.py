"""What the merchants' figures count: money to the cent, and the lifecycle stages each count includes."""

from decimal import Decimal

from django.db.models import DecimalField

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def money(value) -> Decimal:
    """A sum of yuan to the cent (SQLite hands back sums with spurious digits)."""
    return Decimal(value or 0).quantize(CENT)


MONEY = DecimalField(max_digits=18, decimal_places=2)

STAGES_TRAINED = ["trainee", "graduate", "merchant", "dormant"]
STAGES_GRADUATED = ["graduate", "merchant", "dormant"]
STAGES_INCUBATED = ["merchant", "dormant"]
