"""The office's user admin names people by real name, phone and email; a generated username is
never shown and never asked for."""

import pytest

from django.urls import reverse

from core.models import User
from core.users_admin import PHONE_TAKEN
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True, real_name="管理员"))
    return client


def test_the_listing_shows_phone_and_name_not_the_generated_username(superuser_client):
    villager = UserFactory(username="u-3f9a1c2b7d", real_name="", email="", phone="+8613800139201")
    page = superuser_client.get(reverse("wagtailusers_users:index")).content.decode()
    assert villager.username not in page
    assert "138 0013 9201" in page


def test_a_person_without_name_or_contact_is_named_by_number_not_username():
    person = UserFactory(username="u-77aa", real_name="", email="", phone=None)
    assert person.username not in person.get_full_name()
    assert str(person.pk) in str(person)


def test_the_forms_do_not_ask_for_a_username_and_make_one(superuser_client):
    form = superuser_client.get(reverse("wagtailusers_users:add")).content.decode()
    assert 'name="username"' not in form or 'type="hidden" name="username"' in form
    response = superuser_client.post(
        reverse("wagtailusers_users:add"),
        {
            "real_name": "李春花",
            "phone": "13800139202",
            "email": "chunhua@example.com",
            "first_name": "",
            "last_name": "",
            "password1": "a-long-new-passw0rd",
            "password2": "a-long-new-passw0rd",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person = User.objects.get(email="chunhua@example.com")
    assert person.phone == "+8613800139202" and person.real_name == "李春花"
    assert person.username.startswith("u-")


def test_editing_keeps_the_username_and_refuses_a_taken_phone(superuser_client):
    UserFactory(phone="+8613800139203")
    person = UserFactory(username="u-keepme", email="keep@example.com")
    url = reverse("wagtailusers_users:edit", args=[person.pk])
    data = {"real_name": "张三", "email": "keep@example.com", "phone": "13800139203", "is_active": "on"}
    response = superuser_client.post(url, data)
    assert response.status_code == 200
    assert str(PHONE_TAKEN) in response.content.decode()
    data["phone"] = "13800139204"
    assert superuser_client.post(url, data).status_code == 302
    person.refresh_from_db()
    assert person.username == "u-keepme" and person.phone == "+8613800139204"


def test_the_admin_sidebar_names_the_person_not_the_username(client):
    from tests.factories import OfficeFactory

    office = OfficeFactory(username="u-5ec4e7", real_name="周文静")
    client.force_login(office)
    page = client.get("/admin/").content.decode()
    assert "周文静" in page
    assert "u-5ec4e7" not in page
