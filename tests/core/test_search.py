"""The search index's Chinese: how text and queries are cut (core.search.chinese), and that every
indexed model, ours and Wagtail's, writes its text fields cut (core.search.fields)."""

import pytest

from wagtail.search import index
from wagtail.search.backends import get_search_backend

from core.search.chinese import Piece, index_text, query_pieces
from core.search.fields import SegmentedAutocompleteField, SegmentedSearchField


def test_chinese_runs_become_overlapping_pairs_set_apart_from_latin_words():
    assert index_text("赣南脐橙，iPhone直播间") == "赣南 南脐 脐橙 ，iPhone 直播 播间 橙 间"
    assert index_text("买 a") == "买 a"  # a lone character stays itself
    assert index_text("Taobao shop 3") == "Taobao shop 3"  # no Chinese: unchanged


def test_a_query_term_is_the_pairs_that_must_follow_each_other():
    assert query_pieces("脐橙") == [Piece("脐橙")]
    assert query_pieces("赣南脐橙") == [Piece("赣南"), Piece("南脐"), Piece("脐橙")]
    assert query_pieces("iPhone直播") == [Piece("iPhone"), Piece("直播")]
    assert query_pieces("橙") == [Piece("橙", prefix=True)]


def test_every_indexed_model_writes_its_text_fields_cut():
    def text_fields(fields):
        for field in fields:
            if isinstance(field, index.RelatedFields):
                yield from text_fields(field.fields)
            elif isinstance(field, (index.SearchField, index.AutocompleteField)):
                yield field

    models = index.get_indexed_models()
    assert {"wagtailcore.page", "courses.lessonpage", "wagtailimages.image", "wagtaildocs.document"} <= {
        model._meta.label_lower for model in models
    }
    for model in models:
        for field in text_fields(model.get_search_fields()):
            assert isinstance(field, (SegmentedSearchField, SegmentedAutocompleteField)), (model, field)


@pytest.mark.django_db
def test_the_lesson_body_is_indexed_cut():
    from tests.pages_factories import CoursePageFactory, LessonPageFactory, course_catalogue

    lesson = LessonPageFactory(parent=CoursePageFactory(parent=course_catalogue()), body=[("text", "<p>赣南脐橙</p>")])
    [body] = [field for field in lesson.get_search_fields() if getattr(field, "field_name", "") == "body"]
    assert body.get_value(lesson) == ["赣南 南脐 脐橙 橙"]


@pytest.mark.django_db
def test_the_backend_is_the_databases_own_with_chinese_queries():
    from django.db import connection

    backend = type(get_search_backend()).__name__
    expected = {"postgresql": "ChinesePostgresSearchBackend", "sqlite": "ChineseSQLiteSearchBackend"}
    assert backend == expected[connection.vendor]


@pytest.mark.django_db
def test_wagtails_own_images_are_found_by_words_inside_their_titles():
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    Image = get_image_model()
    Image.objects.create(title="赣南脐橙礼盒", file=get_test_image_file())
    Image.objects.create(title="高山茶叶", file=get_test_image_file())
    assert [image.title for image in Image.objects.search("脐橙")] == ["赣南脐橙礼盒"]
    assert [image.title for image in Image.objects.autocomplete("茶")] == ["高山茶叶"]
