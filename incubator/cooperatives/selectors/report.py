"""The poverty-alleviation report: households linked with the cooperatives, registered poor
households among them and the income paid to those, by cooperative, township and year; and the
cooperatives' coverage of the townships. Five queries whatever the size of the county.

A household counts in a year when a membership of the cooperative covers a day of that year; it
counts as a registered poor household when the register says so and its registration (if dated)
began by the end of that year. Income is what the ledger's standing entries paid: purchases
(by the day bought) and dividends (by the year declared). A household in two cooperatives of a
township counts once for the township and once for the county.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum

from core import choices
from core.models import Township
from incubator.cooperatives.models import DividendPayment, Membership, Purchase
from incubator.merchants.models import Cooperative

ZERO = Decimal("0.00")


@dataclass
class Figures:
    households: int = 0
    poor_households: int = 0
    income_to_poor: Decimal = ZERO
    income: Decimal = ZERO  # paid to all member households

    @property
    def average_gain_per_poor(self) -> Decimal:
        if not self.poor_households:
            return ZERO
        return (self.income_to_poor / self.poor_households).quantize(Decimal("0.01"))


@dataclass
class CooperativeRow:
    cooperative: Cooperative
    figures: Figures


@dataclass
class TownshipReport:
    township: Township
    cooperatives: list[CooperativeRow] = field(default_factory=list)
    totals: Figures = field(default_factory=Figures)
    covered: bool = False  # has its e-commerce cooperative(s): the coverage target, met or not


@dataclass
class PovertyReport:
    year: int
    townships: list[TownshipReport]
    totals: Figures
    cooperatives_per_township: int

    @property
    def cooperative_count(self) -> int:
        return sum(len(township.cooperatives) for township in self.townships)

    @property
    def townships_covered(self) -> int:
        return sum(1 for township in self.townships if township.covered)


def _sets_to_figures(households: set, poor: set, income: dict, poor_income_keys) -> Figures:
    return Figures(
        households=len(households),
        poor_households=len(poor),
        income=sum(income.values(), ZERO),
        income_to_poor=sum((income[key] for key in poor_income_keys), ZERO),
    )


def poverty_report(*, year: int, township: Township | None = None, cooperatives_per_township: int = 1) -> PovertyReport:
    """The report for `year`, for the whole county or one township."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    townships = choices.townships() if township is None else [township]
    # A cooperative founded after the year did not cover its township that year.
    cooperatives = (
        Cooperative.objects.filter(Q(founded_on__isnull=True) | Q(founded_on__lte=last))
        .select_related("leader")
        .order_by("township__code", "name")
    )
    if township is not None:
        cooperatives = cooperatives.filter(township=township)
    cooperatives = list(cooperatives)
    linked = Membership.objects.filter(joined_on__lte=last).filter(Q(left_on__isnull=True) | Q(left_on__gte=first))
    if township is not None:
        linked = linked.filter(cooperative__township=township)
    members = defaultdict(set)  # cooperative id -> household ids
    poor = set()
    for cooperative_id, household_id, is_poor, since in linked.values_list(
        "cooperative_id", "household_id", "household__is_registered_poor", "household__poor_since"
    ):
        members[cooperative_id].add(household_id)
        if is_poor and (since is None or since <= last):
            poor.add(household_id)
    income = defaultdict(dict)  # cooperative id -> {(cooperative id, household id): paid in the year}
    purchases = Purchase.objects.effective().filter(bought_on__year=year)
    dividends = DividendPayment.objects.filter(declaration__correction__isnull=True, declaration__year=year)
    if township is not None:
        purchases = purchases.filter(cooperative__township=township)
        dividends = dividends.filter(declaration__cooperative__township=township)
    # The purchases' and the dividends' sums per cooperative and household, in one query.
    paid = (
        purchases.values_list("cooperative", "household")
        .annotate(total=Sum("amount"))
        .order_by()
        .union(
            dividends.values_list("declaration__cooperative", "household").annotate(total=Sum("amount")).order_by(),
            all=True,
        )
    )
    for cooperative_id, household_id, total in paid:
        key = (cooperative_id, household_id)
        income[cooperative_id][key] = income[cooperative_id].get(key, ZERO) + total

    by_township = {t.pk: TownshipReport(township=t) for t in townships}
    township_sets = defaultdict(lambda: (set(), set(), {}))
    county_sets = (set(), set(), {})
    for cooperative in cooperatives:
        report = by_township.get(cooperative.township_id)
        if report is None:
            continue
        households = members[cooperative.pk]
        own_poor = households & poor
        own_income = income.get(cooperative.pk, {})
        report.cooperatives.append(
            CooperativeRow(
                cooperative=cooperative,
                figures=_sets_to_figures(households, own_poor, own_income, [k for k in own_income if k[1] in poor]),
            )
        )
        for sets in (township_sets[cooperative.township_id], county_sets):
            sets[0].update(households)
            sets[1].update(own_poor)
            sets[2].update(own_income)
    for township_id, report in by_township.items():
        households, own_poor, own_income = township_sets[township_id]
        report.totals = _sets_to_figures(households, own_poor, own_income, [k for k in own_income if k[1] in poor])
        report.covered = len(report.cooperatives) >= max(cooperatives_per_township, 1)
    households, all_poor, all_income = county_sets
    return PovertyReport(
        year=year,
        townships=list(by_township.values()),
        totals=_sets_to_figures(households, all_poor, all_income, [k for k in all_income if k[1] in poor]),
        cooperatives_per_township=cooperatives_per_township,
    )


def poor_households_linked(*, day: datetime.date) -> int:
    """Registered poor households with a membership on `day`, county-wide (one query)."""
    return (
        Membership.objects.filter(joined_on__lte=day, household__is_registered_poor=True)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=day))
        .filter(Q(household__poor_since__isnull=True) | Q(household__poor_since__lte=day))
        .aggregate(n=Count("household", distinct=True))["n"]
    )


def poor_households_by_township_expression(*, day: datetime.date):
    """An aggregate over `merchants.Cooperative` rows: the registered poor households with a
    membership on `day` (distinct within the group), for the county dashboard's township table."""
    current = (
        Q(memberships__joined_on__lte=day, memberships__household__is_registered_poor=True)
        & (Q(memberships__left_on__isnull=True) | Q(memberships__left_on__gte=day))
        & (Q(memberships__household__poor_since__isnull=True) | Q(memberships__household__poor_since__lte=day))
    )
    return Count("memberships__household", filter=current, distinct=True)
