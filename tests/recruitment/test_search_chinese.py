"""The office's searches of applications and trainees in Chinese: words inside names and
product notes, several words, phone digits, and words that are not there."""

import pytest

from django.urls import reverse
from django.utils.html import escape

from incubator.recruitment.models import Application
from tests.factories import TraineeFactory, UserFactory
from tests.merchants.factories import make_profile
from tests.recruitment.factories import make_application, make_campaign

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/recruitment/applications/"
NAMES = ["田桂英", "王建国", "向小梅"]


@pytest.fixture
def applications():
    campaign = make_campaign()
    return {
        "田桂英": make_application(campaign=campaign, real_name="田桂英", products_note="赣南脐橙、土鸡蛋"),
        "王建国": make_application(
            campaign=campaign, real_name="王建国", phone="+8613700137000", products_note="高山茶叶，想学直播带货"
        ),
        "向小梅": make_application(
            campaign=campaign, real_name="向小梅", phone="+8613900139000", products_note="猕猴桃 kiwi"
        ),
    }


def listed(client, query, url=LIST_URL, names=NAMES):
    page = client.get(url, {"q": query}).content.decode()
    page = page.replace(f'value="{escape(query)}"', "")  # the rows, not the search box's echo
    return {name for name in names if name in page}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("桂英", {"田桂英"}),  # part of a name
        ("脐橙", {"田桂英"}),  # a word inside the products note
        ("直播", {"王建国"}),  # inside "直播带货"
        ("王建国 茶叶", {"王建国"}),  # two words, both found
        ("KIWI", {"向小梅"}),  # English, any case
        ("139 0013 9000", {"向小梅"}),  # a phone number as people write it
        ("13700137", {"王建国"}),  # part of one
    ],
)
def test_the_application_listing_finds_chinese_words(office_client, applications, query, expected):
    assert listed(office_client, query) == expected


@pytest.mark.parametrize("query", ["橙脐", "脐橙 王建国", "李", "直销", "1234"])
def test_words_that_are_not_in_an_application_find_none(office_client, applications, query):
    assert listed(office_client, query) == set()


def test_the_download_has_the_rows_the_search_found(office_client, applications, django_capture_on_commit_callbacks):
    from tests.recruitment.test_review import export_of

    text = export_of(office_client, {"q": "脐橙", "export": "csv"}, django_capture_on_commit_callbacks)
    rows = text.decode("utf-8-sig").splitlines()
    assert len(rows) == 2 and "田桂英" in rows[1]


# The listing's queries (tests/recruitment/test_review.py): the search is one more condition.
QUERIES = 7


def test_a_search_does_not_add_queries(office_client, applications, django_assert_num_queries):
    office_client.get(LIST_URL, {"q": "脐橙"})
    with django_assert_num_queries(QUERIES):
        assert listed(office_client, "脐橙") == {"田桂英"}
    campaign = Application.objects.first().campaign
    for number in range(6):
        make_application(campaign=campaign, real_name=f"脐橙户{number}", products_note="脐橙")
    office_client.get(LIST_URL, {"q": "脐橙"})  # new villages: the filters' choice lists are read again
    with django_assert_num_queries(QUERIES):
        assert "共 7 份报名" in office_client.get(LIST_URL, {"q": "脐橙"}).content.decode()


def test_the_trainee_listing_finds_people_by_part_of_their_name_or_phone(office_client):
    url = reverse("wagtailsnippets_recruitment_traineeprofile:list")
    make_profile(user=TraineeFactory(real_name="田桂英", phone="+8613800138000"))
    make_profile(user=TraineeFactory(real_name="王建国"))
    make_profile(user=UserFactory(real_name="桂花"))
    names = ["田桂英", "王建国", "桂花"]
    assert listed(office_client, "桂英", url, names) == {"田桂英"}
    assert listed(office_client, "桂", url, names) == {"田桂英", "桂花"}
    assert listed(office_client, "138 0013", url, names) == {"田桂英"}
    assert listed(office_client, "英桂", url, names) == set()
