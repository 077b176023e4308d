"""Every kind of lesson page, signed in, passes axe and the Nu HTML checker (issue 19): a lesson
with a multiple-choice and a single-choice quiz (a fieldset with a legend per question, never a
label inside a label), a lesson with a practical task (the upload has a label), a plain lesson
(its finish button), and the mentor's page of the trainee with its lesson table.

Needs the audit tools of `make audit-pages` (`npm ci`: axe-core and vnu-jar), java and Debian's
Chromium; skipped without them."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from django.db import connections
from django.test import Client

from courses import services
from mentors.models import MentorAssignment
from tests.courses.factories import answers_for
from tests.factories import MentorFactory, TraineeFactory
from tests.pages_factories import CoursePageFactory, LessonPageFactory, course_catalogue, home_page, quiz_question
from tests.support.browser import PHONE

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (AXE.exists() and VNU.exists()), reason="the audit tools are not installed (npm ci)"),
    pytest.mark.skipif(shutil.which("java") is None, reason="java is not installed (the Nu HTML checker)"),
]


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
    plain = LessonPageFactory(parent=course, title="看懂订单")
    trainee, mentor = TraineeFactory(real_name="向阿香"), MentorFactory(real_name="田老师")
    services.enroll(user=trainee, course=course)
    services.submit_quiz(user=trainee, lesson=quiz, answers=answers_for(quiz, right=False))
    MentorAssignment.objects.create(mentor=mentor, trainee=trainee)
    return trainee, mentor, {"quiz": quiz.url, "task": task.url, "plain": plain.url}


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def axe(browser, base: str, cookie: str, path: str) -> list[dict]:
    # axe is injected as a script: the site's Content-Security-Policy would refuse it.
    context = browser.new_context(**PHONE, bypass_csp=True)
    context.add_cookies([{"name": "sessionid", "value": cookie, "url": base}])
    try:
        tab = context.new_page()
        tab.goto(base + path, wait_until="load")
        tab.add_script_tag(path=str(AXE))
        return tab.evaluate(
            "axe.run(document).then(r => r.violations.map(v => ({id: v.id, impact: v.impact,"
            " target: v.nodes[0] && v.nodes[0].target.join(' ')})))"
        )
    finally:
        context.close()


def html_errors(files: list[Path]) -> list[str]:
    result = subprocess.run(  # noqa: S603 (the project's own checker, on files of this test)
        ["java", "-jar", str(VNU), "--format", "json", "--exit-zero-always", *map(str, files)],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    return [
        f"{Path(m.get('url', '')).name} line {m.get('lastLine', '?')}: {m['message']}"
        for m in messages
        if m.get("type") == "error" or m.get("subType") == "fatal"
    ]


@pytest.mark.django_db(transaction=True)
def test_lesson_quiz_task_and_mentor_pages_pass_axe_and_the_html_checker(chromium, live_server, tmp_path):
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
            file = tmp_path / f"{key}.html"
            file.write_text(html, encoding="utf-8")
            files.append(file)
            found = axe(chromium, live_server.url, session_cookie(person), path)
            if found:
                violations[key] = found
    finally:
        connections.close_all()
    assert violations == {}
    assert html_errors(files) == []
