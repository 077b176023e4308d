"""The villages' and pavilion's sections on the county dashboard, in a number of queries that
does not grow with the data."""

import datetime
from decimal import Decimal

import pytest

from django.urls import reverse

from incubator.villages.models import StationDay
from tests.factories import OfficeFactory, ProductCategoryFactory, VillageFactory
from tests.merchants.factories import SalesReportFactory, ShopFactory, make_profile

from .factories import make_station

pytestmark = pytest.mark.django_db


def data(n):
    category = ProductCategoryFactory()
    last_month = datetime.date.today().replace(day=1) - datetime.timedelta(days=1)
    for _ in range(n):
        village = VillageFactory()
        shop = ShopFactory(owner=make_profile(village=village).user)
        shop.products.set([category])
        SalesReportFactory(shop=shop, month=last_month.replace(day=1), sales=Decimal("1234"))
        station = make_station(village=village, opened_on=datetime.date(2025, 1, 1))
        StationDay.objects.create(station=station, day=datetime.date(2025, 1, 1), sell_value=Decimal("10"))


def test_the_dashboard_shows_the_sections_in_fixed_queries(client, django_assert_max_num_queries):
    client.force_login(OfficeFactory())
    data(2)
    with django_assert_max_num_queries(70) as captured:
        response = client.get(reverse("merchants_admin:dashboard"))
    assert response.status_code == 200
    text = response.text
    assert 'id="taobao-heading"' in text and 'id="categories-heading"' in text and 'id="pavilion-heading"' in text
    assert "<svg" in text
    before = len(captured)
    data(6)
    with django_assert_max_num_queries(before):
        client.get(reverse("merchants_admin:dashboard"))


def pavilion_section(response) -> str:
    [html] = [s["html"] for _order, _t, s in response.context["sections"] if 'id="pavilion-heading"' in s["html"]]
    return html


def test_the_pavilion_section_is_kept_across_sales_reports_and_shows_a_product_or_proposal_at_once(client):
    """Kept under PAVILION_FIGURES: a sales report, which drops the rest of the dashboard, does not
    read the pavilion again; a product published, a proposal made or decided shows on the next look."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from incubator.pavilion.models import ProductProposal
    from tests.pavilion.factories import product

    shop = ShopFactory()
    client.force_login(OfficeFactory())
    url = reverse("merchants_admin:dashboard")
    product(title="脐橙")
    first = pavilion_section(client.get(url))
    assert "特色馆已有 1 种特色产品，目标 200 种。" in first and "0 条推荐待审核" in first
    SalesReportFactory(shop=shop, month=datetime.date(2025, 3, 1))
    with CaptureQueriesContext(connection) as queries:
        assert pavilion_section(client.get(url)) == first
    assert not [q for q in queries if '"pavilion_' in q["sql"]]
    product(title="蜂蜜")
    second = pavilion_section(client.get(url))
    assert "特色馆已有 2 种特色产品" in second
    ProductProposal.objects.create(proposer=shop.owner, name="橙花蜜", category=ProductCategoryFactory())
    third = pavilion_section(client.get(url))
    assert "1 条推荐待审核" in third and "0 条推荐待审核" not in third


def test_the_stations_section_is_kept_across_sales_reports_and_shows_a_stations_day_at_once(client):
    """Kept under VILLAGE_FIGURES, whatever the filters: a sales report, which drops the Taobao
    villages' and the products' section, does not render the stations' records again; a station's
    day logged shows on the next look."""
    from core import cache_families

    client.force_login(OfficeFactory())
    data(1)
    url = reverse("merchants_admin:dashboard")
    stations = "villages/admin/dashboard_stations.html"

    def rendered(response) -> list[str]:
        return [template.name for template in response.templates]

    assert stations in rendered(client.get(url))
    cache_families.bump(cache_families.COUNTY_DASHBOARD)  # as a sales report does
    again = client.get(url)
    assert stations not in rendered(again) and "villages/admin/dashboard_section.html" in rendered(again)
    assert 'id="stations-heading"' in again.text
    station = make_station(village=VillageFactory(), opened_on=datetime.date(2026, 1, 1))
    StationDay.objects.create(station=station, day=datetime.date(2026, 1, 1), sell_value=Decimal("98765"))
    changed = client.get(url)
    assert stations in rendered(changed)
    assert "2026-01-01 98765" in changed.text  # the best day county-wide
