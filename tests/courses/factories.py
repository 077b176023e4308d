"""Helpers of the courses tests: categories, uploads and quiz answers (pages: tests.pages_factories)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from courses.models import CourseCategory


def make_category(slug="shop", name="开店运营") -> CourseCategory:
    category, _ = CourseCategory.objects.get_or_create(slug=slug, defaults={"name": name, "name_en": "Shop"})
    return category


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


def courses_with_lessons(catalogue, *, courses: int, lessons: int = 3) -> list:
    """`courses` published courses of `lessons` lessons each: [(course, [lesson, ...]), ...]."""
    from tests.pages_factories import CoursePageFactory, LessonPageFactory

    made = []
    for n in range(courses):
        course = CoursePageFactory(parent=catalogue, title=f"开网店第{n}课", title_en=f"Shop {n}")
        made.append((course, [LessonPageFactory(parent=course, title=f"第{n}课第{k}讲") for k in range(lessons)]))
    return made


def loaded_fields(instance) -> dict | None:
    """An instance's stored fields as loaded (a deferred field is left out), to compare two reads."""
    if instance is None:
        return None
    return {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if f.attname in instance.__dict__
    }
