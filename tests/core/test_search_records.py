"""The office's search of people (the users admin) in Chinese, and the trigram indexes that
serve the record searches on PostgreSQL (core.search.records, core.search.operations)."""

import pytest

from django.db import connection
from django.urls import reverse
from django.utils.html import escape

from core.models import User
from core.search.records import matching
from tests.factories import OfficeFactory, UserFactory

pytestmark = pytest.mark.django_db

PEOPLE = ["田桂英", "王建国", "桂花"]


@pytest.fixture
def office_client(client):
    client.force_login(OfficeFactory(real_name="办公室"))
    return client


def listed(client, query):
    page = client.get(reverse("wagtailusers_users:index"), {"q": query}).content.decode()
    page = page.replace(f'value="{escape(query)}"', "")
    return {name for name in PEOPLE if name in page}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("桂英", {"田桂英"}),  # part of a real name
        ("桂", {"田桂英", "桂花"}),
        ("138 0013 8000", {"田桂英"}),  # the phone, as people write it (Wagtail searches no phone)
        ("wang@example", {"王建国"}),
        ("英桂", set()),
        ("田桂英 王建国", set()),  # every word must be found in the same person
    ],
)
def test_the_users_admin_finds_people_by_their_chinese_name_or_phone(office_client, query, expected):
    UserFactory(real_name="田桂英", phone="+8613800138000")
    UserFactory(real_name="王建国", email="wang@example.com")
    UserFactory(real_name="桂花")
    assert listed(office_client, query) == expected


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram indexes are PostgreSQL's")
@pytest.mark.parametrize(
    ("model", "query", "fields", "phone_fields", "index"),
    [
        ("core.User", "田桂英", ["real_name", "email"], ["phone"], "core_user_real_name_trgm"),
        ("core.User", "13800138000", ["real_name", "email"], ["phone"], "core_user_phone_trgm"),
        (
            "recruitment.Application",
            "赣南脐橙",
            ["real_name", "products_note"],
            ["phone"],
            "recruitment_application_products_note_trgm",
        ),
        ("merchants.Shop", "脐橙店", ["name", "products_note"], [], "merchants_shop_name_trgm"),
    ],
)
def test_a_search_of_three_characters_or_more_is_served_by_a_trigram_index(model, query, fields, phone_fields, index):
    from django.apps import apps

    queryset = apps.get_model(model).objects.filter(matching(query, fields=fields, phone_fields=phone_fields))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a table of a few rows: make the planner show its choice
    assert index in queryset.explain()


def test_a_query_of_words_needs_every_word_and_digits_also_search_phones():
    UserFactory(real_name="田桂英", phone="+8613800138000")
    found = User.objects.filter(matching("田 英", fields=["real_name"], phone_fields=["phone"]))
    assert [person.real_name for person in found] == ["田桂英"]
    assert not User.objects.filter(matching("138", fields=["real_name"], phone_fields=["phone"])).exists()
