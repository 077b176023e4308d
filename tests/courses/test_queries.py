"""Each learning page runs a fixed number of queries, whatever the number of courses, lessons
or enrolments (the numbers are pinned; a change that adds one per row fails here)."""

import pytest

from django.db import connection

from courses import services
from tests.courses.factories import answers_for, jpeg, make_category
from tests.factories import MentorFactory, TraineeFactory
from tests.pages_factories import CoursePageFactory, LessonPageFactory, quiz_question

pytestmark = pytest.mark.django_db

# Steady-state counts for a signed-in trainee (session, site, page route... included; the person
# with their roles, unread badge and permissions, read from the database on every request since
# issue 13, in one query with their row since issue 18: core/backends.py, core/person.py).
CATALOGUE_QUERIES = 11
COURSE_QUERIES = 8
# Recording the visit is a transaction whose savepoint statements vary by one with the backend and
# the order tests run in: the lesson page is pinned as an upper bound, and checked not to grow.
# 7 for a lesson read again (tests/courses/test_lesson_body.py); here 3 more: the submission's
# files and history, and the answers of the last quiz attempt.
LESSON_QUERIES = 10
# My learning's rows are one query (courses.selectors.learning_rows: the enrolments with their
# courses, each course's live lessons and the person's completed ones folded in), then the tasks
# open and the latest quiz results.
MY_LEARNING_QUERIES = 5
HOME_SECTION_QUERIES = 5


def grow(catalogue, trainee, *, courses: int, lessons: int):
    """Add courses with lessons, quizzes and tasks, with the trainee enrolled and part-way."""
    category = make_category()
    made = []
    for _ in range(courses):
        course = CoursePageFactory(parent=catalogue, category=category)
        services.enroll(user=trainee, course=course)
        made_lessons = [
            LessonPageFactory(
                parent=course,
                quiz=[quiz_question()] if number % 2 else [],
                task="<p>任务</p>" if number == lessons - 1 else "",
            )
            for number in range(lessons)
        ]
        for lesson in made_lessons:
            services.open_lesson(user=trainee, lesson=lesson)
            if lesson.has_quiz:
                services.submit_quiz(user=trainee, lesson=lesson, answers=answers_for(lesson, right=False))
        made.append(course)
    services.submit_task(user=trainee, lesson=lesson, text="作业")
    return made


def measure(client, url, django_assert_num_queries, expected):
    client.get(url)  # the first visit records that the lesson was opened
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    return response


def measure_at_most(client, url, most):
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    assert len(captured.captured_queries) <= most
    return len(captured.captured_queries)


@pytest.fixture
def trainee(client):
    person = TraineeFactory()
    client.force_login(person)
    return person


def test_catalogue_queries_do_not_grow(client, catalogue, trainee, django_assert_num_queries):
    grow(catalogue, trainee, courses=2, lessons=2)
    measure(client, "/courses/", django_assert_num_queries, CATALOGUE_QUERIES)
    grow(catalogue, trainee, courses=4, lessons=3)
    page = measure(client, "/courses/", django_assert_num_queries, CATALOGUE_QUERIES).content.decode()
    assert page.count('class="progress"') == 6


def test_anonymous_catalogue_is_cheap(client, catalogue, django_assert_num_queries):
    for _ in range(5):
        LessonPageFactory(parent=CoursePageFactory(parent=catalogue))
    client.logout()
    with django_assert_num_queries(8):
        client.get("/courses/")


def test_course_page_queries_do_not_grow(client, catalogue, trainee, django_assert_num_queries):
    [course] = grow(catalogue, trainee, courses=1, lessons=2)
    measure(client, course.url, django_assert_num_queries, COURSE_QUERIES)
    for _ in range(5):
        LessonPageFactory(parent=course, quiz=[quiz_question()], task="<p>任务</p>")
    grow(catalogue, trainee, courses=2, lessons=2)
    measure(client, course.url, django_assert_num_queries, COURSE_QUERIES)


def test_lesson_page_queries_do_not_grow(client, catalogue, trainee, django_assert_num_queries):
    [course] = grow(catalogue, trainee, courses=1, lessons=3)
    lesson = LessonPageFactory(parent=course, quiz=[quiz_question(), quiz_question("第二题")], task="<p>上传照片</p>")
    services.open_lesson(user=trainee, lesson=lesson)
    services.submit_quiz(user=trainee, lesson=lesson, answers=answers_for(lesson, right=False))
    submission = services.submit_task(user=trainee, lesson=lesson, text="作业", files=[jpeg()])
    before = measure_at_most(client, lesson.url, LESSON_QUERIES)
    for _ in range(6):
        LessonPageFactory(parent=course)
    services.submit_quiz(user=trainee, lesson=lesson, answers=answers_for(lesson, right=False))
    services.review_submission(submission=submission, reviewer=MentorFactory(), approve=False, feedback="再拍一张")
    services.submit_task(user=trainee, lesson=lesson, text="第二版", files=[jpeg(), jpeg()])
    grow(catalogue, trainee, courses=2, lessons=2)
    assert measure_at_most(client, lesson.url, LESSON_QUERIES) == before


def test_my_learning_queries_do_not_grow(client, catalogue, trainee, django_assert_num_queries):
    grow(catalogue, trainee, courses=1, lessons=2)
    measure(client, "/me/learning/", django_assert_num_queries, MY_LEARNING_QUERIES)
    grow(catalogue, trainee, courses=5, lessons=4)
    page = measure(client, "/me/learning/", django_assert_num_queries, MY_LEARNING_QUERIES).content.decode()
    assert page.count('class="progress"') == 6


def test_home_section_queries_do_not_grow(rf, catalogue, trainee, django_assert_num_queries):
    """Only the courses block of the home page: the rest belongs to other apps."""
    from django.template.loader import render_to_string

    from courses.wagtail_hooks import home_courses_section

    def render():
        request = rf.get("/")
        request.user = trainee
        section = home_courses_section(request)
        return render_to_string(section.template, {"section": section.context, "request": request})

    grow(catalogue, trainee, courses=1, lessons=2)
    render()  # warm the per-process caches (site root paths), as a running server has them
    with django_assert_num_queries(HOME_SECTION_QUERIES):
        first = render()
    assert "从上次停下的地方继续" in first
    grow(catalogue, trainee, courses=5, lessons=3)
    with django_assert_num_queries(HOME_SECTION_QUERIES):
        assert render().count("course-card") == 4
