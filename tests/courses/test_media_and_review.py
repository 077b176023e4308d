"""The county office puts media in lessons, and reviews what course editors write (issue 19).

Wagtail checks images, documents and media per collection: the office's group holds those
permissions on the root collection (core migration 0006 and core.roles). Lessons in the
catalogue go through the county office's review workflow (县电商办审核), whose approvers are the office group;
a course editor (a mentor who writes lessons) submits but cannot publish.
"""

import json

import pytest

from django.contrib.auth.models import Group
from django.urls import reverse

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import GroupCollectionPermission, WorkflowState

from core import roles
from tests.courses.factories import jpeg, pdf
from tests.factories import MentorFactory, OfficeFactory
from tests.pages_factories import CoursePageFactory, LessonPageFactory

pytestmark = pytest.mark.django_db


def test_office_staff_upload_several_images_at_once(client):
    client.force_login(OfficeFactory())
    assert client.get("/admin/images/multiple/add/").status_code == 200
    response = client.post(
        "/admin/images/multiple/add/",
        {"files[]": jpeg("field.jpg", size=(64, 48))},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert response.status_code == 200
    assert json.loads(response.content)["success"] is True
    assert get_image_model().objects.filter(title="field.jpg").exists()


def test_the_image_chooser_offers_office_staff_an_upload(client):
    client.force_login(OfficeFactory())
    response = client.get(reverse("wagtailimages_chooser:choose"))
    assert 'name="image-chooser-upload-file"' in json.loads(response.content)["html"]


def test_office_staff_add_documents_and_media(client):
    client.force_login(OfficeFactory())
    assert client.get(reverse("wagtaildocs:add_multiple")).status_code == 200
    response = client.post(
        reverse("wagtaildocs:add_multiple"),
        {"files[]": pdf("plan.pdf")},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert json.loads(response.content)["success"] is True
    assert get_document_model().objects.filter(title="plan.pdf").exists()
    assert client.get(reverse("wagtailmedia:add", args=["video"])).status_code == 200


def test_the_sync_after_migrate_keeps_the_collection_permissions():
    office = Group.objects.get(name=roles.OFFICE)
    before = set(GroupCollectionPermission.objects.filter(group=office).values_list("permission__codename", flat=True))
    assert {"add_image", "choose_image", "add_document", "choose_document", "add_media"} <= before
    roles.sync_role_permissions()
    after = set(GroupCollectionPermission.objects.filter(group=office).values_list("permission__codename", flat=True))
    assert after == before


@pytest.fixture
def course_editor():
    editor = MentorFactory(real_name="写课老师")
    roles.add_role(editor, roles.COURSE_EDITOR)
    return editor


def test_a_course_editor_may_write_lessons_in_the_catalogue_but_not_publish(catalogue, course_editor):
    course = CoursePageFactory(parent=catalogue)
    lesson = LessonPageFactory(parent=course)
    permissions = lesson.permissions_for_user(course_editor)
    assert permissions.can_edit()
    assert permissions.can_submit_for_moderation()
    assert not permissions.can_publish()
    assert course.permissions_for_user(course_editor).can_add_subpage()
    assert not catalogue.get_parent().permissions_for_user(course_editor).can_edit()  # only the catalogue


def test_the_lesson_editor_offers_the_county_office_review(client, catalogue, course_editor):
    lesson = LessonPageFactory(parent=CoursePageFactory(parent=catalogue))
    assert lesson.get_workflow().name == "县电商办审核"
    client.force_login(course_editor)
    page = client.get(reverse("wagtailadmin_pages:edit", args=[lesson.pk])).content.decode()
    assert 'name="action-submit"' in page
    assert 'name="action-publish"' not in page


def test_a_course_editor_submits_and_the_office_approves_without_a_superuser(client, catalogue, course_editor):
    lesson = LessonPageFactory(parent=CoursePageFactory(parent=catalogue), title="旧标题")
    draft = lesson.get_latest_revision_as_object()
    draft.title = "新的一课"
    revision = draft.save_revision(user=course_editor)
    workflow_state = lesson.get_workflow().start(lesson, course_editor)
    lesson.refresh_from_db()
    assert lesson.title == "旧标题"  # nothing is published by submitting

    office = OfficeFactory()
    task_state = workflow_state.current_task_state
    assert task_state.task.specific.get_actions(lesson, office)  # the office may act on it
    assert not task_state.task.specific.get_actions(lesson, course_editor)
    client.force_login(office)
    url = reverse("wagtailadmin_pages:workflow_action", args=[lesson.pk, "approve", task_state.pk])
    assert client.post(url, {"comment": "好"}).status_code == 302

    workflow_state = WorkflowState.objects.get(pk=workflow_state.pk)
    assert workflow_state.status == WorkflowState.STATUS_APPROVED
    lesson.refresh_from_db()
    assert lesson.live and lesson.title == "新的一课"
    assert lesson.live_revision_id == revision.pk
    assert not office.is_superuser
