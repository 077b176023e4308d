"""The admin's sidebar packed without media (core/sidebar.py) is the JSON Wagtail packs itself,
for the office, a superuser and office staff with fewer permissions, in both languages."""

import inspect

import pytest

from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.backends.cache import SessionStore
from django.test import RequestFactory
from django.utils import translation

from wagtail.admin import telepath
from wagtail.admin.templatetags import wagtailadmin_tags

from core.sidebar import MediaFreeJSContext
from tests.factories import OfficeFactory, UserFactory

pytestmark = pytest.mark.django_db


def sidebar_json(user, language, context_class) -> str:
    request = RequestFactory().get("/admin/")
    request.user = user
    request.session = SessionStore()
    packing = wagtailadmin_tags.JSContext
    wagtailadmin_tags.JSContext = context_class
    try:
        with translation.override(language):
            return wagtailadmin_tags.sidebar_props({"request": request})
    finally:
        wagtailadmin_tags.JSContext = packing


def people():
    office = OfficeFactory()
    superuser = UserFactory(is_superuser=True, is_staff=True)
    # Admin access and little else: fewer menu items, so a different menu is packed.
    fewer = UserFactory(is_staff=True)
    limited = Group.objects.create(name="admin access only")
    limited.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    fewer.groups.add(limited)
    return office, superuser, fewer


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_sidebar_is_the_json_wagtail_packs(language):
    menus = set()
    for person in people():
        ours = sidebar_json(person, language, MediaFreeJSContext)
        assert ours == sidebar_json(person, language, telepath.JSContext)
        menus.add(ours)
    assert len(menus) == 3  # three different menus were compared, not one three times


def test_start_up_gives_the_sidebar_the_media_free_context_and_nothing_else_uses_it():
    assert wagtailadmin_tags.JSContext is MediaFreeJSContext
    # Wagtail's template tags use the name in `sidebar_props` alone: an upgrade that packs
    # anything else with it (whose media a page would need) fails here.
    source = inspect.getsource(wagtailadmin_tags)
    assert source.count("JSContext(") == 1
    assert "JSContext(" in inspect.getsource(wagtailadmin_tags.sidebar_props)


def test_the_sidebar_script_is_on_the_admin_page_without_the_packed_media(client):
    office = OfficeFactory()
    client.force_login(office)
    html = client.get("/admin/").content.decode()
    assert 'id="wagtail-sidebar-props"' in html
    assert "wagtailadmin/js/sidebar." in html
