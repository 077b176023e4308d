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
