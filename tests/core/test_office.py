"""One rule for the county office's admin pages (core.office): the Office role (or a superuser)
and the page's permission. Someone who may open the Wagtail admin but is not office staff is
refused by every guard of ours, and sees none of our menu items.
(Someone without admin access never reaches our guards: Wagtail sends them to its login.)"""

import pytest

from django.contrib.auth.models import Group, Permission
from django.test import RequestFactory
from django.urls import reverse

from core.office import OfficeMenuItem, is_office_staff
from tests.factories import OfficeFactory, UserFactory

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "/admin/courses/figures/",
    "/admin/mentors/assign/",
    "/admin/mentors/invitations/",
    "/admin/recruitment/applications/",
    "/admin/county/",
    "/admin/outreach/at-risk/",
    "/admin/outreach/check-ins/",
    "/admin/outreach/messages/",
    "/admin/outreach/classes/",
]


@pytest.fixture
def editor():
    """A Wagtail editor (admin access) who even holds the review permission, but not the Office role."""
    group = Group.objects.create(name="Page editors")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        Permission.objects.get(content_type__app_label="recruitment", codename="view_application"),
        Permission.objects.get(content_type__app_label="courses", codename="view_enrollment"),
    )
    user = UserFactory()
    user.groups.add(group)
    return user


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_an_editor_who_is_not_office_staff_is_refused_every_office_page(client, editor, path):
    client.force_login(editor)
    response = client.get(path)
    # Wagtail answers our PermissionDenied with its "no permission" message and the admin's home
    assert (response.status_code, response.url) == (302, "/admin/")


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_office_staff_open_every_office_page(client, path):
    client.force_login(OfficeFactory())
    assert client.get(path).status_code == 200


def test_the_menu_items_follow_the_same_rule(editor):
    request = RequestFactory().get("/admin/")
    item = OfficeMenuItem("x", reverse("wagtailadmin_home"), permission="recruitment.view_application")
    request.user = editor
    assert not item.is_shown(request)
    request.user = OfficeFactory()
    assert item.is_shown(request)
    assert is_office_staff(request.user, "recruitment.view_application")
    assert not is_office_staff(request.user, "recruitment.delete_application")
