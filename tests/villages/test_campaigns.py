"""A sales campaign's daily figures per shop: submitted by the shop's owner within the
campaign's days, verified or sent back by the office; results against the target by hand."""

import datetime
from decimal import Decimal

import pytest

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.models import Notification
from incubator.villages.models import CampaignDayFigure, SalesCampaign
from incubator.villages.selectors.campaigns import campaign_results
from incubator.villages.services import campaigns as services
from tests.factories import OfficeFactory
from tests.merchants.factories import ShopFactory

pytestmark = pytest.mark.django_db

DAY1, DAY2 = datetime.date(2025, 11, 11), datetime.date(2025, 11, 12)
TODAY = datetime.date(2025, 11, 20)


@pytest.fixture
def festival():
    campaign = SalesCampaign.objects.create(
        name="脐橙节", starts_on=DAY1, ends_on=DAY2, target_quantity=400_000, target_sales=Decimal("2000000")
    )
    shops = [ShopFactory(), ShopFactory()]
    campaign.shops.set(shops)
    return campaign, shops


def submit(campaign, shop, day, quantity, sales, **kwargs):
    return services.submit_campaign_figure(
        campaign=campaign, shop=shop, day=day, orders=quantity // 10, quantity=quantity, sales=Decimal(sales),
        by=kwargs.pop("by", shop.owner), today=TODAY, **kwargs,
    )  # fmt: skip


def test_results_count_verified_figures_only(festival):
    campaign, (a, b) = festival
    office = OfficeFactory()
    figures = [
        submit(campaign, a, DAY1, 150_000, "750000"),
        submit(campaign, a, DAY2, 120_000, "600000"),
        submit(campaign, b, DAY1, 90_000, "450000"),
    ]
    late = submit(campaign, b, DAY2, 40_000, "200000")
    assert services.verify_campaign_figures(figures=figures, by=office) == 3
    results = campaign_results(campaign=campaign)
    assert (results.verified.quantity, results.verified.sales) == (360_000, Decimal("1800000.00"))
    assert (results.pending.quantity, results.pending.sales) == (40_000, Decimal("200000.00"))
    assert (results.quantity_percent, results.sales_percent, results.reached) == (90, 90, False)
    assert [(day, v.quantity, p.quantity) for day, v, p in results.days] == [
        (DAY1, 240_000, 0),
        (DAY2, 120_000, 40_000),
    ]
    services.verify_campaign_figures(figures=[late], by=office)
    results = campaign_results(campaign=campaign)
    assert (results.verified.quantity, results.quantity_percent, results.reached) == (400_000, 100, True)
    assert results.shops_reporting == 2


def test_rules_of_a_figure(festival):
    campaign, (a, _b) = festival
    with pytest.raises(ValidationError) as error:
        submit(campaign, ShopFactory(), DAY1, 10, "1")
    assert error.value.message_dict["shop"] == [str(services.ERROR_NOT_PARTICIPATING)]
    with pytest.raises(ValidationError) as error:
        submit(campaign, a, DAY2 + datetime.timedelta(days=1), 10, "1")
    assert error.value.message_dict["day"] == [str(services.ERROR_OUTSIDE_CAMPAIGN)]
    with pytest.raises(ValidationError):
        submit(campaign, a, DAY1, 10, "-1")
    with pytest.raises(PermissionDenied):
        submit(campaign, a, DAY1, 10, "1", by=ShopFactory().owner)
    figure = submit(campaign, a, DAY1, 10, "1")
    services.verify_campaign_figures(figures=[figure], by=OfficeFactory())
    with pytest.raises(ValidationError):
        submit(campaign, a, DAY1, 20, "2")  # verified: locked


def test_sent_back_with_a_reason_notifies_and_can_be_resubmitted(festival):
    campaign, (a, _b) = festival
    figure = submit(campaign, a, DAY1, 10, "50")
    with pytest.raises(ValidationError):
        services.send_back_campaign_figure(figure=figure, by=OfficeFactory(), reason=" ")
    services.send_back_campaign_figure(figure=figure, by=OfficeFactory(), reason="请附上订单截图")
    figure.refresh_from_db()
    assert figure.status == CampaignDayFigure.Status.SENT_BACK
    assert Notification.objects.filter(recipient=a.owner, kind="campaign_figure_sent_back").exists()
    assert campaign_results(campaign=campaign).pending.quantity == 0
    again = submit(campaign, a, DAY1, 12, "60")
    assert again.pk == figure.pk and again.status == CampaignDayFigure.Status.SUBMITTED


def test_the_merchant_page_and_the_office_review(client, festival, django_assert_max_num_queries):
    campaign, (a, b) = festival
    client.force_login(a.owner)
    url = reverse("villages:campaign_figures", args=[campaign.pk])
    response = client.post(url, {"shop": a.pk, "day": DAY1.isoformat(), "orders": 5, "quantity": 50, "sales": "260"})
    assert response.status_code == 302
    response = client.post(url, {"shop": b.pk, "day": DAY1.isoformat(), "orders": 5, "quantity": 50, "sales": "260"})
    assert response.status_code == 200  # not their shop: refused by the form, nothing saved
    assert CampaignDayFigure.objects.count() == 1
    client.force_login(ShopFactory().owner)
    assert client.get(url).status_code == 404
    office = OfficeFactory()
    client.force_login(office)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("villages_admin:campaign", args=[campaign.pk])).status_code == 200
    figure = CampaignDayFigure.objects.get()
    client.post(reverse("villages_admin:campaign_verify", args=[campaign.pk]), {"figure": [figure.pk]})
    figure.refresh_from_db()
    assert figure.status == CampaignDayFigure.Status.VERIFIED and figure.reviewed_by == office


def test_a_day_far_above_the_shops_usual_month_is_flagged_and_verified_only_on_evidence(festival, settings):
    """The monthly reports' rules: a day above 5 times the median of the shop's months is flagged;
    the office's bulk verification leaves it; it is verified on its own with the evidence checked."""
    from django.db import IntegrityError, transaction

    from tests.merchants.factories import SalesReportFactory

    campaign, (a, b) = festival
    for month in (6, 7, 8):
        SalesReportFactory(shop=a, month=datetime.date(2025, month, 1), sales=Decimal("1000.00"))
    office = OfficeFactory()
    usual = submit(campaign, a, DAY1, 100, "5000")  # 5 times the median: not above it
    flagged = submit(campaign, a, DAY2, 100, "5000.01")
    assert usual.status == CampaignDayFigure.Status.SUBMITTED and usual.flag_reason == ""
    assert flagged.status == CampaignDayFigure.Status.FLAGGED and "1000.00" in flagged.flag_reason
    assert campaign_results(campaign=campaign).pending.sales == Decimal("10000.01")  # both await
    assert services.verify_campaign_figures(figures=[usual, flagged], by=office) == 1
    flagged.refresh_from_db()
    assert flagged.status == CampaignDayFigure.Status.FLAGGED
    with pytest.raises(ValidationError) as error:
        services.verify_flagged_campaign_figure(figure=flagged, by=office, evidence_note="  ")
    assert error.value.message_dict["evidence_note"] == [str(services.ERROR_EVIDENCE_NEEDED)]
    with pytest.raises(ValidationError):
        services.verify_flagged_campaign_figure(figure=usual, by=office, evidence_note="订单导出")  # not flagged
    # The database refuses a flagged figure verified without evidence, whatever the caller.
    with pytest.raises(IntegrityError), transaction.atomic():
        CampaignDayFigure.objects.filter(pk=flagged.pk).update(status=CampaignDayFigure.Status.VERIFIED)
    services.verify_flagged_campaign_figure(figure=flagged, by=office, evidence_note="核对了淘宝订单导出")
    flagged.refresh_from_db()
    assert (flagged.status, flagged.evidence_note) == (CampaignDayFigure.Status.VERIFIED, "核对了淘宝订单导出")
    assert campaign_results(campaign=campaign).verified.sales == Decimal("10000.01")
    # A shop without three months of history is not flagged by its own median.
    assert submit(campaign, b, DAY1, 100, "5000.01").status == CampaignDayFigure.Status.SUBMITTED


def test_the_monthly_reports_limits_bound_a_day_too(festival, settings):
    campaign, (a, _b) = festival
    settings.SALES_REPORT_MAX_SALES = 100_000
    settings.SALES_REPORT_MAX_ORDERS = 500
    with pytest.raises(ValidationError) as error:
        services.submit_campaign_figure(campaign=campaign, shop=a, day=DAY1, orders=501, quantity=10,
                                        sales=Decimal("100000.01"), by=a.owner, today=TODAY)  # fmt: skip
    assert set(error.value.message_dict) == {"orders", "sales"}
    assert not CampaignDayFigure.objects.exists()
    services.submit_campaign_figure(campaign=campaign, shop=a, day=DAY1, orders=500, quantity=10,
                                    sales=Decimal("100000"), by=a.owner, today=TODAY)  # fmt: skip


def test_the_office_verifies_a_flagged_figure_on_its_own_page_form(client, festival):
    from tests.merchants.factories import SalesReportFactory

    campaign, (a, _b) = festival
    for month in (6, 7, 8):
        SalesReportFactory(shop=a, month=datetime.date(2025, month, 1), sales=Decimal("100.00"))
    flagged = submit(campaign, a, DAY1, 100, "9000")
    client.force_login(a.owner)
    page = client.get(reverse("villages:campaign_figures", args=[campaign.pk])).text
    assert flagged.flag_reason in page
    client.force_login(OfficeFactory())
    url = reverse("villages_admin:campaign", args=[campaign.pk])
    page = client.get(url).text
    assert reverse("villages_admin:figure_verify", args=[flagged.pk]) in page
    assert f'name="figure" value="{flagged.pk}"' not in page  # not in the bulk form
    verify = reverse("villages_admin:figure_verify", args=[flagged.pk])
    client.post(verify, {"evidence_note": ""})
    flagged.refresh_from_db()
    assert flagged.status == CampaignDayFigure.Status.FLAGGED
    assert client.post(verify, {"evidence_note": "看了后台截图"})["Location"] == url
    flagged.refresh_from_db()
    assert flagged.status == CampaignDayFigure.Status.VERIFIED


def test_the_latest_campaigns_results_take_three_queries_whatever_their_number(festival, django_assert_num_queries):
    """The campaigns, then every campaign's sums by day and status, and its shops, in one query
    each: the county dashboard shows the latest campaigns."""
    from incubator.villages.selectors.campaigns import recent_campaigns

    campaign, (a, b) = festival
    office = OfficeFactory()
    services.verify_campaign_figures(
        figures=[submit(campaign, a, DAY1, 150_000, "750000"), submit(campaign, b, DAY2, 90_000, "450000")], by=office
    )
    submit(campaign, a, DAY2, 40_000, "200000")  # awaits verification
    later = SalesCampaign.objects.create(name="腊肉节", starts_on=DAY2, ends_on=DAY2, target_quantity=1000)
    later.shops.set([a])
    services.verify_campaign_figures(figures=[submit(later, a, DAY2, 300, "9000")], by=office)
    tomorrow = TODAY + datetime.timedelta(days=1)
    SalesCampaign.objects.create(name="未开始", starts_on=tomorrow, ends_on=tomorrow, target_quantity=1)
    with django_assert_num_queries(3):
        results = recent_campaigns(today=TODAY, limit=3)
    assert [r.campaign for r in results] == [later, campaign]  # the latest first; none not yet started
    festival_results, later_results = results[1], results[0]
    assert (festival_results.verified.quantity, festival_results.pending.quantity) == (240_000, 40_000)
    assert festival_results.shops_reporting == 2
    assert [(day, v.quantity, p.quantity) for day, v, p in festival_results.days] == [
        (DAY1, 150_000, 0),
        (DAY2, 90_000, 40_000),
    ]
    assert (later_results.verified.quantity, later_results.verified.sales, later_results.shops_reporting) == (
        300,
        Decimal("9000.00"),
        1,
    )
    assert campaign_results(campaign=campaign) == festival_results
