"""The office's search of shops in Chinese: the shop's name, its products note, its owner."""

import pytest

from django.urls import reverse
from django.utils.html import escape

from tests.factories import OfficeFactory, TraineeFactory
from tests.merchants.factories import ShopFactory

pytestmark = pytest.mark.django_db

URL = reverse("wagtailsnippets_merchants_shop:list")
SHOPS = ["秭归脐橙直营店", "高山云雾茶", "土家腊肉铺"]


@pytest.fixture
def office_client(client):
    client.force_login(OfficeFactory())
    return client


@pytest.fixture
def shops():
    ShopFactory(name="秭归脐橙直营店", products_note="脐橙、血橙", owner=TraineeFactory(real_name="田桂英"))
    ShopFactory(name="高山云雾茶", products_note="明前绿茶，抖音直播", owner=TraineeFactory(real_name="王建国"))
    ShopFactory(
        name="土家腊肉铺", products_note="smoked pork", owner=TraineeFactory(real_name="向小梅", phone="+8613900139000")
    )


def listed(client, query):
    page = client.get(URL, {"q": query}).content.decode().replace(f'value="{escape(query)}"', "")
    return {name for name in SHOPS if name in page}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("脐橙", {"秭归脐橙直营店"}),  # inside the name and the note
        ("血橙", {"秭归脐橙直营店"}),  # only in the note
        ("直播", {"高山云雾茶"}),
        ("桂英", {"秭归脐橙直营店"}),  # part of the owner's name
        ("腊肉 Smoked", {"土家腊肉铺"}),  # Chinese and English words, both found
        ("139 0013 9000", {"土家腊肉铺"}),  # the owner's phone
    ],
)
def test_the_shop_listing_finds_chinese_words(office_client, shops, query, expected):
    assert listed(office_client, query) == expected


@pytest.mark.parametrize("query", ["橙脐", "脐橙 直播", "淘宝"])
def test_words_that_are_not_in_a_shop_find_none(office_client, shops, query):
    assert listed(office_client, query) == set()


def test_a_search_does_not_grow_the_listings_queries(office_client, shops, django_assert_max_num_queries):
    office_client.get(URL, {"q": "脐橙"})

    def look():
        with django_assert_max_num_queries(60) as captured:
            assert office_client.get(URL, {"q": "脐橙"}).status_code == 200
        return len(captured)

    queries = look()
    for number in range(6):
        ShopFactory(name=f"脐橙{number}号店")
    office_client.get(URL, {"q": "脐橙"})  # the new owners' villages: the filters' lists are read again
    assert look() == queries
