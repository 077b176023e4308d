"""Builders of course pages and learning state for the courses tests."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail.models import Page, Site

from courses.models import CourseCategory, CourseIndexPage, CoursePage, LessonPage
from incubator.models import HomePage

_counter = {"n": 0}


def _next() -> int:
    _counter["n"] += 1
    return _counter["n"]


def make_home() -> HomePage:
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = HomePage(title="首页", slug=f"home-{_next()}")
        root.add_child(instance=home)
        home.save_revision().publish()
        Site.objects.update_or_create(
            is_default_site=True, defaults={"root_page": home, "hostname": "localhost", "port": 80}
        )
    return home


def make_catalogue(home=None) -> CourseIndexPage:
    home = home or make_home()
    index = CourseIndexPage.objects.first()
    if index is None:
        index = CourseIndexPage(title="课程", slug="courses")
        home.add_child(instance=index)
        index.save_revision().publish()
    return index


def make_category(slug="shop", name="开店运营") -> CourseCategory:
    category, _ = CourseCategory.objects.get_or_create(slug=slug, defaults={"name": name, "name_en": "Shop"})
    return category


def make_course(*, index=None, title=None, enrolment="open", level="beginner", category=None, live=True, **extra):
    index = index or make_catalogue()
    n = _next()
    course = CoursePage(
        title=title or f"课程{n}",
        slug=f"course-{n}",
        title_en=f"Course {n}",
        summary=f"第{n}门课的简介",
        summary_en=f"Summary of course {n}",
        enrolment=enrolment,
        level=level,
        category=category,
        live=live,
        **extra,
    )
    index.add_child(instance=course)
    if live:
        course.save_revision().publish()
    else:
        course.save_revision()
    return CoursePage.objects.get(pk=course.pk)


def question(text="脐橙应该怎么包装？", *, multiple=False, choices=(("用网套和隔板", True), ("直接堆在箱子里", False))):
    return (
        "question",
        {
            "text": text,
            "multiple": multiple,
            "choices": [{"text": label, "correct": right} for label, right in choices],
            "explanation": "果子在箱内晃动会碰伤。",
        },
    )


def make_lesson(
    course,
    *,
    title=None,
    minutes=10,
    quiz=(),
    pass_percent=80,
    max_attempts=0,
    task="",
    wants_link=False,
    min_files=0,
    publish=True,
) -> LessonPage:
    n = _next()
    lesson = LessonPage(
        title=title or f"第{n}课",
        slug=f"lesson-{n}",
        title_en=f"Lesson {n}",
        estimated_minutes=minutes,
        body=[("text", "<p>课文内容</p>"), ("callout", {"kind": "tip", "text": "<p>小提示</p>"})],
        quiz=list(quiz),
        quiz_pass_percent=pass_percent,
        quiz_max_attempts=max_attempts,
        task_title="实操任务" if task else "",
        task_instructions=task,
        task_wants_link=wants_link,
        task_min_files=min_files,
        live=publish,
    )
    course.add_child(instance=lesson)
    if publish:
        lesson.save_revision().publish()
    else:
        lesson.save_revision()
    return LessonPage.objects.get(pk=lesson.pk)


def jpeg(name="photo.jpg", size=(32, 32)) -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (230, 120, 20)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def pdf(name="plan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf"
    )


def answers_for(lesson, *, right=True) -> dict[str, list[str]]:
    found = {}
    for item in lesson.questions:
        good = [c["key"] for c in item["choices"] if c["correct"]]
        bad = [c["key"] for c in item["choices"] if not c["correct"]]
        found[item["key"]] = good if right else bad[:1]
    return found
