"""Shops and cooperatives in the Wagtail admin."""

import pytest

from django.urls import reverse

from tests.factories import OfficeFactory

from .factories import ShopFactory, make_profile

pytestmark = pytest.mark.django_db


def test_the_office_marks_a_shop_verified_and_it_is_recorded(client):
    profile = make_profile(stage="merchant")
    shop = ShopFactory(owner=profile.user)
    office = OfficeFactory()
    client.force_login(office)
    url = reverse("wagtailsnippets_merchants_shop:edit", args=[shop.pk])
    data = {
        "owner": profile.user.pk,
        "platform": shop.platform,
        "opened_on": shop.opened_on.isoformat(),
        "name": shop.name,
        "url": shop.url,
        "products_note": "",
        "is_verified": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    shop.refresh_from_db()
    assert shop.is_verified and shop.verified_by == office and shop.verified_at is not None
    data.pop("is_verified")
    client.post(url, data)
    shop.refresh_from_db()
    assert not shop.is_verified and shop.verified_at is None
