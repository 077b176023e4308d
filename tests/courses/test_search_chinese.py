"""Searching the catalogue in Chinese: words inside lesson text (the StreamField body), parts of
longer words, Chinese beside English, and words that are not there; on PostgreSQL with `make test`,
on SQLite (FTS5) with `make test-fast`."""

import re

import pytest

from tests.factories import OfficeFactory
from tests.pages_factories import CoursePageFactory, LessonPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lessons(catalogue):
    orchard = CoursePageFactory(parent=catalogue, title="果园管理", summary="果树的一年四季")
    shop = CoursePageFactory(parent=catalogue, title="网店运营", summary="开店、上架和发货")
    service = CoursePageFactory(parent=catalogue, title="客服与评价", summary="回复买家")
    return {
        "picking": LessonPageFactory(
            parent=orchard,
            title="采摘与包装",
            body=[
                ("text", "<p>赣南脐橙要在霜降后采摘，<b>果皮</b>转黄再下树。</p>"),
                ("steps", {"title": "装箱", "steps": ["挑出破果", "用网袋单果包装"]}),
            ],
        ),
        "live": LessonPageFactory(
            parent=shop,
            title="开播准备",
            body=[("callout", {"kind": "tip", "text": "<p>直播带货前，把iPhone直播间的灯光调亮。</p>"})],
        ),
        "reviews": LessonPageFactory(parent=service, title="回复评价", body=[("text", "<p>买家差评要当天回复。</p>")]),
        "courses": {"orchard": orchard, "shop": shop, "service": service},
    }


def search(client, words):
    return client.get("/courses/", {"q": words}).content.decode()


def found_lessons(page, lessons):
    listed = lesson_results(page)
    return {name for name, lesson in lessons.items() if name != "courses" and f'href="{lesson.url}"' in listed}


def lesson_results(page):
    found = re.search(r'<ul class="plain-list lesson-results">(.*?)</ul>', page, re.DOTALL)
    return found.group(1) if found else ""


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("脐橙", {"picking"}),  # a word inside "赣南脐橙" inside a sentence of the body
        ("直播", {"live"}),  # inside "直播带货" and "直播间", in a tip block
        ("霜降后采摘", {"picking"}),  # across words, in order
        ("单果包装", {"picking"}),  # a list item of the steps block
        ("橙", {"picking"}),  # one character, at the end of its run
        ("果皮", {"picking"}),  # text inside <b>
        ("iPhone直播间", {"live"}),  # Chinese and English written together
        ("iphone 灯光", {"live"}),  # and apart, any case
        ("差评", {"reviews"}),
        ("包装", {"picking"}),  # the end of a title ("采摘与包装")
    ],
)
def test_lessons_are_found_by_chinese_words_in_their_text(client, lessons, words, expected):
    assert found_lessons(search(client, words), lessons) == expected


@pytest.mark.parametrize(
    "words",
    [
        "橙脐",  # the characters of a word, in the wrong order
        "直销",  # shares a character with 直播, is not in any lesson
        "脐橙 直播",  # each word is in a lesson, no lesson has both
        "降霜",
        "android直播间",
    ],
)
def test_words_that_are_not_in_a_lesson_find_nothing(client, lessons, words):
    page = search(client, words)
    assert found_lessons(page, lessons) == set()
    assert "没有符合条件的课程" in page


def test_a_lesson_brings_its_course_into_the_results(client, lessons):
    page = search(client, "脐橙")
    courses = lessons["courses"]
    assert "果园管理" in page and "网店运营" not in page and "客服与评价" not in page
    assert "采摘与包装" in lesson_results(page) and "果园管理" in lesson_results(page)  # the lesson, in its course
    # A course's own summary still counts, and lists no lesson.
    page = search(client, "上架")
    assert f'href="{courses["shop"].url}"' in page and lesson_results(page) == ""


def test_the_category_filter_applies_to_the_lessons_found(client, lessons):
    from tests.courses.factories import make_category

    photo = make_category("photo", "拍摄")
    page = client.get("/courses/", {"q": "脐橙", "category": photo.slug}).content.decode()
    assert found_lessons(page, lessons) == set()


def test_unpublished_lessons_are_not_found(client, lessons):
    lessons["live"].unpublish()
    assert found_lessons(search(client, "直播"), lessons) == set()


def test_lessons_behind_a_password_are_not_found(client, lessons):
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(page=lessons["live"], restriction_type="password", password="秘密")
    assert found_lessons(search(client, "直播"), lessons) == set()
    assert found_lessons(search(client, "脐橙"), lessons) == {"picking"}


def test_the_admin_page_search_finds_pages_by_words_inside_their_titles(client, lessons):
    client.force_login(OfficeFactory())
    page = client.get("/admin/pages/search/", {"q": "包装"}).content.decode()
    assert "采摘与包装" in page and "开播准备" not in page
    page = client.get("/admin/pages/search/", {"q": "准备"}).content.decode()
    assert "开播准备" in page and "采摘与包装" not in page


# The catalogue's queries (tests/courses/test_queries.py) and the two searches, the courses' and
# the lessons': the same whatever the number of courses and lessons found.
SEARCH_QUERIES = 13


def test_a_search_reads_a_fixed_number_of_queries(client, catalogue, django_assert_num_queries):
    from tests.factories import TraineeFactory

    client.force_login(TraineeFactory())

    def add(count):
        for number in range(count):
            course = CoursePageFactory(parent=catalogue, title=f"直播课{number}")
            LessonPageFactory(parent=course, body=[("text", "<p>直播间的布置</p>")])

    add(1)
    client.get("/courses/", {"q": "直播"})
    with django_assert_num_queries(SEARCH_QUERIES):
        client.get("/courses/", {"q": "直播"})
    add(5)
    with django_assert_num_queries(SEARCH_QUERIES):
        page = client.get("/courses/", {"q": "直播"}).content.decode()
    assert lesson_results(page).count("<li>") == 6
