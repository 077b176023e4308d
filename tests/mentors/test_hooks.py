"""What mentors offers other apps and /me/: trainee-page panels, me sections, the submission hook."""

import pytest

from django.test import RequestFactory
from django.urls import reverse

from wagtail import hooks

from core.me import sections_for
from courses.models import TaskSubmission
from tests.factories import TraineeFactory
from tests.pages_factories import course_with_lessons

from .factories import assign, lessons_of, make_mentor

pytestmark = pytest.mark.django_db


def test_other_apps_can_add_panels_to_the_trainee_page(client):
    mentor, trainee = make_mentor(), TraineeFactory()
    assign(mentor, trainee)
    seen = []

    def sales_panel(request, person):
        seen.append(person.pk)
        return ("mentors/_nav.html", {"tab": "trainees"})

    def nothing(request, person):
        return None

    client.force_login(mentor)
    with hooks.register_temporarily([("mentors_trainee_panels", sales_panel), ("mentors_trainee_panels", nothing)]):
        page = client.get(reverse("mentors:trainee", args=[trainee.pk])).content.decode()
    assert seen == [trainee.pk]
    assert page.count('class="mentor-tabs"') == 2


def test_me_sections_for_mentor_and_trainee():
    mentor, trainee = make_mentor(), TraineeFactory()
    assign(mentor, trainee)
    request = RequestFactory().get("/me/")
    request.user = mentor
    assert "导师工作台" in [s.title for s in sections_for(request)]
    request.user = trainee
    titles = [s.title for s in sections_for(request)]
    assert "我的导师" in titles and "导师工作台" not in titles


def test_submission_hook_allows_the_current_mentor_only():
    from courses.views import can_view_submission

    mentor, former, stranger = make_mentor(), make_mentor(), make_mentor()
    trainee = TraineeFactory()
    assign(former, trainee, days_ago=10, ended_days_ago=3)
    assign(mentor, trainee)
    lesson = lessons_of(course_with_lessons(lessons=1))[0]
    from django.utils import timezone

    submission = TaskSubmission.objects.create(user=trainee, lesson=lesson, submitted_at=timezone.now())
    assert can_view_submission(mentor, submission)
    assert not can_view_submission(former, submission)  # the assignment ended: no more of their work
    assert not can_view_submission(stranger, submission)
