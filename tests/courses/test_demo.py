"""The demo catalogue and learners: six courses, people at every stage, and no duplicates."""

import pytest

from courses import demo
from courses.models import CoursePage, Enrollment, LessonPage, QuizAttempt, TaskSubmission
from tests.pages_factories import home_page

pytestmark = pytest.mark.django_db


def counts():
    return tuple(m.objects.count() for m in (CoursePage, LessonPage, Enrollment, QuizAttempt, TaskSubmission))


def test_demo_seed_is_complete_and_idempotent(demo_county):
    home = home_page()
    first = counts()  # the demo county seeded once; seeding the courses again adds nothing
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


def test_demo_lessons_show_media_a_lesson_waits_for_review_and_quizzes_have_second_chances(demo_county):
    import shutil

    from wagtail.documents import get_document_model
    from wagtail.models import WorkflowState
    from wagtailmedia.models import get_media_model

    from core import roles
    from core.models import ChangeRecord
    from courses import selectors
    from courses.models import LessonProgress

    demo.seed(home_page())  # a second time: the media are still there once

    packing = LessonPage.objects.get(slug="packing-oranges")
    kinds = [block.block_type for block in packing.body]
    assert "image" in kinds and "document" in kinds
    image = next(block.value["image"] for block in packing.body if block.block_type == "image")
    assert image.width == 960 and image.file.size > 1000  # a real picture, drawn at seed time
    document = get_document_model().objects.get(title="脐橙发货检查清单")
    with document.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    if shutil.which("ffmpeg"):
        assert "video" in kinds
        video = get_media_model().objects.get(title="装箱演示：一格一个果")
        assert video.type == "video" and video.file.size > 1000
    assert LessonPage.objects.get(slug="composition-with-a-phone").body[1].block_type == "image"
    assert sum(1 for block in packing.body if block.block_type == "image") == 1  # once, however often seeded

    waiting = LessonPage.objects.get(slug="labels-for-vacuum-packs")
    assert not waiting.live
    state = WorkflowState.objects.for_instance(waiting).get()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    editor = state.requested_by
    assert roles.has_role(editor, roles.COURSE_EDITOR) and roles.has_role(editor, roles.MENTOR)
    assert not waiting.permissions_for_user(editor).can_publish()

    stuck = [row.user.email for row in selectors.out_of_attempts()]
    assert "trainee01@demo.local" in stuck
    given = LessonProgress.objects.get(user__email="trainee07@demo.local", lesson__slug="handling-bad-reviews")
    assert given.extra_quiz_attempts == 1 and given.completed_at is not None
    assert ChangeRecord.objects.for_object(given).count() == 1
