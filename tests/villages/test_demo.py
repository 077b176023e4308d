"""The demo county tells the issue's story: 60 stations whose opening day traded ¥12.1 million
county-wide (¥2.57 million in 向家店村), villages past the Taobao-village line, a past festival
that sold 400,000 jin (and one late figure, flagged, awaiting the office), about thirty pavilion
products on paged index pages, and the chicken-seedling programme's poor households."""

from decimal import Decimal

import pytest

pytestmark = pytest.mark.django_db


def test_the_demo_county_holds_the_story(demo_county, client):
    from incubator.cooperatives.selectors.report import poverty_report
    from incubator.pavilion.models import PavilionIndexPage, PavilionProductPage
    from incubator.villages.models import CampaignDayFigure, SalesCampaign, Station
    from incubator.villages.selectors.campaigns import campaign_results
    from incubator.villages.selectors.stations import records
    from incubator.villages.selectors.taobao import taobao_progress

    assert Station.objects.count() == 60
    story = records()
    assert story.county_opening.value.quantize(Decimal("100000")) == Decimal("12100000")
    assert story.village_opening.village.name == "向家店村"
    assert story.village_opening.value.quantize(Decimal("10000")) == Decimal("2570000")
    assert len(story.villages) == 60

    assert len([row for row in taobao_progress() if row.qualifies]) >= 2

    festival = SalesCampaign.objects.get(name="秭阳脐橙电商节")
    results = campaign_results(campaign=festival)
    assert results.verified.quantity == 400_000 and results.reached
    [late] = CampaignDayFigure.objects.filter(campaign=festival, status=CampaignDayFigure.Status.FLAGGED)
    assert late.flag_reason and results.pending.quantity == late.quantity

    assert PavilionProductPage.objects.live().count() == 30
    index = client.get(PavilionIndexPage.objects.get().url)
    assert index.text.count("<picture>") == 24 and 'rel="next"' in index.text

    year = max(poverty_report(year=y).totals.poor_households and y or 0 for y in range(2024, 2028))
    assert poverty_report(year=year).totals.poor_households >= 70
