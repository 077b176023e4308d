"""County-office pages in the Wagtail admin: the dashboard (with CSV exports), graduation
approval per cohort, certificates (revoke), and the heavy exports. Office staff only."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import exports as spreadsheets
from core.office import office_required
from core.service_errors import add_service_errors
from incubator.merchants.selectors.figures import STAGES_GRADUATED
from incubator.merchants.selectors.graduation import cohort_graduation
from incubator.merchants.selectors.reports import report_page
from incubator.merchants.services import sales as sales_services
from incubator.merchants.services.dashboard_exports import request_export
from incubator.merchants.services.graduation import approve_graduations, reissue_certificate, revoke_certificate

from . import charts, dashboard_cache, exports
from .forms import DashboardFilterForm, EvidenceForm, OfficeCorrectionForm, OfficeEntryForm, ReasonForm, RevokeForm
from .models import Certificate, CountyTargets, DashboardExport, SalesReport


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


@office_required
def dashboard(request):
    targets = CountyTargets.load()
    form, year, township = _filters(request, targets)
    data = dashboard_cache.county_dashboard(year=year, township=township, targets=targets)
    table = request.GET.get("table")
    if table:
        if table not in exports.TABLES:
            return HttpResponse(status=404)
        header, rows = exports.table_rows(table=table, dashboard=data)
        suffix = "-".join(str(part) for part in [year, township.code if township else None] if part)
        return spreadsheets.csv_response(filename=f"{table}-{suffix}" if suffix else table, header=header, rows=rows)
    query = request.GET.copy()
    query.pop("table", None)
    funnel_top = max([value for _key, _label, value in data.funnel] or [0]) or 1
    return _render(
        request,
        "merchants/admin/dashboard.html",
        {
            "form": form,
            "data": data,
            "query": query.urlencode(),
            "funnel": [(key, label, value, round(value * 100 / funnel_top)) for key, label, value in data.funnel],
            "chart": charts.sales_chart(data.monthly, title=_("Monthly online sales"), chart_id="county-sales"),
            "export_kinds": DashboardExport.Kind.choices,
        },
        title=_("County dashboard"),
    )


@office_required
def export_list(request):
    exports_qs = DashboardExport.objects.filter(requested_by=request.user).order_by("-created_at")[:30]
    return _render(
        request,
        "merchants/admin/exports.html",
        {"exports": exports_qs, "kinds": DashboardExport.Kind.choices},
        title=_("Exports"),
    )


@office_required
@require_POST
def export_request(request):
    kind = request.POST.get("kind")
    if kind not in DashboardExport.Kind.values:
        messages.error(request, _("Choose what to export."))
        return redirect("merchants_admin:exports")
    filters = {}
    if (request.POST.get("year") or "").isdigit():
        filters["year"] = int(request.POST["year"])
    if (request.POST.get("township") or "").isdigit():
        filters["township"] = int(request.POST["township"])
    request_export(kind=kind, by=request.user, filters=filters)
    messages.success(
        request, _("The export is being prepared. It will be listed here, ready to download, in a moment.")
    )
    return redirect("merchants_admin:exports")


@office_required
def export_download(request, pk):
    export = get_object_or_404(DashboardExport, pk=pk, requested_by=request.user, status=DashboardExport.Status.READY)
    return spreadsheets.file_response(handle=export.file.open("rb"), filename=f"{export.kind}-{export.pk}.csv")


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
    replaced = Certificate.objects.valid().filter(holder_id=OuterRef("holder_id"), cohort_id=OuterRef("cohort_id"))
    certificates = (
        Certificate.objects.select_related("holder").annotate(replaced=Exists(replaced)).order_by("-issued_on", "-pk")
    )
    query = (request.GET.get("q") or "").strip()
    if query:
        certificates = certificates.filter(
            Q(code__iexact=query) | Q(holder_name__icontains=query) | Q(cohort_name__icontains=query)
        )
    page = Paginator(certificates, 50).get_page(request.GET.get("p"))
    return _render(
        request, "merchants/admin/certificates.html", {"page_obj": page, "q": query}, title=_("Certificates")
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


REPORT_ACTIONS = ("verify", "send_back", "correct", "evidence")


@office_required
def report_review(request, pk):
    """One report for the office: its evidence and history; verify, send back (with a reason),
    correct (with a reason) or add evidence the merchant sent by WeChat."""
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
    forms_by_action = {"correct": correct_form, "send_back": back_form, "evidence": evidence_form}
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
            **report_page(report=report),
        },
        title=_("Sales report: %(shop)s %(month)s") % {"shop": report.shop.name, "month": f"{report.month:%Y-%m}"},
        status=400 if bound else 200,
    )


@office_required
def report_enter(request):
    """The office enters a month a villager reported by phone or WeChat, with the reason."""
    form = OfficeEntryForm(request.POST or None)
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
