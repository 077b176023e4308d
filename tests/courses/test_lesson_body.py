"""A lesson's body is rendered once and shared (courses/lesson_body.py): it must never carry
anything of the person who happened to render it, and it must follow the content."""

import re

import pytest

from django.core.cache import cache
from django.utils import translation

from courses import lesson_body, services
from tests.factories import TraineeFactory
from tests.pages_factories import CoursePageFactory, LessonPageFactory

pytestmark = pytest.mark.django_db

# A block template that would print the person, their CSRF token and their progress if it were
# rendered with the page's context: the shared body must show none of it, to anyone.
NOSY_CALLOUT = (
    '<aside class="callout"><div class="rich-text">{{ value.text }}</div>'
    '<span class="who">{{ request.user.real_name }}|{{ user.real_name }}|{{ csrf_token }}|{{ progress.opened_at }}</span></aside>'
)


@pytest.fixture
def lesson(catalogue):
    course = CoursePageFactory(parent=catalogue)
    return LessonPageFactory(
        parent=course,
        body=[("text", "<p>课文内容：包装脐橙</p>"), ("callout", {"kind": "tip", "text": "<p>小提示</p>"})],
    )


@pytest.fixture
def nosy_block_template(settings, tmp_path):
    (tmp_path / "courses" / "blocks").mkdir(parents=True)
    (tmp_path / "courses" / "blocks" / "callout_block.html").write_text(NOSY_CALLOUT, encoding="utf-8")
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [tmp_path, *engine["DIRS"]]}]
    lesson_body._templates_digest.cache_clear()
    yield
    lesson_body._templates_digest.cache_clear()


def marker(page: str) -> str:
    return re.search(r'<meta name="person" content="([0-9a-f]+)">', page).group(1)


def tokens(page: str) -> list[str]:
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)


def enrolled(lesson, name):
    person = TraineeFactory(real_name=name)
    services.enroll(user=person, course=lesson.get_parent().specific)
    return person


def page_for(client, person, lesson) -> str:
    client.force_login(person)
    response = client.get(lesson.url)
    assert response.status_code == 200
    return response.content.decode()


def test_two_people_share_the_body_and_see_only_their_own_data(client, lesson, nosy_block_template):
    first, second = enrolled(lesson, "王小明"), enrolled(lesson, "李春花")
    first_page = page_for(client, first, lesson)
    stored = cache.get(lesson_body.cache_key(lesson.pk, translation.get_language()))
    assert stored is not None, "the body is kept after the first reading"
    shared = "".join(stored[1].values())
    assert "课文内容：包装脐橙" in shared
    assert "王小明" not in shared and "csrfmiddlewaretoken" not in shared
    assert '<span class="who">|||</span>' in shared, "the block was rendered without the page's context"

    second_page = page_for(client, second, lesson)
    assert "课文内容：包装脐橙" in first_page and "课文内容：包装脐橙" in second_page
    # Each page carries its own reader's marker (the service worker's) and form tokens, nobody else's.
    assert marker(first_page) != marker(second_page)
    assert marker(first_page) not in second_page
    assert not set(tokens(first_page)) & set(tokens(second_page))
    assert "王小明" not in second_page
    assert second_page.count('<span class="who">|||</span>') == 1


def test_the_body_follows_a_new_revision_and_a_save_without_one(client, lesson):
    reader = enrolled(lesson, "王小明")
    assert "课文内容：包装脐橙" in page_for(client, reader, lesson)

    lesson.body = [("text", "<p>第二版：真空包装</p>")]
    lesson.save_revision().publish()
    page = page_for(client, reader, lesson)
    assert "第二版：真空包装" in page and "课文内容：包装脐橙" not in page

    lesson.refresh_from_db()
    lesson.body = [("text", "<p>第三版：改了字</p>")]
    lesson.save()  # no revision: the stored body is what counts
    assert "第三版：改了字" in page_for(client, reader, lesson)


def test_each_language_has_its_own_body(client, lesson):
    reader = enrolled(lesson, "王小明")
    page_for(client, reader, lesson)
    reader.preferred_language = "en"
    reader.save(update_fields=["preferred_language"])
    english = page_for(client, reader, lesson)
    assert "Tip" in english  # the callout's label, translated when rendered in English
    assert cache.get(lesson_body.cache_key(lesson.pk, "en")) is not None
    assert cache.get(lesson_body.cache_key(lesson.pk, "zh-hans")) is not None


def test_a_page_the_body_links_to_drops_it(client, lesson, django_capture_on_commit_callbacks):
    target = CoursePageFactory(parent=lesson.get_parent().get_parent(), slug="link-target")
    lesson.body = [("text", f'<p><a linktype="page" id="{target.pk}">去看这门课</a></p>')]
    lesson.save_revision().publish()
    reader = enrolled(lesson, "王小明")
    assert 'href="/courses/link-target/"' in page_for(client, reader, lesson)

    with django_capture_on_commit_callbacks(execute=True):
        target.slug = "moved-target"
        target.save_revision().publish()
    assert cache.get(lesson_body.cache_key(lesson.pk, translation.get_language())) is None
    assert 'href="/courses/moved-target/"' in page_for(client, reader, lesson)
