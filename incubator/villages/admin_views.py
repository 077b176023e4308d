"""The office's pages for the villages (Wagtail admin, office only): the stations' league table,
records and silent stations; a station's days; a campaign's results and the figures awaiting
verification."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.office import office_required
from incubator.merchants import periods
from incubator.villages.selectors import campaigns as campaign_selectors
from incubator.villages.selectors import stations as station_selectors
from incubator.villages.selectors import taobao as taobao_selectors
from incubator.villages.services.campaigns import (
    send_back_campaign_figure,
    verify_campaign_figures,
    verify_flagged_campaign_figure,
)

from .forms import PeriodForm, SendBackForm
from .models import CampaignDayFigure, SalesCampaign, Station


def _render(request, template, context, *, title):
    context = {"page_title": title, "header_title": title, "header_icon": "home", **context}
    return TemplateResponse(request, template, context)


@office_required
def station_overview(request):
    today = periods.today()
    form = PeriodForm(request.GET or None)
    first, last = form.period(today=today)
    rows = station_selectors.station_table(first=first, last=last, today=today)
    return _render(
        request,
        "villages/admin/stations.html",
        {
            "form": form,
            "first": first,
            "last": last,
            "rows": rows,
            "silent": [row for row in rows if row.is_silent],
            "silent_after": station_selectors.SILENT_AFTER_DAYS,
            "records": station_selectors.records(),
        },
        title=_("Village service stations"),
    )


@office_required
def station_detail(request, pk):
    station = get_object_or_404(Station.objects.select_related("village__township", "partner", "shop"), pk=pk)
    today = periods.today()
    form = PeriodForm(request.GET or None)
    first, last = form.period(today=today)
    return _render(
        request,
        "villages/admin/station.html",
        {
            "station": station,
            "form": form,
            "days": station_selectors.station_days(station=station, first=first, last=last),
        },
        title=str(station),
    )


@office_required
def taobao_villages(request):
    """Every village's progress against both Taobao-village lines (the dashboard shows the
    closest 20), for a year or the last twelve complete months, county-wide or one township."""
    from incubator.merchants import dashboard_cache
    from incubator.merchants.forms import DashboardFilterForm
    from incubator.merchants.models import CountyTargets
    from incubator.villages.models import VillageTargets

    today = periods.today()
    form = DashboardFilterForm(request.GET or None, years=dashboard_cache.dashboard_years(targets=CountyTargets.load()))
    year = township = None
    if form.is_bound and form.is_valid():
        year, township = form.cleaned_data["year"], form.cleaned_data["township"]
    thresholds = taobao_selectors.Thresholds.from_settings()
    first, last = taobao_selectors.period(year=year, today=today)
    rows = taobao_selectors.taobao_progress(year=year, today=today, thresholds=thresholds, township=township)
    return _render(
        request,
        "villages/admin/taobao.html",
        {
            "form": form,
            "rows": rows,
            "qualifying": sum(1 for row in rows if row.qualifies),
            "targets": VillageTargets.load(),
            "thresholds": thresholds,
            "first": first,
            "last": last,
        },
        title=_("Taobao villages"),
    )


@office_required
def campaign_list(request):
    campaigns = list(SalesCampaign.objects.select_related("product").order_by("-starts_on")[:50])
    pending = campaign_selectors.pending_counts()
    return _render(
        request,
        "villages/admin/campaigns.html",
        {"campaigns": [(c, pending.get(c.pk, 0)) for c in campaigns]},
        title=_("Sales campaigns"),
    )


@office_required
def campaign_detail(request, pk):
    campaign = get_object_or_404(SalesCampaign.objects.select_related("product"), pk=pk)
    awaiting = list(campaign_selectors.awaiting(campaign=campaign)[:200])
    return _render(
        request,
        "villages/admin/campaign.html",
        {
            "results": campaign_selectors.campaign_results(campaign=campaign),
            "awaiting": awaiting,
            "ordinary": [figure for figure in awaiting if figure.status != CampaignDayFigure.Status.FLAGGED],
            "flagged": [figure for figure in awaiting if figure.status == CampaignDayFigure.Status.FLAGGED],
            "send_back_form": SendBackForm(),
        },
        title=campaign.name,
    )


@office_required
@require_POST
def campaign_verify(request, pk):
    campaign = get_object_or_404(SalesCampaign, pk=pk)
    ids = [int(value) for value in request.POST.getlist("figure") if value.isdigit()]
    figures = CampaignDayFigure.objects.filter(campaign=campaign, pk__in=ids)
    count = verify_campaign_figures(figures=list(figures), by=request.user)
    messages.success(request, ngettext("%(n)s figure verified.", "%(n)s figures verified.", count) % {"n": count})
    return redirect("villages_admin:campaign", campaign.pk)


@office_required
@require_POST
def figure_verify(request, pk):
    """A flagged figure, verified on its own with the evidence the office checked."""
    figure = get_object_or_404(CampaignDayFigure, pk=pk)
    try:
        verify_flagged_campaign_figure(figure=figure, by=request.user, evidence_note=request.POST.get("evidence_note"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The flagged figure is verified."))
    return redirect("villages_admin:campaign", figure.campaign_id)


@office_required
@require_POST
def figure_send_back(request, pk):
    figure = get_object_or_404(CampaignDayFigure, pk=pk)
    form = SendBackForm(request.POST)
    try:
        send_back_campaign_figure(figure=figure, by=request.user, reason=form.data.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The figure was sent back to its merchant."))
    return redirect("villages_admin:campaign", figure.campaign_id)
