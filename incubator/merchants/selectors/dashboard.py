"""The county dashboard: KPIs against the targets, the funnel, townships, sales trend, cohorts, mentors.

Only verified figures count; what awaits verification is shown beside them."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.translation import gettext as _

from wagtail import hooks

from core import choices
from core.models import Township
from incubator.merchants import periods
from incubator.merchants.models import Cooperative, CountyTargets, SalesReport, VillageMonthSales
from incubator.merchants.selectors.figures import (
    STAGES_GRADUATED,
    STAGES_INCUBATED,
    STAGES_TRAINED,
    ZERO,
    money,
)
from incubator.merchants.selectors.shops import MonthPoint


@dataclass
class Kpi:
    key: str
    label: str
    value: Decimal | int
    target: Decimal | int
    deadline: datetime.date | None
    unit: str = ""
    percent: int = 0
    expected_now: Decimal | int = 0
    needed_per_month: Decimal | int = 0
    on_track: bool = False
    # Reported but awaiting verification (pending or flagged): shown beside the value, never in it.
    awaiting: Decimal | int | None = None


@dataclass
class TownshipRow:
    township: Township
    trainees: int = 0
    graduates: int = 0
    active_merchants: int = 0
    sales: Decimal = ZERO
    awaiting_sales: Decimal = ZERO
    poor_households: int = 0
    cooperatives: int = 0


@dataclass
class Dashboard:
    year: int | None
    township: Township | None
    kpis: list[Kpi]
    funnel: list[tuple[str, str, int]]
    townships: list[TownshipRow]
    monthly: list[MonthPoint]
    totals: TownshipRow


def _pace(*, key, label, value, target, start, deadline, today, unit="") -> Kpi:
    total_months = max(periods.months_between(start, deadline) + 1, 1)
    elapsed = min(max(periods.months_between(start, today) + 1, 0), total_months)
    remaining = max(total_months - elapsed, 0)
    expected = target * elapsed / total_months if target else 0
    gap = max(target - value, 0)
    needed = gap / remaining if remaining else gap
    if isinstance(target, Decimal):
        expected = Decimal(expected).quantize(Decimal("1"))
        needed = Decimal(needed).quantize(Decimal("1"))
    else:
        expected, needed = round(expected), -(-gap // remaining) if remaining else gap
    return Kpi(
        key=key,
        label=label,
        value=value,
        target=target,
        deadline=deadline,
        unit=unit,
        percent=max(0, min(100, int(value * 100 / target))) if target else 0,
        expected_now=expected,
        needed_per_month=needed,
        on_track=value >= expected,
    )


# Public: another app's dashboard section measures its target against the pace the same way.
pace = _pace


def sales_by_township_and_month(*, since=None) -> dict:
    """(township id, month) -> (verified sales, verified orders, awaiting sales, awaiting orders),
    from `since` on, added up from the villages' monthly sums kept as reports are written
    (incubator/merchants/tallies.py: a report counts in the township of its owner's trainee
    profile village, else of the owner's own village). Only verified reports make the figures;
    the pending and flagged ones are summed apart; reports sent back are in neither."""
    tallies = VillageMonthSales.objects.all()
    if since is not None:
        tallies = tallies.filter(month__gte=since)
    return {
        (row["township_id"], row["month"]): (
            money(row["total"]),
            row["order_count"] or 0,
            money(row["awaiting_total"]),
            row["awaiting_orders"] or 0,
        )
        for row in tallies.values("month", township_id=F("village__township"))
        .annotate(
            total=Sum("verified_sales"),
            order_count=Sum("verified_orders"),
            awaiting_total=Sum("awaiting_sales"),
            awaiting_orders=Sum("awaiting_orders"),
        )
        .order_by()
    }


def person_figures():
    """The people of the programme grouped by the person's village, township and cohort year,
    with how many reached each stage of the funnel (one grouped query).

    Every stage counts the same person under the same key, so each stage is part of the one
    before it under any filter (docs/architecture.md, "The funnel"):

    - the person's village is their trainee profile's (the office keeps it; joining a cohort
      sets it from the accepted application), else the village on their account; the township
      is that village's (the same rule places their sales);
    - the person's year is their cohort's starting year; for someone not (yet) in a cohort, the
      year of their latest application (else the year their profile was made);
    - applicants: everyone with a profile (applying makes one); accepted: an accepted application,
      or a stage past applicant (the cohort took them); trainees, graduates and active merchants:
      the stage reached (a dormant merchant stays a graduate, a merchant an accepted applicant).
    """
    from incubator.recruitment.models import Application, TraineeProfile

    applications = Application.objects.filter(applicant=OuterRef("user"))
    latest_application_year = Subquery(
        applications.order_by("-submitted_at", "-pk").annotate(year=ExtractYear("submitted_at")).values("year")[:1]
    )
    return (
        TraineeProfile.objects.annotate(
            person_village=Coalesce("village", "user__village", output_field=IntegerField()),
            person_township=Coalesce("village__township", "user__village__township", output_field=IntegerField()),
            person_year=Coalesce(
                ExtractYear("cohort__starts_on"),
                latest_application_year,
                ExtractYear("created_at"),
                output_field=IntegerField(),
            ),
            was_accepted=Exists(applications.filter(status=Application.Status.ACCEPTED)),
        )
        .values("person_village", "person_township", "person_year")
        .annotate(
            applicants=Count("pk"),
            accepted=Count("pk", filter=Q(was_accepted=True) | Q(stage__in=STAGES_TRAINED)),
            trainees=Count("pk", filter=Q(stage__in=STAGES_TRAINED)),
            graduates=Count("pk", filter=Q(stage__in=STAGES_GRADUATED)),
            active=Count("pk", filter=Q(stage="merchant")),
            incubated=Count("pk", filter=Q(stage__in=STAGES_INCUBATED)),
        )
        .order_by()
    )


@dataclass
class CountyFigures:
    """The county's counts grouped finely enough that every filter of the dashboard is a sum in
    Python: four grouped queries, whatever the number of people, shops and sales reports.

    people: (village id, township id, cohort year) -> counts of applicants, accepted applicants,
    trainees, graduates, active merchants and incubated merchants (`person_figures`);
    cooperatives: township id -> (count, poor households); sales: (township id, month) ->
    (verified sales, verified orders, awaiting sales, awaiting orders), a report counted in the
    township of its owner's trainee profile village, else of the owner's own village.
    """

    townships: list
    people: dict
    cooperatives: dict
    sales: dict

    @classmethod
    def load(cls, *, sales: dict | None = None) -> "CountyFigures":
        """`sales` as `sales_by_township_and_month` returns it, when the caller has it already."""
        if sales is None:
            sales = sales_by_township_and_month()
        return cls(sales=sales, **cls.people_part())

    @staticmethod
    def people_part() -> dict:
        """The figures no sales report changes: townships, people and cooperatives (three grouped
        queries; incubator/merchants/dashboard_cache.py keeps them under COUNTY_PEOPLE)."""
        people = {(row["person_village"], row["person_township"], row["person_year"]): row for row in person_figures()}
        # The households linked are in a higher app's register: it lends the aggregate.
        lent = [fn() for fn in hooks.get_hooks("merchants_cooperative_poor_households")]
        poor = {"poor": lent[-1]} if lent else {}
        cooperatives = {
            row["township"]: (row["count"], row.get("poor") or 0)
            for row in Cooperative.objects.values("township")
            .annotate(count=Count("pk", distinct=True), **poor)
            .order_by()
        }
        return {"townships": choices.townships(), "people": people, "cooperatives": cooperatives}

    def people_rows(self, *, year=None, township=None):
        for (village_id, township_id, cohort_year), row in self.people.items():
            if year and cohort_year != year:
                continue
            if township is not None and township_id != township.pk:
                continue
            yield village_id, township_id, row

    def sales_rows(self, *, township=None, first=None, last=None):
        for (township_id, month), figures in self.sales.items():
            if township is not None and township_id != township.pk:
                continue
            if (first and month < first) or (last and month > last):
                continue
            yield township_id, month, figures

    def first_month(self):
        return min((month for _township, month in self.sales), default=None)


def county_kpis(*, targets: CountyTargets, today: datetime.date, figures: CountyFigures | None = None) -> list[Kpi]:
    """Key figures county-wide against the targets."""
    figures = figures or CountyFigures.load()
    incubated = sum(row["incubated"] for _v, _t, row in figures.people_rows())
    programme = list(
        figures.sales_rows(first=periods.month_start(targets.programme_start), last=targets.sales_deadline)
    )
    sales = money(sum((row[0] for _t, _m, row in programme), ZERO))
    awaiting_sales = money(sum((row[2] for _t, _m, row in programme), ZERO))
    merchants_by_village = defaultdict(int)
    for village_id, _township_id, row in figures.people_rows():
        if village_id is not None:
            merchants_by_village[village_id] += row["active"]
    villages = sum(1 for n in merchants_by_village.values() if n >= max(targets.ecommerce_village_min_merchants, 1))
    coverage = len(figures.townships)
    covered = sum(
        1 for count, _poor in figures.cooperatives.values() if count >= max(targets.cooperatives_per_township, 1)
    )
    start = targets.programme_start
    sales_kpi = _pace(
        key="sales",
        label=_("Online sales since the programme began"),
        value=sales,
        target=targets.sales_target,
        start=start,
        deadline=targets.sales_deadline,
        today=today,
        unit=_("yuan"),
    )
    sales_kpi.awaiting = awaiting_sales
    return [
        _pace(
            key="merchants",
            label=_("Merchants incubated"),
            value=incubated,
            target=targets.merchants_target,
            start=start,
            deadline=targets.merchants_deadline,
            today=today,
        ),
        sales_kpi,
        _pace(
            key="villages",
            label=_("E-commerce villages"),
            value=villages,
            target=targets.ecommerce_villages_target,
            start=start,
            deadline=targets.merchants_deadline,
            today=today,
        ),
        _pace(
            key="cooperatives",
            label=_("Townships with their cooperatives"),
            value=covered,
            target=coverage,
            start=start,
            deadline=targets.merchants_deadline,
            today=today,
        ),
    ]


FUNNEL_STAGES = ("applicants", "accepted", "trainees", "graduates", "active")


def funnel(
    *, year: int | None = None, township: Township | None = None, figures: CountyFigures | None = None
) -> list[tuple[str, str, int]]:
    """applicants → accepted → trainees → graduates → active merchants: people, each counted by
    their own township and cohort year at every stage (`person_figures`), so every stage is part
    of the one before it whatever the filter."""
    figures = figures or CountyFigures.load()
    people = dict.fromkeys(FUNNEL_STAGES, 0)
    for _village_id, _township_id, row in figures.people_rows(year=year, township=township):
        for name in FUNNEL_STAGES:
            people[name] += row[name]
    labels = {
        "applicants": _("Applicants"),
        "accepted": _("Accepted applicants"),
        "trainees": _("Trainees"),
        "graduates": _("Graduates"),
        "active": _("Active merchants"),
    }
    return [(name, labels[name], people[name]) for name in FUNNEL_STAGES]


def township_table(
    *, year: int | None = None, township: Township | None = None, figures: CountyFigures | None = None
) -> tuple[list[TownshipRow], TownshipRow]:
    """Per township: trainees, graduates, active merchants, sales, poor households linked."""
    figures = figures or CountyFigures.load()
    rows = {t.pk: TownshipRow(township=t) for t in figures.townships if township is None or t.pk == township.pk}
    for village_id, township_id, row in figures.people_rows(year=year, township=township):
        target = rows.get(township_id)
        if target and village_id is not None:
            target.trainees += row["trainees"]
            target.graduates += row["graduates"]
            target.active_merchants += row["active"]
    first, last = (datetime.date(year, 1, 1), datetime.date(year, 12, 31)) if year else (None, None)
    for township_id, _month, (total, _orders, awaiting, _awaiting_orders) in figures.sales_rows(
        township=township, first=first, last=last
    ):
        target = rows.get(township_id)
        if target:
            target.sales += total
            target.awaiting_sales += awaiting
    for township_id, (count, poor) in figures.cooperatives.items():
        target = rows.get(township_id)
        if target:
            target.poor_households, target.cooperatives = poor, count
    totals = TownshipRow(township=None)
    for row in rows.values():
        totals.trainees += row.trainees
        totals.graduates += row.graduates
        totals.active_merchants += row.active_merchants
        totals.sales += row.sales
        totals.awaiting_sales += row.awaiting_sales
        totals.poor_households += row.poor_households
        totals.cooperatives += row.cooperatives
    return list(rows.values()), totals


def dashboard_months(*, year: int | None, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    if year:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 1)
    # The current month is still being reported: the chart ends with the last complete one.
    last = periods.add_months(periods.month_start(today), -1)
    return periods.add_months(last, -23), last


def county_monthly_sales(
    *, year=None, township=None, today: datetime.date, figures: CountyFigures | None = None
) -> list[MonthPoint]:
    """County online sales per month: a calendar year, or the last 24 months."""
    figures = figures or CountyFigures.load()
    first, last = dashboard_months(year=year, today=today)
    totals: dict = defaultdict(lambda: [ZERO, 0, ZERO, 0])
    for _township_id, month, row in figures.sales_rows(township=township, first=first, last=last):
        for index, value in enumerate(row):  # verified sales, orders; awaiting sales, orders
            totals[month][index] += value
    points = []
    for month in periods.month_range(first, last):
        sales, orders, awaiting_sales, awaiting_orders = totals.get(month, (ZERO, 0, ZERO, 0))
        points.append(MonthPoint(month, money(sales), orders, money(awaiting_sales), awaiting_orders))
    return points


def cohort_completion(*, year=None, township=None, limit: int = 50):
    """Per cohort: members, graduates and the graduation rate (one query)."""
    from incubator.recruitment.models import Cohort

    member = Q(trainees__stage__in=STAGES_TRAINED)
    if township is not None:  # the person's township, as in `person_figures`
        member &= Q(trainees__village__township=township) | Q(
            trainees__village__isnull=True, trainees__user__village__township=township
        )
    cohorts = Cohort.objects.annotate(
        members=Count("trainees", filter=member),
        graduates=Count("trainees", filter=member & Q(trainees__stage__in=STAGES_GRADUATED)),
    ).order_by("-starts_on", "name")
    if year:
        cohorts = cohorts.filter(starts_on__year=year)
    rows = list(cohorts[:limit])
    for cohort in rows:
        cohort.rate = round(cohort.graduates * 100 / cohort.members) if cohort.members else 0
    return rows


def mentor_load(*, township=None):
    """Active mentors with their current trainees against their capacity (one query)."""
    from mentors.models import MentorProfile

    mentors = (
        MentorProfile.objects.active()
        .select_related("user")
        # Of the mentor, what the table and its CSV show (the figures are kept in the cache).
        .only("capacity", "is_active", *(f"user__{name}" for name in ("real_name", "last_name", "email", "phone")))
        .annotate(
            current=Count(
                "user__mentee_assignments", filter=Q(user__mentee_assignments__ended_at__isnull=True), distinct=True
            )
        )
        .order_by("-current", "user__real_name", "pk")
    )
    if township is not None:
        mentors = mentors.filter(townships=township)
    rows = list(mentors)
    for mentor in rows:
        mentor.load = round(mentor.current * 100 / mentor.capacity) if mentor.capacity else 0
    return rows


def county_dashboard(
    *,
    year: int | None = None,
    township: Township | None = None,
    today=None,
    targets: CountyTargets | None = None,
    figures: CountyFigures | None = None,
) -> Dashboard:
    """The county dashboard's figures (KPIs, funnel, townships, sales trend), in a fixed number of
    queries; `figures` when the caller has them already. The cohort and mentor tables
    (`cohort_completion`, `mentor_load`) read the people's tables alone and are kept apart
    (merchants.dashboard_cache.cohorts, .mentors)."""
    today = today or periods.today()
    targets = targets or CountyTargets.load()
    figures = figures or CountyFigures.load()
    townships, totals = township_table(year=year, township=township, figures=figures)
    return Dashboard(
        year=year,
        township=township,
        kpis=county_kpis(targets=targets, today=today, figures=figures),
        funnel=funnel(year=year, township=township, figures=figures),
        townships=townships,
        totals=totals,
        monthly=county_monthly_sales(year=year, township=township, today=today, figures=figures),
    )


def first_reported_month() -> datetime.date | None:
    return SalesReport.objects.order_by("month").values_list("month", flat=True).first()


def dashboard_years(*, targets: CountyTargets, today: datetime.date, first: datetime.date | None) -> list[int]:
    """Years the filter offers: from the first reported month (`first_reported_month`, None before
    any) or the programme's start, whichever is earlier, to this year."""
    start = min(first.year if first else today.year, targets.programme_start.year)
    return list(range(today.year, start - 1, -1))
