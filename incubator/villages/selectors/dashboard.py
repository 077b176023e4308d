"""The villages' sections of the county dashboard: Taobao villages against the target and the
product figures (chart and table), which the sales move; the stations' records and the latest
campaigns, which they do not."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from incubator.merchants import charts, periods
from incubator.villages.models import VillageTargets
from incubator.villages.selectors import campaigns, products, stations, taobao

CHART_CATEGORIES = 3


def dashboard_section(*, year=None, township=None, today=None) -> dict:
    """Everything the section shows, in a fixed number of queries whatever the data."""
    today = today or periods.today()
    targets = VillageTargets.load()
    thresholds = taobao.Thresholds.from_settings()
    first, last = taobao.period(year=year, today=today)
    progress = taobao.taobao_progress(year=year, today=today, thresholds=thresholds, township=township)
    qualifying = [row for row in progress if row.qualifies]
    categories = products.category_figures(first=first, last=last)
    category_charts = [
        (
            row,
            charts.bar_chart(
                [(f"{m.month:%Y-%m}", m.sales) for m in row.months],
                title=_("Monthly online sales: %(category)s") % {"category": row.category or _("no category")},
                value_label=_("yuan"),
                chart_id=f"category-{getattr(row.category, 'slug', 'none')}",
            ),
        )
        for row in categories[:CHART_CATEGORIES]
    ]
    totals_chart = charts.bar_chart(
        [(str(row.category or _("no category")), row.sales) for row in categories],
        title=_("Online sales per product category"),
        value_label=_("yuan"),
        chart_id="category-sales",
    )
    return {
        "first": first,
        "last": last,
        "thresholds": thresholds,
        "targets": targets,
        "progress": [row for row in progress if row.sales or row.active_shops][:20],
        # Every village's progress is on the office's Taobao-village page, with the same filters.
        "village_count": len(progress),
        "query": urlencode([(k, v) for k, v in (("year", year), ("township", getattr(township, "code", None))) if v]),
        "qualifying": qualifying,
        "target_percent": min(100, len(qualifying) * 100 // targets.taobao_villages_min)
        if targets.taobao_villages_min
        else 100,
        "categories": categories,
        "totals_chart": totals_chart,
        "category_charts": category_charts,
    }


def stations_section(*, today=None) -> dict:
    """The stations' records and the latest campaigns: the same under every filter, and no sales
    report changes them (the VILLAGE_FIGURES family: the section is rendered and kept under it)."""
    today = today or periods.today()
    return {
        "records": stations.records(),
        "campaigns": campaigns.recent_campaigns(today=today, limit=2),
        "stations_url": reverse("villages_admin:stations"),
        "campaigns_url": reverse("villages_admin:campaigns"),
    }
