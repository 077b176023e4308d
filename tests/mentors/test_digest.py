"""The daily digest: pending reviews and at-risk trainees, once per mentor and day."""

from datetime import date, timedelta

import pytest

from django.utils import timezone

from core.models import Notification
from courses.models import TaskSubmission
from mentors import tasks
from tests.factories import TraineeFactory
from tests.pages_factories import course_with_lessons

from .factories import assign, enroll, lessons_of, make_mentor

pytestmark = pytest.mark.django_db


def test_digest_once_per_day_even_when_run_twice(django_capture_on_commit_callbacks):
    mentor, quiet = make_mentor(), make_mentor()
    course = course_with_lessons(lessons=1)
    busy = TraineeFactory(real_name="王小二")
    assign(mentor, busy)
    enroll(busy, course)
    TaskSubmission.objects.create(user=busy, lesson=lessons_of(course)[0], submitted_at=timezone.now())
    idle = TraineeFactory(real_name="李四")
    assign(mentor, idle, days_ago=20)
    assign(quiet, TraineeFactory())  # active today, nothing pending: no digest

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_daily_digests.delay().get() == 1
        assert tasks.send_daily_digests.delay().get() == 0

    digest = Notification.objects.get(kind="mentor-digest")
    assert digest.recipient == mentor
    assert digest.title == "今日导师提醒"
    assert digest.dedupe_key == f"mentor-digest:{mentor.pk}:{timezone.localdate().isoformat()}"
    assert "待您批阅的作业：1 份" in digest.body
    assert "李四：分配后 20 天没有任何学习活动" in digest.body
    assert "王小二" not in digest.body
    assert not Notification.objects.filter(recipient=quiet).exists()


def test_a_new_day_gets_a_new_digest():
    mentor = make_mentor()
    assign(mentor, days_ago=30)
    today = timezone.localdate()
    assert tasks.send_daily_digests(day=today.isoformat()) == 1
    assert tasks.send_daily_digests(day=(today + timedelta(days=1)).isoformat()) == 1
    assert tasks.send_daily_digests(day=(today + timedelta(days=1)).isoformat()) == 0
    assert Notification.objects.filter(recipient=mentor, kind="mentor-digest").count() == 2


def test_inactive_mentors_get_no_digest():
    mentor = make_mentor(is_active=False)
    assign(mentor, days_ago=30)
    assert tasks.send_daily_digests(day=date(2026, 1, 5).isoformat()) == 0
