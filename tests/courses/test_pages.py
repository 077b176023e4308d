"""Page types, their rules, and what a visitor sees on the catalogue, course and lesson pages."""

import pytest

from django.core.exceptions import ValidationError

from wagtail.blocks.struct_block import StructBlockValidationError

from courses.blocks import QuestionBlock
from courses.models import CourseIndexPage, CoursePage, LessonPage
from incubator.models import HomePage
from tests.courses.factories import make_category
from tests.factories import TraineeFactory
from tests.pages_factories import CoursePageFactory, LessonPageFactory

pytestmark = pytest.mark.django_db


def test_page_types_only_go_where_they_belong(catalogue):
    home = catalogue.get_parent().specific
    course = CoursePageFactory(parent=catalogue)
    assert CourseIndexPage.allowed_parent_page_models() == [HomePage]
    assert CoursePage.allowed_parent_page_models() == [CourseIndexPage]
    assert LessonPage.allowed_parent_page_models() == [CoursePage]
    assert CoursePage.allowed_subpage_models() == [LessonPage]
    assert LessonPage.allowed_subpage_models() == []
    assert CoursePage.can_exist_under(catalogue) and not CoursePage.can_exist_under(home)
    assert LessonPage.can_exist_under(course) and not LessonPage.can_exist_under(catalogue)
    assert not CourseIndexPage.can_create_at(home)  # one catalogue only


def test_question_needs_a_right_answer_and_single_choice_has_only_one():
    block = QuestionBlock()
    none_right = block.to_python(
        {
            "text": "问题",
            "multiple": False,
            "choices": [{"text": "甲", "correct": False}, {"text": "乙", "correct": False}],
            "explanation": "",
        }
    )
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(none_right)
    assert "请至少标出一个正确答案。" in str(error.value.block_errors["choices"])
    two_right = block.to_python(
        {
            "text": "问题",
            "multiple": False,
            "choices": [{"text": "甲", "correct": True}, {"text": "乙", "correct": True}],
            "explanation": "",
        }
    )
    with pytest.raises(StructBlockValidationError):
        block.clean(two_right)


def test_lesson_rejects_a_pass_mark_over_100(catalogue):
    course = CoursePageFactory(parent=catalogue)
    lesson = LessonPageFactory(parent=course)
    lesson.quiz_pass_percent = 120
    with pytest.raises(ValidationError) as error:
        lesson.full_clean()
    assert error.value.message_dict["quiz_pass_percent"] == ["及格线是 0 到 100 之间的百分数。"]


def test_course_counts_live_lessons_and_minutes_as_they_are_published_and_unpublished(catalogue):
    course = CoursePageFactory(parent=catalogue)
    first = LessonPageFactory(parent=course, estimated_minutes=10)
    LessonPageFactory(parent=course, estimated_minutes=15)
    LessonPageFactory(parent=course, estimated_minutes=99, live=False)
    course.refresh_from_db()
    assert (course.live_lesson_count, course.estimated_minutes) == (2, 25)
    first.unpublish()
    course.refresh_from_db()
    assert (course.live_lesson_count, course.estimated_minutes) == (1, 15)
    LessonPage.objects.get(pk=first.pk).delete()
    course.refresh_from_db()
    assert course.live_lesson_count == 1


def test_catalogue_lists_live_courses_with_length_and_filters(client, catalogue):
    shop = make_category("shop", "开店运营")
    photo = make_category("photo", "拍摄")
    open_course = CoursePageFactory(parent=catalogue, title="淘宝开店", category=shop)
    LessonPageFactory(parent=open_course, estimated_minutes=12)
    CoursePageFactory(parent=catalogue, title="产品拍摄", category=photo, level="advanced")
    CoursePageFactory(parent=catalogue, title="草稿课程", live=False)
    page = client.get("/courses/").content.decode()
    assert "淘宝开店" in page and "产品拍摄" in page and "草稿课程" not in page
    assert "约 12 分钟" in page
    filtered = client.get("/courses/?category=photo").content.decode()
    assert "产品拍摄" in filtered and "淘宝开店" not in filtered
    assert "淘宝开店" not in client.get("/courses/?level=advanced").content.decode()


def test_catalogue_search_finds_chinese_words_inside_titles(client, catalogue):
    CoursePageFactory(parent=catalogue, title="直播带货入门")
    CoursePageFactory(parent=catalogue, title="客服与评价管理")
    page = client.get("/courses/?q=直播").content.decode()
    assert "直播带货入门" in page and "客服与评价管理" not in page
    assert "没有符合条件的课程" in client.get("/courses/?q=不存在的词").content.decode()


def test_english_titles_show_when_english_is_active(client, catalogue):
    course = CoursePageFactory(parent=catalogue, title="淘宝开店")
    client.cookies["incubator_language"] = "en"
    page = client.get(course.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert course.title_en in page


def test_course_page_for_a_guest_offers_sign_in_and_lists_lessons(client, catalogue):
    course = CoursePageFactory(parent=catalogue)
    lesson = LessonPageFactory(parent=course, title="开店前的准备")
    page = client.get(course.url).content.decode()
    assert "登录后报名" in page
    assert "开店前的准备" in page and lesson.url in page


def test_cohort_only_course_cannot_be_self_enrolled(client, catalogue):
    course = CoursePageFactory(parent=catalogue, enrolment="cohort")
    trainee = TraineeFactory()
    client.force_login(trainee)
    response = client.post(course.url, follow=True)
    assert "本课程仅限培训班学员" in response.content.decode()
    assert not course.enrollments.exists()


def test_enrolling_from_the_course_page(client, catalogue):
    course = CoursePageFactory(parent=catalogue)
    LessonPageFactory(parent=course)
    trainee = TraineeFactory()
    client.force_login(trainee)
    response = client.post(course.url, follow=True)
    assert "报名成功" in response.content.decode()
    assert course.enrollments.filter(user=trainee).count() == 1
    client.post(course.url)
    assert course.enrollments.filter(user=trainee).count() == 1


def test_lesson_page_renders_body_blocks_and_navigation(client, catalogue):
    course = CoursePageFactory(parent=catalogue)
    first = LessonPageFactory(parent=course, title="第一课")
    second = LessonPageFactory(parent=course, title="第二课")
    page = client.get(second.url).content.decode()
    assert "课文内容" in page and "小提示" in page
    assert first.url in page  # previous
    assert "第 2 课，共 2 课" in page
    assert "旁听" in page  # a guest is told that nothing is recorded


def test_lesson_preview_works_for_editors(admin_client, catalogue):
    course = CoursePageFactory(parent=catalogue)
    lesson = LessonPageFactory(parent=course)
    assert lesson.make_preview_request().status_code == 200
    assert admin_client.get(f"/admin/pages/{lesson.pk}/edit/").status_code == 200
    assert admin_client.get(f"/admin/pages/{course.pk}/edit/").status_code == 200
    assert admin_client.get(f"/admin/pages/add/courses/lessonpage/{course.pk}/").status_code == 200


def test_lessons_named_from_plain_values_keep_their_titles_and_links_in_english(client, catalogue):
    """My learning's next lesson and a lesson's neighbours are built from plain values
    (courses.selectors.light_lesson): in English they show the English title and link to the lesson."""
    from courses import services

    course = CoursePageFactory(parent=catalogue)
    first = LessonPageFactory(parent=course, title="第一课", title_en="Choosing a shop name")
    second = LessonPageFactory(parent=course, title="第二课", title_en="Taking photos")
    reader = TraineeFactory(preferred_language="en")
    services.enroll(user=reader, course=course)
    client.force_login(reader)
    learning = client.get("/me/learning/").content.decode()
    assert "Choosing a shop name" in learning and f'href="{first.url}"' in learning
    lesson = client.get(second.url).content.decode()
    assert "Choosing a shop name" in lesson and f'href="{first.url}"' in lesson
