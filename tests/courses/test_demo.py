"""The demo catalogue and learners: six courses, people at every stage, and no duplicates."""

import pytest

from core import demo as core_demo
from courses import demo
from courses.models import CoursePage, Enrollment, LessonPage, QuizAttempt, TaskSubmission
from tests.pages_factories import home_page

pytestmark = pytest.mark.django_db


def counts():
    return tuple(m.objects.count() for m in (CoursePage, LessonPage, Enrollment, QuizAttempt, TaskSubmission))


def test_demo_seed_is_complete_and_idempotent():
    core_demo.seed()
    home = home_page()
    demo.seed(home)
    first = counts()
    demo.seed(home)
    assert counts() == first
    assert CoursePage.objects.live().count() >= 6
    assert all(4 <= c.live_lesson_count <= 8 and c.title_en and c.summary_en for c in CoursePage.objects.all())
    trainee = Enrollment.objects.filter(user__email="trainee@demo.local")
    assert trainee.exists() and not trainee.filter(completed_at__isnull=False).exists()
    assert TaskSubmission.objects.filter(user__email="trainee@demo.local", status="changes_requested").exists()
    assert QuizAttempt.objects.filter(user__email="trainee@demo.local", passed=False).exists()
    merchant = Enrollment.objects.filter(user__email="merchant@demo.local")
    assert merchant.count() == 6 and not merchant.filter(completed_at__isnull=True).exists()
    assert Enrollment.objects.filter(user__email__startswith="trainee0").values("user").distinct().count() >= 7
