"""The office's per-course figures in the Wagtail admin and their CSV export."""

import csv
import io

import pytest

from courses import reports, services
from tests.courses.factories import answers_for
from tests.factories import OfficeFactory, TraineeFactory
from tests.pages_factories import CoursePageFactory, LessonPageFactory, quiz_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def course_with_learners(catalogue):
    course = CoursePageFactory(parent=catalogue, title="淘宝开店")
    easy = quiz_question("容易的题")
    hard = quiz_question("很难的题")
    lesson = LessonPageFactory(parent=course, quiz=[easy, hard], quiz_pass_percent=100)
    finished, stuck, idle = TraineeFactory(), TraineeFactory(), TraineeFactory()
    for person in (finished, stuck, idle):
        services.enroll(user=person, course=course)
    easy_key, hard_key = (q["key"] for q in lesson.questions)
    right, wrong = answers_for(lesson), answers_for(lesson, right=False)
    # Both get the easy one right at the first attempt and the hard one wrong.
    first = {easy_key: right[easy_key], hard_key: wrong[hard_key]}
    services.open_lesson(user=finished, lesson=lesson)
    services.submit_quiz(user=finished, lesson=lesson, answers=first)
    services.submit_quiz(user=finished, lesson=lesson, answers=right)
    services.open_lesson(user=stuck, lesson=lesson)
    services.submit_quiz(user=stuck, lesson=lesson, answers=first)
    return course


def test_course_figures(course_with_learners):
    [figures] = reports.course_figures(courses=[course_with_learners])
    assert (figures.enrolled, figures.completed, figures.in_progress, figures.not_started) == (3, 1, 2, 1)
    assert figures.completion_rate == 33
    assert figures.average_quiz_score == round((50 + 100 + 50) / 3)
    hardest = reports.hardest_questions(course=course_with_learners)
    assert [(q.text, q.correct_rate) for q in hardest] == [("很难的题", 0), ("容易的题", 100)]


def test_office_sees_the_report_and_downloads_csv(client, course_with_learners):
    client.force_login(OfficeFactory())
    page = client.get("/admin/courses/figures/").content.decode()
    assert "淘宝开店" in page and "33%" in page
    response = client.get("/admin/courses/figures/?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["课程", "已发布课时", "报名"]
    assert rows[1][0] == "淘宝开店" and rows[1][2] == "3"
    detail = client.get(f"/admin/courses/figures/{course_with_learners.pk}/").content.decode()
    assert "很难的题" in detail
    detail_csv = client.get(f"/admin/courses/figures/{course_with_learners.pk}/?format=csv").content.decode("utf-8-sig")
    assert "很难的题" in detail_csv


def test_trainees_cannot_see_the_report(client, course_with_learners):
    client.force_login(TraineeFactory())
    assert client.get("/admin/courses/figures/").status_code == 302  # no admin access: Wagtail sends them to its login
