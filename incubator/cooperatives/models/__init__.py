from .households import Household, Membership
from .ledger import CooperativeSale, DividendDeclaration, DividendPayment, InputGiven, Purchase

__all__ = [
    "CooperativeSale",
    "DividendDeclaration",
    "DividendPayment",
    "Household",
    "InputGiven",
    "Membership",
    "Purchase",
]
