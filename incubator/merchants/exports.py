"""The rows of the dashboard's CSV files, and the office's tables of shops, sales reports,
cooperatives and certificates as exports (core.export_jobs; sales reports are built in the
background). core.exports writes them, keeping every cell from running as a formula."""

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.export_jobs import Column, Table, listing_queryset
from incubator.recruitment.selectors import PERSON_PLACE, person_village

from .models import Certificate, Cooperative, SalesReport, Shop


def table_rows(*, table: str, dashboard, cohorts, mentors) -> tuple[list, object]:
    """One table of the county dashboard, its header and rows: of the figures of a computed
    Dashboard, or of the cohort or mentor rows `cohorts()` or `mentors()` give (each called only
    for its own table)."""
    if table == "kpis":
        header = [
            _("Figure"),
            _("Value"),
            _("Target"),
            _("By"),
            _("Percent"),
            _("Expected by now"),
            _("Needed per month"),
            _("Reported, awaiting verification (yuan)"),  # the sales' only: the others have none
        ]
        rows = (
            [
                k.label,
                k.value,
                k.target,
                k.deadline,
                k.percent,
                k.expected_now,
                k.needed_per_month,
                "" if k.awaiting is None else k.awaiting,
            ]
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
            _("Verified sales (yuan)"),
            _("Reported, awaiting verification (yuan)"),
            _("Cooperatives"),
            _("Poor households linked"),
        ]
        rows = (
            [
                r.township.name,
                r.trainees,
                r.graduates,
                r.active_merchants,
                r.sales,
                r.awaiting_sales,
                r.cooperatives,
                r.poor_households,
            ]
            for r in dashboard.townships
        )
    elif table == "monthly":
        header = [
            _("Month"),
            _("Verified orders"),
            _("Verified sales (yuan)"),
            _("Orders awaiting verification"),
            _("Reported, awaiting verification (yuan)"),
        ]
        rows = ([f"{p.month:%Y-%m}", p.orders, p.sales, p.awaiting_orders, p.awaiting_sales] for p in dashboard.monthly)
    elif table == "cohorts":
        header = [_("Cohort"), _("Starts on"), _("Members"), _("Graduates"), _("Graduation rate (%)")]
        rows = ([c.name, c.starts_on, c.members, c.graduates, c.rate] for c in cohorts())
    elif table == "mentors":
        header = [_("Mentor"), _("Current trainees"), _("Capacity"), _("Load (%)")]
        rows = ([m.user.display_name, m.current, m.capacity, m.load] for m in mentors())
    else:
        raise KeyError(table)
    return header, rows


TABLES = ["kpis", "funnel", "townships", "monthly", "cohorts", "mentors"]


# --- The office's tables (core.export_jobs): a column is one line -----------------------------------


def _yes_no(value) -> str:
    return _("yes") if value else _("no")


def _owner_place(owner):
    return person_village(owner)


def _owner_stage(owner) -> str:
    profile = getattr(owner, "trainee_profile", None)
    return profile.get_stage_display() if profile else ""


def _snippet_listing(model):
    def rows(*, filters, user):
        return listing_queryset(model.snippet_viewset.index_view, filters=filters, user=user)

    return rows


OWNER = tuple(f"owner__{path}" for path in PERSON_PLACE)

SHOPS = Table(
    key="shops",
    label=gettext_lazy("Shops"),
    permission="merchants.view_shop",
    queryset=_snippet_listing(Shop),
    prepare=lambda qs: qs.select_related("owner", *OWNER).prefetch_related("products"),
    columns=[
        Column("owner", gettext_lazy("Merchant"), lambda s: s.owner.display_name),
        Column("stage", gettext_lazy("Stage"), lambda s: _owner_stage(s.owner)),
        Column("township", gettext_lazy("Township"), lambda s: getattr(_owner_place(s.owner), "township", "") or ""),
        Column("village", gettext_lazy("Village"), lambda s: _owner_place(s.owner) or ""),
        Column("name", gettext_lazy("Shop"), lambda s: s.name),
        Column("platform", gettext_lazy("Platform"), lambda s: s.get_platform_display()),
        Column("url", gettext_lazy("Address"), lambda s: s.url),
        Column("opened_on", gettext_lazy("Opened"), lambda s: s.opened_on),
        Column("products", gettext_lazy("Products"), lambda s: "、".join(p.display_name for p in s.products.all())),
        Column("products_note", gettext_lazy("Other products"), lambda s: s.products_note),
        Column("is_verified", gettext_lazy("Verified"), lambda s: _yes_no(s.is_verified)),
        Column("in_directory", gettext_lazy("In the public directory"), lambda s: _yes_no(s.in_directory)),
    ],
)

SALES_REPORTS = Table(
    key="sales_reports",
    label=gettext_lazy("Monthly sales reports"),
    permission="merchants.view_salesreport",
    background=True,  # hundreds of thousands of months at county scale
    queryset=_snippet_listing(SalesReport),
    prepare=lambda qs: qs.select_related("shop__owner", *(f"shop__{path}" for path in OWNER)),
    columns=[
        Column("month", gettext_lazy("Month"), lambda r: f"{r.month:%Y-%m}"),
        Column("merchant", gettext_lazy("Merchant"), lambda r: r.shop.owner.display_name),
        Column(
            "township", gettext_lazy("Township"), lambda r: getattr(_owner_place(r.shop.owner), "township", "") or ""
        ),
        Column("shop", gettext_lazy("Shop"), lambda r: r.shop.name),
        Column("platform", gettext_lazy("Platform"), lambda r: r.shop.get_platform_display()),
        Column("orders", gettext_lazy("Orders"), lambda r: r.orders),
        Column("sales", gettext_lazy("Sales (yuan)"), lambda r: r.sales),
        Column("products_sold", gettext_lazy("Main products sold"), lambda r: r.products_sold),
        Column("status", gettext_lazy("Status"), lambda r: r.get_status_display()),
        Column("late", gettext_lazy("Reported late"), lambda r: _("Yes") if r.is_late else _("No")),
        Column("evidence_level", gettext_lazy("Evidence"), lambda r: r.get_evidence_level_display()),
        Column("verified_at", gettext_lazy("Verified at"), lambda r: r.verified_at or ""),
        Column("updated_at", gettext_lazy("Updated"), lambda r: r.updated_at),
    ],
)

COOPERATIVES = Table(
    key="cooperatives",
    label=gettext_lazy("Cooperatives"),
    permission="merchants.view_cooperative",
    queryset=_snippet_listing(Cooperative),
    prepare=lambda qs: qs.select_related("township", "leader"),
    columns=[
        Column("name", gettext_lazy("Name"), lambda c: c.name),
        Column("township", gettext_lazy("Township"), lambda c: c.township),
        Column("leader", gettext_lazy("Leader"), lambda c: c.leader.display_name if c.leader else ""),
        # Households and what they gained are the cooperatives' register and report
        # (incubator.cooperatives, its XLSX by township), not columns of this table.
        Column("founded_on", gettext_lazy("Founded"), lambda c: c.founded_on),
    ],
)


def certificate_listing(*, filters, user=None):
    """The certificates listing's rows for its search (`q`: a code, a name or a cohort), newest
    first; `replaced`: a valid certificate of the same holder and cohort exists (a re-issue)."""
    replaced = Certificate.objects.valid().filter(holder_id=OuterRef("holder_id"), cohort_id=OuterRef("cohort_id"))
    certificates = (
        Certificate.objects.select_related("holder").annotate(replaced=Exists(replaced)).order_by("-issued_on", "-pk")
    )
    query = (filters.get("q") or "").strip()
    if query:
        certificates = certificates.filter(
            Q(code__iexact=query) | Q(holder_name__icontains=query) | Q(cohort_name__icontains=query)
        )
    return certificates


CERTIFICATES = Table(
    key="certificates",
    label=gettext_lazy("Certificates"),
    permission="merchants.view_certificate",
    queryset=certificate_listing,
    columns=[
        Column("code", gettext_lazy("Code"), lambda c: c.code),
        Column("holder_name", gettext_lazy("Name on the certificate"), lambda c: c.holder_name),
        Column("cohort_name", gettext_lazy("Cohort"), lambda c: c.cohort_name),
        Column("issued_on", gettext_lazy("Issued on"), lambda c: c.issued_on),
        Column("revoked_at", gettext_lazy("Revoked at"), lambda c: c.revoked_at or ""),
        Column("revoked_reason", gettext_lazy("Reason for revoking"), lambda c: c.revoked_reason),
    ],
)

EXPORT_TABLES = [SHOPS, SALES_REPORTS, COOPERATIVES, CERTIFICATES]
