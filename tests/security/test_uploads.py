"""Uploads of practical-task work: checked by content, bounded in size, stored under our names.

Sent through the real lesson page (the form a trainee uses). A file that lies about its type
(a .jpg that is PHP, an ELF program, HTML or SVG), a file too large, or one whose content does
not match its name is refused with a clear Chinese message, and nothing is stored. A name with a
path in it (`../../etc/passwd.jpg`) never decides where the file goes: it is stored under a
random name inside the private storage, nowhere else, and served back with headers that stop a
browser from running it.
"""

import html
import os
from pathlib import Path

import pytest

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.urls import reverse

from tests.support import payloads

pytestmark = pytest.mark.django_db

WRONG_TYPE = "“{name}”不是照片（JPEG、PNG、WebP）、PDF 或 MP4 视频。"
NAME_MISMATCH = "“{name}”的内容和文件名不符：它不是真正的 .{ext} 文件。"
TOO_LARGE = "“{name}”有 {size}，文件最大 {limit}。"
CHOOSE_AGAIN = "请重新选择文件：出于安全考虑，浏览器不会保留已选的文件。"


def files_under(root) -> set[str]:
    root = Path(root)
    if not root.exists():
        return set()
    return {str(path) for path in root.rglob("*") if path.is_file()}


@pytest.fixture
def task_lesson(world):
    from courses.models import LessonPage

    lesson = LessonPage(
        title="上传包装照片", slug="packaging-photos", task_title="包装", task_instructions="<p>上传一张包装照片。</p>"
    )
    world.course.add_child(instance=lesson)
    lesson.save_revision().publish()
    return LessonPage.objects.get(pk=lesson.pk)


@pytest.fixture
def storage_roots():
    roots = [settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT]
    before = {str(root): files_under(root) for root in roots}
    yield before
    # (compared by each test)


def send(client, lesson, name: str, content: bytes, text: str = "我的作业"):
    upload = SimpleUploadedFile(name, content, content_type="image/jpeg")
    return client.post(lesson.url, {"action": "task", "text": text, "files": [upload]})


def page_text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.jpg", payloads.PHP),
        ("photo.jpg", payloads.ELF),
        ("photo.jpg", payloads.HTML),
        ("photo.png", payloads.SVG),
        ("shell.php", payloads.PHP),
    ],
    ids=["php-as-jpg", "elf-as-jpg", "html-as-jpg", "svg-as-png", "php"],
)
def test_a_file_that_lies_about_its_type_is_refused_and_not_stored(
    name, content, world, as_persona, task_lesson, storage_roots
):
    from courses.models import SubmissionFile, TaskSubmission

    response = send(as_persona("trainee_b"), task_lesson, name, content, text="请看我的照片")
    assert response.status_code == 400
    text = page_text(response)
    assert WRONG_TYPE.format(name=name) in text
    assert CHOOSE_AGAIN in text
    assert "请看我的照片" in text  # what was typed is kept
    assert not TaskSubmission.objects.filter(lesson=task_lesson).exists()
    assert not SubmissionFile.objects.filter(submission__lesson=task_lesson).exists()
    assert {root: files_under(root) for root in storage_roots} == storage_roots


def test_a_photo_named_as_another_type_is_refused(world, as_persona, task_lesson, storage_roots):
    response = send(as_persona("trainee_b"), task_lesson, "report.pdf", payloads.JPEG)
    assert response.status_code == 400
    assert NAME_MISMATCH.format(name="report.pdf", ext="pdf") in page_text(response)
    assert {root: files_under(root) for root in storage_roots} == storage_roots


def test_an_oversized_file_is_refused(world, as_persona, task_lesson, storage_roots, settings):
    settings.COURSES_MAX_UPLOAD_BYTES = 2048
    big = payloads.JPEG + b"\x00" * 4096
    response = send(as_persona("trainee_b"), task_lesson, "big.jpg", big)
    assert response.status_code == 400
    expected = TOO_LARGE.format(name="big.jpg", size=filesizeformat(len(big)), limit=filesizeformat(2048))
    assert expected in page_text(response)
    assert {root: files_under(root) for root in storage_roots} == storage_roots


@pytest.mark.parametrize(
    "name",
    ["../../etc/passwd.jpg", "..\\..\\..\\windows\\evil.jpg", "/etc/cron.d/x.jpg", "%2e%2e%2f%2e%2e%2fescape.jpg"],
)
def test_a_path_in_the_name_never_decides_where_the_file_goes(name, world, as_persona, task_lesson, storage_roots):
    from courses.models import SubmissionFile

    response = send(as_persona("trainee_b"), task_lesson, name, payloads.JPEG)
    assert response.status_code == 302
    stored = SubmissionFile.objects.get(submission__lesson=task_lesson)
    path = Path(stored.file.path).resolve()
    private = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    assert private in path.parents
    assert ".." not in stored.file.name and "etc" not in stored.file.name.split("/")
    assert path.name.endswith(".jpg") and path.stem != "passwd"
    # Exactly one new file, inside the private storage; none in the public media folder.
    new = {root: files_under(root) - storage_roots[root] for root in storage_roots}
    assert new[str(settings.MEDIA_ROOT)] == set()
    assert new[str(settings.PRIVATE_MEDIA_ROOT)] == {str(path)} or {
        str(Path(p).resolve()) for p in new[str(settings.PRIVATE_MEDIA_ROOT)]
    } == {str(path)}
    assert not os.path.exists("/etc/passwd.jpg")


def test_a_photo_with_a_script_inside_is_stored_and_served_as_an_inert_photo(
    world, as_persona, task_lesson, storage_roots
):
    """A real JPEG with PHP appended, named shell.php.jpg: a photo by content, so accepted, but
    stored as .jpg under a random name and served with nosniff and a sandboxing CSP."""
    from courses.models import SubmissionFile

    client = as_persona("trainee_b")
    response = send(client, task_lesson, "shell.php.jpg", payloads.JPEG + payloads.PHP)
    assert response.status_code == 302
    stored = SubmissionFile.objects.get(submission__lesson=task_lesson)
    assert stored.file.name.endswith(".jpg") and "php" not in stored.file.name
    served = client.get(reverse("courses:submission_file", args=[stored.pk]))
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served["Content-Security-Policy"]
    assert "php" not in served.get("Content-Disposition", "")
    assert b"".join(served.streaming_content).startswith(payloads.JPEG[:4])  # read, not close(): see test_other_people
