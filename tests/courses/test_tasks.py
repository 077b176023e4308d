"""Practical tasks: submitting, the review cycle, file checks and private serving."""

import pytest

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail import hooks

from courses import services
from courses.models import SubmissionEvent, SubmissionFile, TaskSubmission
from tests.courses.factories import jpeg, pdf
from tests.factories import MentorFactory, OfficeFactory, TraineeFactory
from tests.pages_factories import CoursePageFactory, LessonPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def task_lesson(catalogue):
    course = CoursePageFactory(parent=catalogue)
    lesson = LessonPageFactory(parent=course, task="<p>拍两张白底脐橙照片</p>", task_min_files=2)
    trainee = TraineeFactory()
    services.enroll(user=trainee, course=course)
    return trainee, lesson


def messages_of(error: ValidationError) -> list[str]:
    return error.messages


def test_review_cycle_keeps_the_whole_history(task_lesson):
    trainee, lesson = task_lesson
    mentor = MentorFactory()
    submission = services.submit_task(user=trainee, lesson=lesson, text="第一版", files=[jpeg(), jpeg("b.png.jpg")])
    assert submission.status == TaskSubmission.Status.SUBMITTED
    with pytest.raises(ValidationError) as error:
        services.submit_task(user=trainee, lesson=lesson, text="又交一次")
    assert messages_of(error.value) == ["你的作业正在等待导师检查，导师回复后才能再提交修改。"]

    with pytest.raises(ValidationError) as error:
        services.review_submission(submission=submission, reviewer=mentor, approve=False, feedback=" ")
    assert messages_of(error.value) == ["请写明需要修改什么，让学员知道怎么做。"]
    services.review_submission(submission=submission, reviewer=mentor, approve=False, feedback="第二张太暗")
    assert trainee.notifications.filter(kind="task-reviewed").count() == 1

    again = services.submit_task(user=trainee, lesson=lesson, text="第二版", files=[jpeg("c.jpg")])
    assert (again.pk, again.round, again.status) == (submission.pk, 2, TaskSubmission.Status.SUBMITTED)
    services.review_submission(submission=again, reviewer=mentor, approve=True, feedback="很好")
    with pytest.raises(ValidationError) as error:
        services.review_submission(submission=again, reviewer=mentor, approve=True, feedback="")
    assert messages_of(error.value) == ["这份作业不在等待检查的状态。"]

    kinds = list(SubmissionEvent.objects.filter(submission=submission).values_list("kind", "round"))
    assert kinds == [("submitted", 1), ("changes_requested", 1), ("resubmitted", 2), ("approved", 2)]
    assert SubmissionFile.objects.filter(submission=submission).count() == 3  # nothing submitted is lost
    with pytest.raises(ValidationError) as error:
        services.submit_task(user=trainee, lesson=lesson, text="第三版")
    assert messages_of(error.value) == ["你在这个任务上的作业已经通过了。"]


def test_the_state_machine_refuses_a_jump():
    submission = TaskSubmission(status=TaskSubmission.Status.APPROVED)
    with pytest.raises(ValidationError) as error:
        services._move_submission(submission, to=TaskSubmission.Status.SUBMITTED, previous=submission.status)
    assert messages_of(error.value) == ["作业不能从“已通过”变为“等待检查”。"]


def test_submission_needs_enrolment_content_and_enough_files(task_lesson):
    trainee, lesson = task_lesson
    with pytest.raises(ValidationError) as error:
        services.submit_task(user=TraineeFactory(), lesson=lesson, text="你好")
    assert messages_of(error.value) == ["请先报名这门课程。"]
    with pytest.raises(ValidationError) as error:
        services.submit_task(user=trainee, lesson=lesson)
    assert messages_of(error.value) == ["提交前请写一段说明、贴一个链接或添加一个文件。"]
    with pytest.raises(ValidationError) as error:
        services.submit_task(user=trainee, lesson=lesson, files=[jpeg()])
    assert messages_of(error.value) == ["这个任务需要 2 个文件，你目前添加了 1 个。"]
    assert not TaskSubmission.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("empty.jpg", b""), "“empty.jpg”是空文件，请重新选择。"),
        (
            SimpleUploadedFile("notes.jpg", b"just some text, not a photo"),
            "“notes.jpg”不是照片（JPEG、PNG、WebP）、PDF 或 MP4 视频。",
        ),
        (pdf("photo.jpg"), "“photo.jpg”的内容和文件名不符：它不是真正的 .jpg 文件。"),
    ],
)
def test_files_are_checked_by_content(task_lesson, upload, message):
    trainee, lesson = task_lesson
    with pytest.raises(ValidationError) as error:
        services.submit_task(user=trainee, lesson=lesson, files=[jpeg(), upload])
    assert message in messages_of(error.value)
    assert not SubmissionFile.objects.exists()


def test_oversized_files_are_refused(task_lesson, settings):
    settings.COURSES_MAX_UPLOAD_BYTES = 500
    trainee, lesson = task_lesson
    with pytest.raises(ValidationError) as error:
        services.submit_task(user=trainee, lesson=lesson, files=[jpeg(size=(400, 400)), jpeg()])
    assert any("最大" in message and "500" in message for message in messages_of(error.value))


def test_stored_files_get_safe_random_names_outside_public_media(task_lesson, settings):
    trainee, lesson = task_lesson
    submission = services.submit_task(user=trainee, lesson=lesson, files=[jpeg("../../etc/passwd.jpg"), pdf()])
    names = [f.file.name for f in submission.files.all()]
    assert all(name.startswith(f"submissions/{trainee.pk}/") and ".." not in name for name in names)
    assert {name.rsplit(".", 1)[1] for name in names} == {"jpg", "pdf"}
    assert str(settings.MEDIA_ROOT) not in submission.files.first().file.path


@pytest.fixture
def stored_file(task_lesson):
    trainee, lesson = task_lesson
    submission = services.submit_task(user=trainee, lesson=lesson, files=[jpeg(), pdf()])
    return trainee, submission.files.first()


def test_owner_and_office_can_open_the_file(client, stored_file):
    owner, stored = stored_file
    client.force_login(owner)
    response = client.get(f"/learning/files/{stored.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(OfficeFactory())
    assert client.get(f"/learning/files/{stored.pk}/").status_code == 200


def test_other_trainee_gets_404_and_anonymous_goes_to_login(client, stored_file):
    _owner, stored = stored_file
    response = client.get(f"/learning/files/{stored.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(TraineeFactory())
    assert client.get(f"/learning/files/{stored.pk}/").status_code == 404
    assert client.get("/learning/files/999999/").status_code == 404


def test_a_hook_lets_a_higher_app_allow_its_people(client, stored_file):
    _owner, stored = stored_file
    mentor = MentorFactory()
    client.force_login(mentor)
    with hooks.register_temporarily("courses_can_view_submission", lambda user, submission: user.pk == mentor.pk):
        assert client.get(f"/learning/files/{stored.pk}/").status_code == 200


def test_task_form_on_the_lesson_page_keeps_what_was_typed(client, task_lesson):
    trainee, lesson = task_lesson
    client.force_login(trainee)
    response = client.post(
        lesson.url,
        {"action": "task", "text": "我拍的照片说明", "files": [SimpleUploadedFile("fake.jpg", b"not an image")]},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "我拍的照片说明" in page
    assert "“fake.jpg”不是照片" in page
    assert "请重新选择文件" in page
    assert not TaskSubmission.objects.exists()


def test_task_form_on_the_lesson_page_sends_the_work(client, task_lesson):
    trainee, lesson = task_lesson
    client.force_login(trainee)
    response = client.post(
        lesson.url, {"action": "task", "text": "两张照片", "files": [jpeg("a.jpg"), jpeg("b.jpg")]}, follow=True
    )
    assert "你的作业已发送给导师检查。" in response.content.decode()
    assert TaskSubmission.objects.get(user=trainee).files.count() == 2


def test_link_task_asks_for_a_link(catalogue):
    course = CoursePageFactory(parent=catalogue)
    lesson = LessonPageFactory(parent=course, task="<p>贴上你的店铺链接</p>", task_wants_link=True)
    trainee = TraineeFactory()
    services.enroll(user=trainee, course=course)
    with pytest.raises(ValidationError) as error:
        services.submit_task(user=trainee, lesson=lesson, text="开好了")
    assert error.value.message_dict["link"] == ["这个任务需要一个链接：请贴上你的店铺或商品页面的网址。"]
