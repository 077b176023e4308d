"""Reviews of practical tasks by the trainee's mentor: state changes, notifications, refusals."""

import pytest

from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import Notification
from courses.models import LessonProgress, TaskSubmission
from mentors.services.reviews import review_submission
from tests.factories import TraineeFactory
from tests.pages_factories import course_with_lessons

from .factories import assign, enroll, lessons_of, make_mentor, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def work():
    mentor = make_mentor()
    trainee = TraineeFactory()
    assign(mentor, trainee)
    course = course_with_lessons(lessons=2)
    enroll(trainee, course)
    lessons = lessons_of(course)
    return mentor, trainee, lessons, submit(trainee, lessons[0])


def test_approval_completes_the_lesson_and_notifies(work, django_capture_on_commit_callbacks):
    mentor, trainee, lessons, submission = work
    with django_capture_on_commit_callbacks(execute=True):
        review_submission(mentor=mentor, submission=submission, approve=True, feedback="很好")
    submission.refresh_from_db()
    assert submission.status == TaskSubmission.Status.APPROVED
    assert submission.reviewer == mentor and submission.feedback == "很好"
    assert LessonProgress.objects.get(user=trainee, lesson=lessons[0]).completed_at is not None
    assert Notification.objects.filter(recipient=trainee, kind="task-reviewed").count() == 1


def test_changes_requested_with_feedback(work):
    mentor, trainee, _lessons, submission = work
    review_submission(mentor=mentor, submission=submission, approve=False, feedback="主图太暗")
    submission.refresh_from_db()
    assert submission.status == TaskSubmission.Status.CHANGES_REQUESTED
    assert [e.kind for e in submission.events.all()] == ["submitted", "changes_requested"]
    notification = Notification.objects.get(recipient=trainee, kind="task-reviewed")
    assert notification.body == "主图太暗"


def test_changes_need_feedback(work):
    mentor, _trainee, _lessons, submission = work
    with pytest.raises(ValidationError) as error:
        review_submission(mentor=mentor, submission=submission, approve=False, feedback="  ")
    assert error.value.message_dict == {"feedback": ["请写明学员需要修改的地方。"]}


@pytest.mark.parametrize("who", ["former", "other", "trainee"])
def test_only_the_current_mentor_may_review(work, who):
    mentor, trainee, _lessons, submission = work
    if who == "former":
        reviewer = mentor
        from mentors.models import MentorAssignment

        MentorAssignment.objects.filter(trainee=trainee).delete()
        assign(mentor, trainee, days_ago=5, ended_days_ago=1)
        assign(make_mentor(), trainee)
    elif who == "other":
        reviewer = make_mentor()
    else:
        reviewer = trainee
    with pytest.raises(ValidationError) as error:
        review_submission(mentor=reviewer, submission=submission, approve=True, feedback="")
    assert error.value.messages == ["您不是该学员的当前导师。"]
    submission.refresh_from_db()
    assert submission.status == TaskSubmission.Status.SUBMITTED


def test_review_form_keeps_the_text_and_moves_to_the_next(client, work):
    mentor, trainee, lessons, submission = work
    second = submit(trainee, lessons[1])
    client.force_login(mentor)
    url = reverse("mentors:submission", args=[submission.pk])

    bad = client.post(url, {"decision": "changes", "feedback": ""})
    assert bad.status_code == 200
    assert "请写明学员需要修改的地方。" in bad.content.decode()

    response = client.post(url, {"decision": "approve", "feedback": "不错"})
    assert response.status_code == 302 and response["Location"] == reverse("mentors:submission", args=[second.pk])
    response = client.post(
        reverse("mentors:submission", args=[second.pk]), {"decision": "changes", "feedback": "再拍清楚些"}
    )
    assert response["Location"] == reverse("mentors:reviews")
    second.refresh_from_db()
    assert second.status == TaskSubmission.Status.CHANGES_REQUESTED and second.feedback == "再拍清楚些"


def test_reviewing_twice_is_refused(client, work):
    mentor, _trainee, _lessons, submission = work
    review_submission(mentor=mentor, submission=submission, approve=True, feedback="")
    with pytest.raises(ValidationError):
        review_submission(mentor=mentor, submission=submission, approve=False, feedback="改")
    client.force_login(mentor)
    page = client.get(reverse("mentors:submission", args=[submission.pk]))
    assert page.context["form"] is None
