"""The county office's pages in the Wagtail admin: the poverty-alleviation report (with its XLSX
in the county's report layout), what each household gained, and the household import."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import exports as spreadsheets
from core.office import office_required
from incubator.merchants import periods
from incubator.merchants.models import CountyTargets

from . import exports, imports, report_cache
from .forms import HouseholdImportForm, ReportFilterForm
from .models import Household, Membership
from .selectors.ledger import Income, household_income

IMPORT_SESSION_KEY = "cooperatives-household-import"
FIRST_YEAR = 2016  # the county's registered poor households go back to the 2014-2016 identification


def _render(request, template, context, *, title, status=200):
    context = {"page_title": title, "header_title": title, "header_icon": "group", **context}
    return TemplateResponse(request, template, context, status=status)


def _filters(request):
    today = periods.today()
    years = list(range(today.year, FIRST_YEAR - 1, -1))
    form = ReportFilterForm(request.GET or None, years=years)
    year, township, poor_only = today.year, None, False
    if form.is_bound and form.is_valid():
        year, township = form.cleaned_data["year"], form.cleaned_data["township"]
        poor_only = form.cleaned_data["poor_only"]
    return form, year, township, poor_only


@office_required(permission="cooperatives.view_household")
def report(request):
    """Households linked, registered poor households linked and the income paid to them, by
    cooperative and township for a year; ?export=xlsx is the county's report layout."""
    form, year, township, _poor_only = _filters(request)
    targets = CountyTargets.load()
    data = report_cache.poverty_report(year=year, township=township, targets=targets)
    if request.GET.get("export") == spreadsheets.XLSX:
        suffix = f"-{township.code}" if township else ""
        return spreadsheets.xlsx_workbook_response(
            filename=f"{_('poverty-alleviation')}-{year}{suffix}", sheets=exports.report_sheets(data)
        )
    query = request.GET.copy()
    query.pop("export", None)
    return _render(
        request,
        "cooperatives/admin/report.html",
        {"form": form, "report": data, "query": query.urlencode(), "targets": targets},
        title=_("Poverty alleviation"),
    )


@office_required(permission="cooperatives.view_household")
def household_income_list(request):
    """Each household's income from each cooperative in a year (purchases + dividends) and the
    inputs it received: a page of 50 households in a fixed number of queries."""
    form, year, township, poor_only = _filters(request)
    households = Household.objects.select_related("village__township").filter(memberships__isnull=False).distinct()
    if township is not None:
        households = households.filter(village__township=township)
    if poor_only:
        households = households.filter(is_registered_poor=True)
    query = (request.GET.get("q") or "").strip()
    if query:
        households = households.filter(Q(head_name__icontains=query) | Q(village__name__icontains=query))
    page = Paginator(households.order_by("village__township__code", "village__code", "head_name", "pk"), 50)
    page_obj = page.get_page(request.GET.get("p"))
    ids = [h.pk for h in page_obj]
    memberships = list(
        Membership.objects.filter(household__in=ids).select_related("cooperative").order_by("cooperative__name")
    )
    income = household_income(household_ids=ids, year=year)
    by_household = {}
    for membership in memberships:
        rows = by_household.setdefault(membership.household_id, {})
        rows.setdefault(
            membership.cooperative_id,
            (membership.cooperative, income.get((membership.household_id, membership.cooperative_id, year), Income())),
        )
    for household in page_obj:
        household.rows = list(by_household.get(household.pk, {}).values())
        household.total = sum((row[1].income for row in household.rows), Income().income)
    params = request.GET.copy()
    params.pop("p", None)
    return _render(
        request,
        "cooperatives/admin/household_income.html",
        {"form": form, "page_obj": page_obj, "year": year, "q": query, "query": params.urlencode()},
        title=_("Household income"),
    )


@office_required(permission="cooperatives.add_household")
def import_households(request):
    """Upload, dry run with each row's result, then the all-or-nothing import of the same rows."""
    from incubator.merchants.models import Cooperative

    form = HouseholdImportForm()
    result = None
    pending = request.session.get(IMPORT_SESSION_KEY)
    if request.method == "POST" and request.POST.get("step") == "import" and pending:
        cooperative = Cooperative.objects.filter(pk=pending["cooperative"]).first() if pending["cooperative"] else None
        joined_on = datetime.date.fromisoformat(pending["joined_on"]) if pending["joined_on"] else None
        result = imports.run_household_import(
            rows=pending["rows"], by=request.user, dry_run=False, cooperative=cooperative, joined_on=joined_on
        )
        if result.written:
            del request.session[IMPORT_SESSION_KEY]
            messages.success(
                request,
                ngettext("%(n)d household imported.", "%(n)d households imported.", result.valid) % {"n": result.valid},
            )
            return redirect(reverse("cooperatives_admin:household_income"))
        messages.error(request, _("Nothing was imported: some rows have errors."))
    elif request.method == "POST":
        form = HouseholdImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                rows = imports.read_household_sheet(form.cleaned_data["sheet"])
            except ValidationError as exc:
                form.add_error("sheet", exc)
            else:
                cooperative, joined_on = form.cleaned_data["cooperative"], form.cleaned_data["joined_on"]
                result = imports.run_household_import(
                    rows=rows, by=request.user, dry_run=True, cooperative=cooperative, joined_on=joined_on
                )
                # The rows kept for the import step hold masked ID-card numbers only.
                request.session[IMPORT_SESSION_KEY] = {
                    "rows": rows,
                    "cooperative": cooperative.pk if cooperative else None,
                    "joined_on": joined_on.isoformat() if joined_on else None,
                }
                pending = request.session[IMPORT_SESSION_KEY]
    return _render(
        request,
        "cooperatives/admin/import.html",
        {"form": form, "report": result, "pending": pending if result else None},
        title=_("Import households"),
        status=400 if form.is_bound and form.errors else 200,
    )
