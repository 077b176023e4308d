"""Quizzes are graded on the server, attempts are stored, and tampered posts are refused."""

import re

import pytest

from django.core.exceptions import ValidationError

from courses import services
from courses.models import LessonProgress, QuizAnswer, QuizAttempt
from tests.courses.factories import answers_for
from tests.factories import TraineeFactory
from tests.pages_factories import CoursePageFactory, LessonPageFactory, quiz_question

pytestmark = pytest.mark.django_db

MULTI = quiz_question(
    "哪些属于一单的成本？", multiple=True, choices=(("包装", True), ("快递", True), ("顾客的心情", False))
)


@pytest.fixture
def setup(catalogue):
    course = CoursePageFactory(parent=catalogue)
    lesson = LessonPageFactory(parent=course, quiz=[quiz_question(), MULTI], quiz_pass_percent=100, quiz_max_attempts=2)
    trainee = TraineeFactory()
    services.enroll(user=trainee, course=course)
    return trainee, lesson


def test_right_answers_pass_and_the_attempt_is_stored_with_its_answers(setup):
    trainee, lesson = setup
    attempt = services.submit_quiz(user=trainee, lesson=lesson, answers=answers_for(lesson))
    assert (attempt.number, attempt.score, attempt.passed, attempt.correct_count) == (1, 100, True, 2)
    assert QuizAnswer.objects.filter(attempt=attempt, correct=True).count() == 2
    assert LessonProgress.objects.get(user=trainee, lesson=lesson).completed_at is not None


def test_multiple_choice_needs_every_right_answer_and_no_wrong_one(setup):
    trainee, lesson = setup
    answers = answers_for(lesson)
    multi = lesson.questions[1]
    answers[multi["key"]] = [multi["choices"][0]["key"]]  # only one of the two right answers
    attempt = services.submit_quiz(user=trainee, lesson=lesson, answers=answers)
    assert (attempt.score, attempt.passed) == (50, False)
    assert LessonProgress.objects.get(user=trainee, lesson=lesson).completed_at is None


def test_retry_rule_limits_attempts_and_passing_ends_them(setup):
    trainee, lesson = setup
    services.submit_quiz(user=trainee, lesson=lesson, answers=answers_for(lesson, right=False))
    services.submit_quiz(user=trainee, lesson=lesson, answers=answers_for(lesson, right=False))
    with pytest.raises(ValidationError) as error:
        services.submit_quiz(user=trainee, lesson=lesson, answers=answers_for(lesson))
    assert error.value.messages == ["你已经用完了这个测验的全部 2 次机会。请向你的导师求助。"]
    assert QuizAttempt.objects.filter(user=trainee).count() == 2


def test_a_passed_quiz_cannot_be_taken_again(setup):
    trainee, lesson = setup
    services.submit_quiz(user=trainee, lesson=lesson, answers=answers_for(lesson))
    with pytest.raises(ValidationError) as error:
        services.submit_quiz(user=trainee, lesson=lesson, answers=answers_for(lesson))
    assert error.value.messages == ["你已经通过了这个测验。"]


@pytest.mark.parametrize(
    "tamper",
    ["unknown_question", "unknown_choice", "two_answers_to_single_choice", "duplicate_choice"],
)
def test_tampered_answers_are_refused_and_nothing_is_stored(setup, tamper):
    trainee, lesson = setup
    answers = answers_for(lesson)
    single, multi = lesson.questions
    if tamper == "unknown_question":
        answers["not-a-question"] = ["x"]
    elif tamper == "unknown_choice":
        answers[single["key"]] = ["forged-choice"]
    elif tamper == "two_answers_to_single_choice":
        answers[single["key"]] = [c["key"] for c in single["choices"]]
    else:
        answers[multi["key"]] = [multi["choices"][0]["key"]] * 2
    with pytest.raises(ValidationError) as error:
        services.submit_quiz(user=trainee, lesson=lesson, answers=answers)
    assert error.value.messages == ["你的答案和这个测验对不上，测验可能刚刚修改过。请刷新页面后重新作答。"]
    assert not QuizAttempt.objects.exists()


def test_someone_not_enrolled_cannot_answer(setup):
    _trainee, lesson = setup
    with pytest.raises(ValidationError) as error:
        services.submit_quiz(user=TraineeFactory(), lesson=lesson, answers=answers_for(lesson))
    assert error.value.messages == ["请先报名这门课程。"]


def test_right_answers_never_reach_the_browser_before_answering(client, setup):
    trainee, lesson = setup
    client.force_login(trainee)
    page = client.get(lesson.url).content.decode()
    assert "用网套和隔板" in page  # the choices are shown...
    assert 'status-ok">正确答案' not in page and "果子在箱内晃动会碰伤" not in page  # ...but not which is right
    assert "correct" not in page


def test_quiz_posted_through_the_page_with_a_forged_choice_gets_a_clear_message(client, setup):
    trainee, lesson = setup
    client.force_login(trainee)
    single, multi = lesson.questions
    response = client.post(
        lesson.url,
        {"action": "quiz", f"q_{single['key']}": "forged", f"q_{multi['key']}": [multi["choices"][0]["key"]]},
    )
    assert response.status_code == 400
    assert "这个答案不在选项中" in response.content.decode()
    assert not QuizAttempt.objects.exists()


def test_quiz_with_a_missing_answer_keeps_the_given_answers(client, setup):
    trainee, lesson = setup
    client.force_login(trainee)
    single, multi = lesson.questions
    right = single["choices"][0]["key"]
    response = client.post(lesson.url, {"action": "quiz", f"q_{single['key']}": right})
    page = response.content.decode()
    assert response.status_code == 400
    assert "请回答这道题。" in page
    assert re.search(rf'<input[^>]*value="{right}"[^>]*checked', page)
    assert not QuizAttempt.objects.exists()


def test_quiz_through_the_page_grades_and_then_explains(client, setup):
    trainee, lesson = setup
    client.force_login(trainee)
    answers = answers_for(lesson)
    response = client.post(
        lesson.url, {"action": "quiz", **{f"q_{key}": value for key, value in answers.items()}}, follow=True
    )
    page = response.content.decode()
    assert "你通过了，得分 100%。" in page
    assert "果子在箱内晃动会碰伤" in page  # explanations after answering
