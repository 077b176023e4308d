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
