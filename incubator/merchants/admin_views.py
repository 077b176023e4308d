"""County-office pages in the Wagtail admin: the dashboard (with CSV exports), graduation
approval per cohort, certificates (revoke), and the heavy exports. Office staff only."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wagtail import hooks

from core import exports as spreadsheets
from core.office import office_required
from core.service_errors import add_service_errors
from incubator.merchants.selectors.figures import STAGES_GRADUATED
from incubator.merchants.selectors.graduation import cohort_graduation
from incubator.merchants.services.dashboard_exports import request_export
from incubator.merchants.services.graduation import approve_graduations, revoke_certificate

from . import charts, dashboard_cache, exports
from .forms import DashboardFilterForm, RevokeForm
from .models import Certificate, CountyTargets, DashboardExport


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
            "sections": [
                section
                for fn in hooks.get_hooks("merchants_dashboard_sections")
                if (section := fn(request, year=year, township=township, targets=targets)) is not None
            ],
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
    certificates = Certificate.objects.select_related("holder").order_by("-issued_on", "-pk")
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
