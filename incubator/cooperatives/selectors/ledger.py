"""A cooperative's ledger as its pages show it, and what each household gained."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, OuterRef, Subquery, Sum
from django.db.models.functions import ExtractYear

from incubator.cooperatives.models import (
    CooperativeSale,
    DividendDeclaration,
    DividendPayment,
    InputGiven,
    Membership,
    Purchase,
)

ZERO = Decimal("0.00")


@dataclass
class Income:
    """What a household gained from one cooperative in one year, and the inputs it received."""

    purchases: Decimal = ZERO
    dividends: Decimal = ZERO
    inputs: Decimal = ZERO

    @property
    def income(self) -> Decimal:
        return self.purchases + self.dividends


def household_income(*, household_ids, cooperative_ids=None, year: int | None = None) -> dict:
    """{(household id, cooperative id, year): Income} from the entries that stand (three grouped
    queries whatever the number of households): purchases by the day bought, dividends by the
    year declared, inputs by the day given."""
    household_ids = list(household_ids)
    found: dict = defaultdict(Income)
    if not household_ids:
        return found

    def scoped(queryset, cooperative, day_year):
        queryset = queryset.filter(household__in=household_ids)
        if cooperative_ids is not None:
            queryset = queryset.filter(**{f"{cooperative}__in": list(cooperative_ids)})
        if year is not None:
            queryset = queryset.filter(**{day_year: year})
        return queryset

    purchases = scoped(Purchase.objects.effective(), "cooperative", "bought_on__year")
    for row in (
        purchases.annotate(year=ExtractYear("bought_on"))
        .values("household", "cooperative", "year")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        found[(row["household"], row["cooperative"], row["year"])].purchases = row["total"]
    dividends = scoped(
        DividendPayment.objects.filter(declaration__correction__isnull=True),
        "declaration__cooperative",
        "declaration__year",
    )
    for row in (
        dividends.values("household", "declaration__cooperative", "declaration__year")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        found[(row["household"], row["declaration__cooperative"], row["declaration__year"])].dividends = row["total"]
    inputs = scoped(InputGiven.objects.effective(), "cooperative", "given_on__year")
    for row in (
        inputs.annotate(year=ExtractYear("given_on"))
        .values("household", "cooperative", "year")
        .annotate(total=Sum("value"))
        .order_by()
    ):
        found[(row["household"], row["cooperative"], row["year"])].inputs = row["total"]
    return found


def year_sales(*, cooperative, year: int) -> Decimal:
    """What the cooperative sold through its members' shops in `year` (the entries that stand)."""
    total = (
        CooperativeSale.objects.effective()
        .filter(cooperative=cooperative, month__year=year)
        .aggregate(total=Sum("amount"))["total"]
    )
    return total or ZERO


def members(*, cooperative, year: int) -> list[Membership]:
    """The cooperative's memberships (current ones first), each with `income` for `year` (Income):
    four queries."""
    memberships = list(
        Membership.objects.filter(cooperative=cooperative)
        .select_related("household__village")
        .order_by(F("left_on").desc(nulls_first=True), "household__head_name", "pk")
    )
    income = household_income(
        household_ids={m.household_id for m in memberships}, cooperative_ids=[cooperative.pk], year=year
    )
    for membership in memberships:
        membership.income = income.get((membership.household_id, cooperative.pk, year), Income())
    return memberships


@dataclass
class Entries:
    inputs: list
    purchases: list
    sales: list
    dividends: list
    more: bool = False  # some inputs or purchases beyond `limit` were left out


def entries(*, cooperative, year: int, household=None, limit: int | None = None) -> Entries:
    """The year's ledger entries of a cooperative (of one household, when given), corrected ones
    included and marked (`correction`), the latest first: five queries. With `limit`, at most
    that many inputs and purchases (a phone's page; each household's page has all of its own)."""
    from incubator.merchants.models import SalesReport

    def of(model, day):
        queryset = model.objects.filter(cooperative=cooperative, **{f"{day}__year": year}).select_related("correction")
        return queryset.filter(household=household) if household is not None else queryset

    inputs = of(InputGiven, "given_on").select_related("household")
    purchases = of(Purchase, "bought_on").select_related("household")
    inputs, purchases = (list(q if limit is None else q[: limit + 1]) for q in (inputs, purchases))
    more = limit is not None and (len(inputs) > limit or len(purchases) > limit)
    if more:
        inputs, purchases = inputs[:limit], purchases[:limit]
    sales = []
    if household is None:
        report = SalesReport.objects.filter(shop=OuterRef("shop"), month=OuterRef("month"))
        sales = list(
            CooperativeSale.objects.filter(cooperative=cooperative, month__year=year)
            .select_related("shop", "correction")
            .annotate(
                report_sales=Subquery(report.values("sales")[:1]), report_orders=Subquery(report.values("orders")[:1])
            )
        )
    dividends = DividendDeclaration.objects.filter(cooperative=cooperative, year=year).select_related("correction")
    dividends = list(dividends)
    payments = DividendPayment.objects.filter(declaration__in=dividends).select_related("household")
    if household is not None:
        payments = payments.filter(household=household)
    by_declaration = defaultdict(list)
    for payment in payments:
        by_declaration[payment.declaration_id].append(payment)
    for declaration in dividends:
        declaration.payment_list = by_declaration[declaration.pk]
    return Entries(inputs=inputs, purchases=purchases, sales=sales, dividends=dividends, more=more)


def ledger_years(*, today: datetime.date, since: datetime.date | None) -> list[int]:
    first = since.year if since else today.year
    return list(range(today.year, min(first, today.year) - 1, -1))
