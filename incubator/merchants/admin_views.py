"""County-office pages in the Wagtail admin: the dashboard (with CSV exports), graduation
approval per cohort, certificates (revoke, export). Office staff only. The exports page is core's
(core/export_views.py)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from wagtail import hooks

from core import exports as spreadsheets
from core.office import office_required
from core.service_errors import add_service_errors
from incubator.merchants.selectors.figures import STAGES_GRADUATED
from incubator.merchants.selectors.graduation import cohort_graduation
from incubator.merchants.services.graduation import approve_graduations, revoke_certificate
from incubator.recruitment.exports import TRAINEES

from . import charts, dashboard_cache, exports
from .forms import DashboardFilterForm, RevokeForm
from .models import Certificate, CountyTargets


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
