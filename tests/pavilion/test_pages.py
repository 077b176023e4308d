"""The pavilion's public pages: only shops of the public directory are linked, filters,
photos as WebP with a fallback and lazy, light pages readable offline, sound markup, and
query counts that do not grow with the products."""

import pytest

from tests.factories import ProductCategoryFactory, TownshipFactory, VillageFactory
from tests.merchants.factories import ShopFactory, make_profile

from .factories import pavilion, photo, product
from .markup import problems

pytestmark = pytest.mark.django_db

PAGE_BUDGET = 60_000  # bytes of HTML before images


def shop(*, category, stage="merchant", in_directory=True, name):
    owner = make_profile(stage=stage).user
    shop = ShopFactory(owner=owner, in_directory=in_directory, name=name)
    shop.products.set([category])
    return shop


def test_a_product_links_only_the_shops_of_the_public_directory(client, django_assert_max_num_queries):
    orange = ProductCategoryFactory(slug="navel-orange", name="脐橙")
    listed = shop(category=orange, name="郑家脐橙园")
    shop(category=orange, in_directory=False, name="不公开的店")
    shop(category=orange, stage="trainee", name="学员的店")
    shop(category=ProductCategoryFactory(), name="卖蜂蜜的店")
    page = product(category=orange)
    with django_assert_max_num_queries(20) as captured:
        response = client.get(page.url)
    assert response.status_code == 200
    assert "郑家脐橙园" in response.text and listed.url in response.text
    for hidden in ("不公开的店", "学员的店", "卖蜂蜜的店"):
        assert hidden not in response.text
    before = len(captured)
    for n in range(4):
        shop(category=orange, name=f"更多脐橙{n}")
    with django_assert_max_num_queries(before):
        client.get(page.url)


def test_photos_are_webp_with_a_fallback_lazy_and_sized(client):
    page = product()
    html = client.get(page.url).text
    assert "<picture>" in html and 'type="image/webp"' in html and ".jpg" in html
    assert 'loading="lazy"' in html and 'width="' in html and 'height="' in html


def test_the_index_filters_by_category_and_township(client):
    orange, honey = ProductCategoryFactory(slug="navel-orange", name="脐橙"), ProductCategoryFactory(slug="honey")
    north, south = TownshipFactory(code="north"), TownshipFactory(code="south")
    product(title="北山脐橙", category=orange, townships=[north])
    product(title="南山蜂蜜", category=honey, townships=[south])
    product(title="南山脐橙", category=orange, townships=[south], villages=[VillageFactory(township=south)])
    product(title="草稿产品", category=orange, live=False)
    url = pavilion().url
    text = client.get(url).text
    assert "北山脐橙" in text and "南山蜂蜜" in text and "草稿产品" not in text
    text = client.get(url, {"category": "navel-orange", "township": "south"}).text
    assert "南山脐橙" in text and "北山脐橙" not in text and "南山蜂蜜" not in text
    assert client.get(url, {"category": "no-such"}).status_code == 200  # a bad choice shows everything


def test_the_index_reads_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    category = ProductCategoryFactory()
    product(category=category, townships=[TownshipFactory()])
    url = pavilion().url
    client.get(url)  # renditions are made on the first view
    with django_assert_max_num_queries(20) as captured:
        client.get(url)
    before = len(captured)
    for _ in range(5):
        client.get(product(category=ProductCategoryFactory(), townships=[TownshipFactory()]).url)
    client.get(url)
    with django_assert_max_num_queries(before):
        response = client.get(url)
    assert response.text.count("<picture>") == 6


def test_pages_are_light_valid_and_readable_offline(client):
    pages = [product(category=ProductCategoryFactory(), townships=[TownshipFactory()]) for _ in range(30)]
    for url in (pavilion().url, pages[0].url):
        response = client.get(url)
        assert len(response.content) < PAGE_BUDGET, f"{url}: {len(response.content)} bytes"
        assert problems(response.content.decode()) == []
        # Storable by the service worker: not private, not no-store, the person marker present.
        assert "no-store" not in response.get("Cache-Control", "")
        assert response.has_header("X-Person")
        assert not url.startswith(("/me/", "/mentor/", "/admin/", "/accounts/"))


def test_the_home_page_features_a_few_products(client):
    product(title="首页脐橙", featured=True)
    product(title="不上首页", featured=False)
    text = client.get("/").text
    assert "首页脐橙" in text and "不上首页" not in text


def test_the_index_is_paged_so_it_stays_light_at_the_countys_target(client, django_assert_max_num_queries):
    """At most 24 products a page, so the index stays under the budget however many products there
    are (the county's target is 200); the pages keep the filters and read a fixed number of queries."""
    from incubator.pavilion.page_serving import PRODUCTS_PER_PAGE

    orange, north = ProductCategoryFactory(slug="navel-orange", name="脐橙"), TownshipFactory(code="north")
    image = photo("shared")
    for n in range(30):
        product(title=f"脐橙{n:02d}", category=orange, townships=[north], image=image)
    url = pavilion().url
    client.get(url)  # renditions are made on the first view
    with django_assert_max_num_queries(25) as captured:
        client.get(url)
    before = len(captured)
    for n in range(30, 50):
        product(title=f"脐橙{n:02d}", category=orange, townships=[north], image=image)
    with django_assert_max_num_queries(before):
        first = client.get(url)
    assert first.text.count("<picture>") == PRODUCTS_PER_PAGE == 24
    assert "脐橙00" in first.text and "脐橙24" not in first.text
    assert len(first.content) < PAGE_BUDGET and problems(first.text) == []
    last = client.get(url, {"category": "navel-orange", "township": "north", "page": "3"})
    assert last.text.count("<picture>") == 2 and "脐橙49" in last.text
    assert "?category=navel-orange&amp;township=north&amp;page=2" in last.text  # the filters kept
    assert client.get(url, {"page": "no-such"}).text.count("<picture>") == 24  # a bad page is the first
