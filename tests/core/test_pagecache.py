import pytest

from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(settings):
    from incubator.demo import seed_site

    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    return seed_site()


def test_an_anonymous_visitor_gets_the_cached_copy_until_a_page_is_published(client, home, django_assert_num_queries):
    first = client.get("/")
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(1):  # the cache families' generations (core/cache_families.py)
        second = client.get("/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content

    home.intro = "新的首页介绍"
    home.save_revision().publish()
    third = client.get("/")
    assert third["X-Page-Cache"] == "miss"
    assert "新的首页介绍" in third.content.decode()


def test_languages_are_cached_apart(client, home):
    client.get("/")
    client.cookies["incubator_language"] = "en"
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss"
    assert '<html lang="en"' in response.content.decode()


def test_a_signed_in_person_is_never_served_from_the_cache(client, home):
    client.get("/")  # stores the anonymous copy
    person = TraineeFactory(real_name="向小梅")
    client.force_login(person)
    response = client.get("/")
    assert "X-Page-Cache" not in response
    assert 'href="/me/"' in response.content.decode()


def test_pages_with_a_form_token_are_not_stored(client, home):
    response = client.get("/accounts/login/")
    assert "X-Page-Cache" not in response


def test_a_new_view_restriction_drops_the_cached_copies(client, home):
    from wagtail.models import PageViewRestriction

    assert client.get("/")["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "hit"
    PageViewRestriction.objects.create(page=home, restriction_type=PageViewRestriction.LOGIN)
    response = client.get("/")
    assert response.status_code == 302 and "X-Page-Cache" not in response


def test_the_copy_is_keyed_on_the_language_the_site_chose_not_the_raw_cookie(client, home):
    client.get("/")
    client.cookies["incubator_language"] = "klingon"  # not a language of the site: Chinese is shown
    response = client.get("/")
    assert response["X-Page-Cache"] == "hit"
    assert '<html lang="zh-hans"' in response.content.decode()
