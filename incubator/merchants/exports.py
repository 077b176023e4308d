"""The rows of the dashboard's CSV files: each table on demand, and the heavy full exports
(built by a Celery task). core.exports writes them, keeping every cell from running as a formula."""

from django.utils.translation import gettext as _

from core.exports import csv_bytes

from .models import DashboardExport, SalesReport, Shop


def table_rows(*, table: str, dashboard) -> tuple[list, object]:
    """One table of a computed Dashboard: its header and rows."""
    if table == "kpis":
        header = [
            _("Figure"),
            _("Value"),
            _("Target"),
            _("By"),
            _("Percent"),
            _("Expected by now"),
            _("Needed per month"),
        ]
        rows = (
            [k.label, k.value, k.target, k.deadline, k.percent, k.expected_now, k.needed_per_month]
            for k in dashboard.kpis
        )
    elif table == "funnel":
        header = [_("Step"), _("People")]
        rows = ([label, value] for _key, label, value in dashboard.funnel)
    elif table == "townships":
        header = [
            _("Township"),
            _("Trainees"),
            _("Graduates"),
            _("Active merchants"),
            _("Sales (yuan)"),
            _("Cooperatives"),
            _("Poor households linked"),
        ]
        rows = (
            [r.township.name, r.trainees, r.graduates, r.active_merchants, r.sales, r.cooperatives, r.poor_households]
            for r in dashboard.townships
        )
    elif table == "monthly":
        header = [_("Month"), _("Orders"), _("Sales (yuan)")]
        rows = ([f"{p.month:%Y-%m}", p.orders, p.sales] for p in dashboard.monthly)
    elif table == "cohorts":
        header = [_("Cohort"), _("Starts on"), _("Members"), _("Graduates"), _("Graduation rate (%)")]
        rows = ([c.name, c.starts_on, c.members, c.graduates, c.rate] for c in dashboard.cohorts)
    elif table == "mentors":
        header = [_("Mentor"), _("Current trainees"), _("Capacity"), _("Load (%)")]
        rows = ([m.user.display_name, m.current, m.capacity, m.load] for m in dashboard.mentors)
    else:
        raise KeyError(table)
    return header, rows


TABLES = ["kpis", "funnel", "townships", "monthly", "cohorts", "mentors"]


def build_csv(*, kind: str, filters: dict) -> tuple[bytes, int]:
    """A full export, row by row from the database (iterator: memory stays flat)."""
    year = filters.get("year")
    township = filters.get("township")
    if kind == DashboardExport.Kind.SALES_REPORTS:
        reports = SalesReport.objects.select_related("shop", "shop__owner").order_by("month", "shop_id")
        if year:
            reports = reports.filter(month__year=year)
        if township:
            reports = reports.filter(shop__owner__trainee_profile__village__township_id=township)
        header = [
            _("Month"),
            _("Merchant"),
            _("Shop"),
            _("Platform"),
            _("Orders"),
            _("Sales (yuan)"),
            _("Main products sold"),
        ]
        rows = (
            [
                f"{r.month:%Y-%m}",
                r.shop.owner.display_name,
                r.shop.name,
                r.shop.get_platform_display(),
                r.orders,
                r.sales,
                r.products_sold,
            ]
            for r in reports.iterator(chunk_size=2000)
        )
        return csv_bytes(header=header, rows=rows)
    if kind == DashboardExport.Kind.MERCHANTS:
        shops = Shop.objects.select_related("owner", "owner__trainee_profile__village__township").order_by(
            "owner_id", "pk"
        )
        if township:
            shops = shops.filter(owner__trainee_profile__village__township_id=township)
        header = [
            _("Merchant"),
            _("Stage"),
            _("Township"),
            _("Shop"),
            _("Platform"),
            _("Address"),
            _("Opened"),
            _("Verified"),
        ]

        def rows():
            for shop in shops.iterator(chunk_size=2000):
                profile = getattr(shop.owner, "trainee_profile", None)
                village = profile.village if profile else None
                yield [
                    shop.owner.display_name,
                    profile.get_stage_display() if profile else "",
                    village.township.name if village else "",
                    shop.name,
                    shop.get_platform_display(),
                    shop.url,
                    shop.opened_on,
                    _("yes") if shop.is_verified else _("no"),
                ]

        return csv_bytes(header=header, rows=rows())
    raise KeyError(kind)
