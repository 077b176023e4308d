import pytest

from django.urls import reverse

from core import roles
from tests.factories import MentorFactory, OfficeFactory, TraineeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(db):
    from incubator.demo import seed_site

    return seed_site()


def nav_links(response):
    html = response.content.decode()
    nav = html.split('class="container site-nav"', 1)[1].split("</nav>", 1)[0]
    return nav


def test_chinese_is_the_default_even_for_an_english_browser(client, home):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert '<html lang="zh-hans"' in response.content.decode()
    assert "课程" in nav_links(response)


def test_switching_to_english_is_remembered(client, home):
    response = client.post(reverse("core:set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["incubator_language"].value == "en"
    response = client.get("/")
    assert '<html lang="en"' in response.content.decode()
    assert "Courses" in nav_links(response)


def test_switching_language_saves_the_preference_of_a_signed_in_person(client, home):
    user = TraineeFactory()
    client.force_login(user)
    client.post(reverse("core:set_language"), {"language": "en", "next": "/me/"})
    user.refresh_from_db()
    assert user.preferred_language == "en"
    client.cookies.clear()
    client.force_login(user)
    assert '<html lang="en"' in client.get("/").content.decode()


def test_language_switch_refuses_foreign_redirects(client, home):
    response = client.post(reverse("core:set_language"), {"language": "en", "next": "https://evil.example/"})
    assert response.url == "/"


@pytest.mark.parametrize(
    ("factory", "present", "absent"),
    [
        (None, ["/accounts/login/", "/courses/"], ["/me/", "/mentor/", "/admin/"]),
        (TraineeFactory, ["/me/"], ["/mentor/", "/admin/", "/accounts/login/"]),
        (MentorFactory, ["/me/", "/mentor/"], ["/admin/"]),
        (OfficeFactory, ["/me/", "/admin/"], ["/mentor/"]),
    ],
)
def test_navigation_follows_the_role(client, home, factory, present, absent):
    if factory:
        client.force_login(factory())
    nav = nav_links(client.get("/"))
    for url in present:
        assert f'href="{url}"' in nav
    for url in absent:
        assert f'href="{url}"' not in nav


def test_role_groups_exist_and_office_can_reach_the_admin(client, home):
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ALL_ROLES)
    office = OfficeFactory()
    client.force_login(office)
    assert client.get("/admin/").status_code == 200
    trainee = TraineeFactory()
    client.force_login(trainee)
    assert client.get("/admin/").status_code == 302


def test_admin_is_in_chinese_for_office_staff(client, home):
    client.force_login(OfficeFactory())
    html = client.get("/admin/").content.decode()
    assert "控制面板" in html
