"""County-office pages in the Wagtail admin: the dashboard (with CSV exports), graduation
approval per cohort, certificates (revoke, export). Office staff only. The exports page is core's
(core/export_views.py)."""

from functools import partial
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wagtail import hooks

from core import exports as spreadsheets
from core.cache_families import COUNTY_PEOPLE
from core.office import office_required
from core.service_errors import add_service_errors
from incubator.merchants.selectors.figures import STAGES_GRADUATED
from incubator.merchants.selectors.graduation import cohort_graduation
from incubator.merchants.selectors.reports import report_page
from incubator.merchants.services import sales as sales_services
from incubator.merchants.services.graduation import approve_graduations, reissue_certificate, revoke_certificate
from incubator.merchants.services.order_exports import office_import_order_export
from incubator.recruitment.exports import TRAINEES

from . import charts, dashboard_cache, exports
from .forms import (
    DashboardFilterForm,
    EvidenceForm,
    OfficeCorrectionForm,
    OfficeEntryForm,
    OfficeOrderExportForm,
    ReasonForm,
    RevokeForm,
)
from .models import Certificate, CountyTargets, OrderExportFormat, SalesReport


def dashboard_sections(request, *, year, township, targets) -> list:
    """(order, template, context) of the sections other apps add to the dashboard, in order."""
    found = [
        fn(request, year=year, township=township, targets=targets)
        for fn in hooks.get_hooks("register_county_dashboard_section")
    ]
    return sorted((section for section in found if section), key=lambda section: section[0])


def _render(request, template, context, *, title, status=200):
    context = {"page_title": title, "header_title": title, "header_icon": "table", **context}
    return TemplateResponse(request, template, context, status=status)


def _filters(request, targets):
    years = dashboard_cache.dashboard_years(targets=targets)
    form = DashboardFilterForm(request.GET or None, years=years)
    year = township = None
    if form.is_bound and form.is_valid():
        year = form.cleaned_data["year"]
        township = form.cleaned_data["township"]
    return form, year, township


def _figures_context(data, query: str) -> dict:
    funnel_top = max([value for _key, _label, value in data.funnel] or [0]) or 1
    return {
        "data": data,
        "query": query,
        "funnel": [(key, label, value, round(value * 100 / funnel_top)) for key, label, value in data.funnel],
        "chart": charts.sales_chart(data.monthly, title=_("Monthly online sales"), chart_id="county-sales"),
    }


@office_required
def dashboard(request):
    targets = CountyTargets.load()
    form, year, township = _filters(request, targets)
    # Read from the cache only when something uses it: the figures come rendered (below), and on
    # most looks nothing else needs the figures' objects.
    data = SimpleLazyObject(lambda: dashboard_cache.county_dashboard(year=year, township=township, targets=targets))
    # The cohort and mentor tables read the people's tables alone: kept under COUNTY_PEOPLE.
    cohorts = partial(dashboard_cache.cohorts, year=year, township=township)
    mentors = partial(dashboard_cache.mentors, township=township)
    table = request.GET.get("table")
    if table:
        if table not in exports.TABLES:
            return HttpResponse(status=404)
        header, rows = exports.table_rows(table=table, dashboard=data, cohorts=cohorts, mentors=mentors)
        suffix = "-".join(str(part) for part in [year, township.code if township else None] if part)
        return spreadsheets.csv_response(filename=f"{table}-{suffix}" if suffix else table, header=header, rows=rows)
    # The CSV links keep the filters that were applied (only those: the rendered figures are kept
    # per filter).
    query = urlencode({k: v for k, v in (("year", year or ""), ("township", township.pk if township else "")) if v})
    figures_html = dashboard_cache.rendered(
        name="figures",
        year=year,
        township=township,
        extra=str(targets.pk),
        render=lambda: render_to_string("merchants/admin/dashboard_figures.html", _figures_context(data, query)),
    )
    # Rendered under COUNTY_PEOPLE too, so the miss after a sales report renders only the figures
    # that moved.
    people_html = dashboard_cache.rendered(
        name="people",
        year=year,
        township=township,
        family=COUNTY_PEOPLE,
        render=lambda: render_to_string(
            "merchants/admin/dashboard_people.html", {"query": query, "cohorts": cohorts(), "mentors": mentors()}
        ),
    )
    return _render(
        request,
        "merchants/admin/dashboard.html",
        {
            "form": form,
            "data": data,
            # The filters applied, for the exports' form.
            "filter_year": year,
            "filter_township": township,
            "figures_html": figures_html,
            "people_html": people_html,
            # The full exports take the dashboard's filters (year, township).
            "export_tables": [(t.key, t.label) for t in (exports.SALES_REPORTS, TRAINEES, exports.SHOPS)],
            # Sections of higher apps (villages, pavilion): the `register_county_dashboard_section` hook.
            "sections": dashboard_sections(request, year=year, township=township, targets=targets),
        },
        title=_("County dashboard"),
    )


@office_required
def graduation_index(request):
    from incubator.recruitment.models import Cohort

    cohorts = (
        Cohort.objects.select_related("campaign")
        .annotate(
            waiting=Count("trainees", filter=Q(trainees__stage="trainee")),
            graduated=Count("trainees", filter=Q(trainees__stage__in=STAGES_GRADUATED)),
        )
        .order_by("-starts_on", "name")
    )
    return _render(request, "merchants/admin/graduation_index.html", {"cohorts": cohorts}, title=_("Graduation"))


@office_required
def graduation_cohort(request, cohort_id):
    from incubator.recruitment.models import Cohort, TraineeProfile

    cohort = get_object_or_404(Cohort.objects.select_related("campaign"), pk=cohort_id)
    if request.method == "POST":
        ids = [int(value) for value in request.POST.getlist("profile") if value.isdigit()]
        if not ids:
            messages.error(request, _("Select at least one trainee to approve."))
        else:
            profiles = TraineeProfile.objects.filter(cohort=cohort, pk__in=ids).select_related("user", "cohort")
            result = approve_graduations(profiles=profiles, by=request.user)
            if result.approved:
                messages.success(
                    request,
                    _("%(count)s graduation(s) approved; their certificates are being generated.")
                    % {"count": len(result.approved)},
                )
            for _profile, message in result.refused:
                messages.error(request, message)
        return redirect("merchants_admin:graduation_cohort", cohort_id=cohort.pk)
    eligible, others = cohort_graduation(cohort=cohort)
    certificates = Certificate.objects.filter(cohort=cohort).select_related("holder").order_by("-issued_on", "-pk")
    return _render(
        request,
        "merchants/admin/graduation_cohort.html",
        {"cohort": cohort, "eligible": eligible, "others": others, "certificates": certificates},
        title=_("Graduation: %(cohort)s") % {"cohort": cohort.name},
    )


@office_required
def certificate_list(request):
    certificates = exports.certificate_listing(filters=request.GET)
    export_format = request.GET.get("export")
    if export_format in spreadsheets.FORMATS:
        table = exports.CERTIFICATES
        return spreadsheets.spreadsheet_response(
            format=export_format,
            filename="certificates",
            header=table.header(),
            rows=(table.row(c) for c in certificates.iterator(chunk_size=2000)),
            title=table.label,
        )
    page = Paginator(certificates, 50).get_page(request.GET.get("p"))
    query = (request.GET.get("q") or "").strip()
    return _render(
        request,
        "merchants/admin/certificates.html",
        {"page_obj": page, "q": query, "export_query": urlencode({"q": query}) if query else ""},
        title=_("Certificates"),
    )


@office_required
def certificate_revoke(request, pk):
    certificate = get_object_or_404(Certificate, pk=pk)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            revoke_certificate(certificate=certificate, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The certificate %(code)s has been revoked.") % {"code": certificate.code})
            return redirect(reverse("merchants_admin:certificates"))
    return _render(
        request,
        "merchants/admin/certificate_revoke.html",
        {"certificate": certificate, "form": form},
        title=_("Revoke certificate"),
        status=400 if form.is_bound and form.errors else 200,
    )


@office_required
@require_POST
def certificate_reissue(request, pk):
    certificate = get_object_or_404(Certificate, pk=pk)
    try:
        new = reissue_certificate(certificate=certificate, by=request.user)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("A new certificate %(code)s has been issued.") % {"code": new.code})
    return redirect(reverse("merchants_admin:certificates"))


# --- Sales reports: verify, send back, correct, enter on a merchant's behalf ------------------


REPORT_ACTIONS = ("verify", "send_back", "correct", "evidence", "order_export")


@office_required
def report_review(request, pk):
    """One report for the office: its evidence and history; verify, send back (with a reason),
    correct (with a reason), or add evidence or the order export the merchant sent by WeChat."""
    report = get_object_or_404(SalesReport.objects.select_related("shop__owner", "verified_by"), pk=pk)
    action = request.POST.get("action") if request.method == "POST" else None
    if action is not None and action not in REPORT_ACTIONS:
        return HttpResponse(status=400)
    initial = {
        "month": report.month,
        "orders": report.orders,
        "sales": report.sales,
        "products_sold": report.products_sold,
    }
    correct_form = OfficeCorrectionForm(request.POST if action == "correct" else None, initial=initial, editing=True)
    back_form = ReasonForm(request.POST if action == "send_back" else None, prefix="back")
    evidence_form = EvidenceForm(request.POST if action == "evidence" else None, request.FILES or None)
    export_form = OfficeOrderExportForm(
        request.POST if action == "order_export" else None, request.FILES or None, prefix="export"
    )
    forms_by_action = {
        "correct": correct_form,
        "send_back": back_form,
        "evidence": evidence_form,
        "order_export": export_form,
    }
    if action is not None:
        form = forms_by_action.get(action)
        if form is None or form.is_valid():
            try:
                if action == "verify":
                    sales_services.verify_report(report=report, by=request.user)
                    done = _("Verified. The month now counts in the county's figures.")
                elif action == "send_back":
                    sales_services.send_back_report(report=report, by=request.user, reason=form.cleaned_data["reason"])
                    done = _("Sent back. The merchant has been notified.")
                elif action == "correct":
                    data = form.cleaned_data
                    sales_services.office_correct_report(
                        report=report,
                        orders=data["orders"],
                        sales=data["sales"],
                        products_sold=data["products_sold"],
                        by=request.user,
                        reason=data["reason"],
                    )
                    done = _("The correction is on the record; the merchant has been notified.")
                elif action == "order_export":
                    result = office_import_order_export(
                        report=report,
                        upload=form.cleaned_data["file"],
                        by=request.user,
                        reason=form.cleaned_data["reason"],
                    )
                    done = _(
                        "%(added)s new orders read for %(month)s (%(left_out)s refunded or cancelled left out, %(known)s already imported)."
                    ) % {
                        "added": result.added,
                        "month": f"{report.month:%Y-%m}",
                        "left_out": result.left_out,
                        "known": result.already_known,
                    }
                else:
                    sales_services.add_evidence(report=report, files=form.cleaned_data["files"], by=request.user)
                    done = _("Thank you: the evidence has been added to the report.")
            except ValidationError as error:
                if form is not None:
                    add_service_errors(form, error)
                else:
                    for text in error.messages:
                        messages.error(request, text)
            else:
                messages.success(request, done)
                return redirect("merchants_admin:report", pk=report.pk)
    bound = [form for form in forms_by_action.values() if form.is_bound and form.errors]
    return _render(
        request,
        "merchants/admin/report_review.html",
        {
            "report": report,
            "correct_form": correct_form,
            "back_form": back_form,
            "evidence_form": evidence_form,
            "export_form": export_form,
            "has_export_format": OrderExportFormat.objects.filter(platform=report.shop.platform).exists(),
            **report_page(report=report),
        },
        title=_("Sales report: %(shop)s %(month)s") % {"shop": report.shop.name, "month": f"{report.month:%Y-%m}"},
        status=400 if bound else 200,
    )


@office_required
def report_enter(request):
    """The office enters a month a villager reported by phone or WeChat, with the reason (the
    shop chosen already when the office comes from the person's page: ?shop=<id>)."""
    shop = request.GET.get("shop", "")
    form = OfficeEntryForm(request.POST or None, initial={"shop": shop} if shop.isdigit() else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = sales_services.office_enter_report(
                shop=data["shop"],
                month=data["month"],
                orders=data["orders"],
                sales=data["sales"],
                products_sold=data["products_sold"],
                by=request.user,
                reason=data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The report is on the record; the merchant has been notified."))
            return redirect("merchants_admin:report", pk=report.pk)
    return _render(
        request,
        "merchants/admin/report_enter.html",
        {"form": form},
        title=_("Enter a sales report on a merchant's behalf"),
        status=400 if form.is_bound and form.errors else 200,
    )
