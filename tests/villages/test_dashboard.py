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
