"""The public directory of graduated merchants' shops (opt-in), by product and township."""

import pytest

from django.urls import reverse

from tests.factories import ProductCategoryFactory, TownshipFactory, VillageFactory

from .factories import ShopFactory, make_profile

pytestmark = pytest.mark.django_db


def listed_shop(*, stage="merchant", in_directory=True, village=None, products=(), **kwargs):
    profile = make_profile(stage=stage, village=village)
    shop = ShopFactory(owner=profile.user, in_directory=in_directory, **kwargs)
    shop.products.set(products)
    return shop


def test_only_opted_in_shops_of_graduates_are_listed(client):
    listed = listed_shop(name="郑家脐橙园")
    listed_shop(name="不想公开的店", in_directory=False)
    listed_shop(name="还在学习的店", stage="trainee")
    response = client.get(reverse("merchants:directory"))
    assert response.status_code == 200
    assert "郑家脐橙园" in response.text and listed.url in response.text
    assert "不想公开的店" not in response.text
    assert "还在学习的店" not in response.text


def test_the_directory_filters_by_product_and_township(client):
    oranges, honey = (
        ProductCategoryFactory(slug="navel-orange", name="脐橙"),
        ProductCategoryFactory(slug="honey", name="蜂蜜"),
    )
    north, south = TownshipFactory(code="north"), TownshipFactory(code="south")
    listed_shop(name="北边脐橙", products=[oranges], village=VillageFactory(township=north))
    listed_shop(name="南边蜂蜜", products=[honey], village=VillageFactory(township=south))
    listed_shop(name="南边脐橙", products=[oranges, honey], village=VillageFactory(township=south))
    response = client.get(reverse("merchants:directory"), {"product": "navel-orange"})
    assert "北边脐橙" in response.text and "南边脐橙" in response.text and "南边蜂蜜" not in response.text
    response = client.get(reverse("merchants:directory"), {"product": "navel-orange", "township": "south"})
    assert "南边脐橙" in response.text and "北边脐橙" not in response.text and "南边蜂蜜" not in response.text


def test_the_directory_queries_do_not_grow_with_shops(client, django_assert_num_queries):
    oranges = ProductCategoryFactory(slug="navel-orange")
    listed_shop(products=[oranges])
    url = reverse("merchants:directory")
    client.get(url)
    with django_assert_num_queries(QUERIES_DIRECTORY):
        client.get(url)
    for _ in range(10):
        listed_shop(products=[oranges, ProductCategoryFactory()], village=VillageFactory())
    with django_assert_num_queries(QUERIES_DIRECTORY):
        response = client.get(url)
    assert response.text.count("去网店看看") == 11


QUERIES_DIRECTORY = 5  # products and townships for the filters, count, shops, their products


def test_the_home_page_section_shows_listed_shops_only_when_there_are_some(rf):
    from django.template.loader import render_to_string

    from incubator.merchants.wagtail_hooks import directory_home_section

    request = rf.get("/")
    assert directory_home_section(request) is None
    listed_shop(name="郑家脐橙园")
    section = directory_home_section(request)
    html = render_to_string(section.template, {"section": section.context}, request=request)
    assert "郑家脐橙园" in html and "买我们网商的好产品" in html
