"""The village partner's station log, and a merchant's figures for a sales campaign (/me/)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.service_errors import add_service_errors
from incubator.merchants import periods
from incubator.merchants.models import Shop
from incubator.villages.selectors.stations import station_days
from incubator.villages.services.campaigns import submit_campaign_figure
from incubator.villages.services.stations import record_station_day

from .forms import CampaignFigureForm, StationDayForm, initial_for
from .models import CampaignDayFigure, SalesCampaign, Station, StationDay


@login_required
def my_station(request):
    stations = list(Station.objects.filter(partner=request.user).select_related("village__township", "shop"))
    today = periods.today()
    recent = {s.pk: station_days(station=s, first=today - datetime.timedelta(days=6)) for s in stations[:3]}
    return render(
        request,
        "villages/my_station.html",
        {"stations": [(s, recent.get(s.pk, [])) for s in stations], "today": today},
    )


@login_required
def station_log(request, pk):
    # Only the station's own partner: anyone else's station is a 404.
    station = get_object_or_404(Station.objects.select_related("village__township"), pk=pk, partner=request.user)
    today = periods.today()
    day = today
    if request.method == "GET" and request.GET.get("day"):
        try:
            day = min(datetime.date.fromisoformat(request.GET["day"]), today)
        except ValueError:
            day = today
    log = StationDay.objects.filter(station=station, day=day).prefetch_related("purchases").first()
    form = StationDayForm(request.POST or None, initial={"day": day, **initial_for(log)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record_station_day(
                station=station,
                user=request.user,
                day=data["day"],
                villagers_served=data["villagers_served"],
                sell_orders=data["sell_orders"],
                sell_value=data["sell_value"],
                sell_products=data["sell_products"],
                purchases=form.purchases(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The day is saved."))
            return redirect("villages:my_station")
    return render(request, "villages/station_log.html", {"station": station, "form": form, "log": log})


@login_required
def my_campaigns(request):
    campaigns = (
        SalesCampaign.objects.filter(shops__owner=request.user)
        .distinct()
        .select_related("product")
        .order_by("-starts_on")
    )
    return render(request, "villages/my_campaigns.html", {"campaigns": list(campaigns[:20])})


@login_required
def campaign_figures(request, pk):
    shops = Shop.objects.filter(owner=request.user, sales_campaigns=pk)
    # Only a campaign one of the person's shops takes part in.
    campaign = get_object_or_404(SalesCampaign.objects.filter(shops__owner=request.user).distinct(), pk=pk)
    form = CampaignFigureForm(request.POST or None, shops=shops)
    if request.method == "POST" and form.is_valid():
        try:
            figure = submit_campaign_figure(campaign=campaign, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your figure is saved: it counts once the office has verified it."))
            if figure.flag_reason:
                messages.warning(
                    request,
                    _("It is flagged (%(reason)s): the office verifies it only on evidence, so keep the order export.")
                    % {"reason": figure.flag_reason},
                )
            return redirect("villages:campaign_figures", campaign.pk)
    figures = CampaignDayFigure.objects.filter(campaign=campaign, shop__owner=request.user).select_related("shop")
    return render(
        request, "villages/campaign_figures.html", {"campaign": campaign, "form": form, "figures": list(figures)}
    )
