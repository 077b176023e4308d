"""Every kind of lesson page, signed in, passes axe and the Nu HTML checker (issue 19): a lesson
with a multiple-choice and a single-choice quiz (a fieldset with a legend per question, never a
label inside a label), a lesson with a practical task (the upload has a label), a plain lesson
(its finish button) whose body holds every kind of block the office can put in a lesson (text,
an image, a video, a document, a tip and steps: the demo's own media), and the mentor's page of
the trainee with its lesson table.

The checks are those of `make audit-pages` (scripts/audit_pages.py: axe-core injected at a
phone's size, the Nu HTML checker on the HTML as served), with its tools: `npm ci` (make test runs
it when node_modules is missing or older than package-lock.json), java and Debian's Chromium. The
test fails, never skips, when they are missing: a page nobody checks is not a page that passes."""

import importlib.util
from pathlib import Path

import pytest

from django.db import connections
from django.test import Client

from courses import demo_media, services
from mentors.models import MentorAssignment
from tests.courses.factories import answers_for
from tests.factories import MentorFactory, TraineeFactory
from tests.pages_factories import CoursePageFactory, LessonPageFactory, course_catalogue, home_page, quiz_question
from tests.support.browser import PHONE

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "audit_pages.py"
spec = importlib.util.spec_from_file_location("audit_pages", SCRIPT)
audit_pages = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit_pages)

pytestmark = pytest.mark.browser


def lesson_pages():
    home_page()
    course = CoursePageFactory(parent=course_catalogue(), title="脐橙包装与发货")
    quiz = LessonPageFactory(
        parent=course,
        title="包装小测验",
        quiz=[
            quiz_question(
                "哪些做法能减少磕碰？", multiple=True, choices=(("网套", True), ("隔板", True), ("堆放", False))
            ),
            quiz_question("快递箱应该怎么封？"),
        ],
        quiz_max_attempts=3,
    )
    task = LessonPageFactory(parent=course, title="拍一张商品照片", task="<p>上传两张照片。</p>")
    video = demo_media.ensure_video()
    assert video is not None, "the lesson video needs ffmpeg (apt-get install ffmpeg; make test installs it)"
    plain = LessonPageFactory(
        parent=course,
        title="看懂订单",
        body=[
            ("text", "<p>订单里有买家地址和备注。</p>"),
            ("image", {"image": demo_media.ensure_image("demo-packed-box"), "caption": "装好的一箱", "alt_text": ""}),
            ("video", {"video": video, "caption": demo_media.VIDEO_TITLE}),
            ("document", {"document": demo_media.ensure_checklist(), "label": ""}),
            ("callout", {"kind": "tip", "text": "<p>发货前核对地址。</p>"}),
            ("steps", {"title": "发货三步", "steps": ["打印面单", "装箱", "交给快递"]}),
        ],
    )
    trainee, mentor = TraineeFactory(real_name="向阿香"), MentorFactory(real_name="田老师")
    services.enroll(user=trainee, course=course)
    services.submit_quiz(user=trainee, lesson=quiz, answers=answers_for(quiz, right=False))
    MentorAssignment.objects.create(mentor=mentor, trainee=trainee)
    return trainee, mentor, {"quiz": quiz.url, "task": task.url, "plain": plain.url}


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def phone_widths(browser, base: str, path: str, cookie: str) -> dict:
    context = browser.new_context(**PHONE)
    try:
        name, value = cookie.split("=", 1)
        context.add_cookies([{"name": name, "value": value, "url": base}])
        tab = context.new_page()
        tab.goto(base + path, wait_until="load")
        return tab.evaluate(
            """() => {
                const row = document.querySelector('table.stack-table tbody tr');
                const cell = row.querySelector('td[data-label]');
                return {page: document.documentElement.scrollWidth, row: getComputedStyle(row).display,
                        labels: getComputedStyle(cell, '::before').content.includes(cell.dataset.label)};
            }"""
        )
    finally:
        context.close()


@pytest.mark.django_db(transaction=True)
def test_lesson_quiz_task_and_mentor_pages_pass_axe_and_the_html_checker(chromium, live_server, tmp_path):
    missing = audit_pages.missing_tools(lighthouse=False)
    assert not missing, "the page checks need: " + "; ".join(missing)
    trainee, mentor, lessons = lesson_pages()
    pages = [(trainee, key, path) for key, path in lessons.items()]
    pages.append((mentor, "mentor-trainee", f"/mentor/trainees/{trainee.pk}/"))

    files, violations = [], {}
    try:
        for person, key, path in pages:
            client = Client()
            client.force_login(person)
            response = client.get(path)
            assert response.status_code == 200, path
            html = response.content.decode()
            if key == "quiz":
                assert "<fieldset" in html and "<legend" in html
            if key == "task":
                assert '<label for="id_files"' in html
            if key == "plain":
                assert all(tag in html for tag in ("<picture", "<video", "lesson-document", "<ol"))
            file = tmp_path / f"{key}.html"
            file.write_text(html, encoding="utf-8")
            files.append(file)
            found = audit_pages.axe_page(chromium, live_server.url, path, session_cookie(person))
            if found:
                violations[key] = found
        widths = phone_widths(chromium, live_server.url, f"/mentor/trainees/{trainee.pk}/", session_cookie(mentor))
    finally:
        connections.close_all()
    assert violations == {}
    # The mentor's lesson table reads at 360 px: nothing wider than the screen, a row per lesson
    # stacked as a block with each cell's label.
    assert widths == {"page": 360, "row": "block", "labels": True}, widths
    assert {key: errors for key, errors in audit_pages.vnu(files).items() if errors} == {}
