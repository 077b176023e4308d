"""Page routing shortcuts answer as Wagtail does; view restrictions, roles, permissions and the
unread badge (read from the database on every request) follow every change at once; the filters'
choice lists (cached, core/cache_families.py) follow their tables. And a Redis outage makes the
cache miss, never fail."""

import pytest

from django.contrib.auth.models import Group, Permission
from django.core.cache import cache

from wagtail.models import PageViewRestriction

from core import cache_families, notifications, roles
from core.cache import ResilientRedisCache
from core.choices import township_choices
from core.models import Township
from tests.factories import TownshipFactory, UserFactory
from tests.pages_factories import CoursePageFactory, LessonPageFactory, course_catalogue
from tests.recruitment.factories import make_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(db):
    return course_catalogue()


# --- Routing in two queries, with Wagtail's answers ------------------------------------------


def test_a_lesson_is_routed_in_two_queries_and_answers_as_before(client, catalogue, django_assert_max_num_queries):
    course = CoursePageFactory(parent=catalogue)
    lesson = LessonPageFactory(parent=course)
    client.get(lesson.url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(lesson.url)
    assert response.status_code == 200
    assert response.context["page"].pk == lesson.pk
    page_reads = [q["sql"] for q in captured.captured_queries if 'FROM "wagtailcore_page"' in q["sql"]]
    # the site root, the chain of addresses, the lesson, its course (the view's own)
    assert len(page_reads) <= 4, page_reads


def test_missing_and_unpublished_pages_are_404(client, catalogue):
    course = CoursePageFactory(parent=catalogue)
    lesson = LessonPageFactory(parent=course)
    assert client.get(f"{course.url}no-such-lesson/").status_code == 404
    assert client.get("/courses/no-such-course/some-lesson/").status_code == 404
    lesson.unpublish()
    assert client.get(lesson.url).status_code == 404


def test_a_routable_campaign_keeps_its_sub_pages(client):
    campaign = make_campaign()
    assert client.get(campaign.url).status_code == 200
    # /apply/ is a route of the campaign page, not a child page: Wagtail's routing answers it.
    response = client.get(f"{campaign.url}apply/")
    assert response.status_code in (200, 302)
    assert client.get(f"{campaign.url}no-such-route/").status_code == 404


# --- View restrictions ------------------------------------------------------------------------


def test_a_new_restriction_takes_effect_at_once(client, catalogue):
    course = CoursePageFactory(parent=catalogue)
    lesson = LessonPageFactory(parent=course)
    assert client.get(lesson.url).status_code == 200  # "no restriction anywhere" is now cached
    restriction = PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(lesson.url)
    assert response.status_code == 302 and "login" in response["Location"]
    restriction.delete()
    assert client.get(lesson.url).status_code == 200


# --- Roles and permissions ----------------------------------------------------------------------


def test_a_role_given_or_taken_shows_on_the_next_request(client):
    person = UserFactory()
    client.force_login(person)
    assert "/mentor/" not in client.get("/me/").content.decode()
    roles.add_role(person, roles.MENTOR)
    assert "/mentor/" in client.get("/me/").content.decode()
    Group.objects.get(name=roles.MENTOR).user_set.remove(person)  # from the group's side
    assert "/mentor/" not in client.get("/me/").content.decode()


def test_permissions_follow_changes_of_the_group_and_of_the_person():
    person = UserFactory()
    group = Group.objects.create(name="审核员")
    person.groups.add(group)
    permission = Permission.objects.get(codename="view_township")
    assert not UserFactory._meta.model.objects.get(pk=person.pk).has_perm("core.view_township")
    group.permissions.add(permission)
    assert UserFactory._meta.model.objects.get(pk=person.pk).has_perm("core.view_township")
    group.permissions.remove(permission)
    person.user_permissions.add(permission)
    assert UserFactory._meta.model.objects.get(pk=person.pk).has_perm("core.view_township")
    person.user_permissions.remove(permission)
    assert not UserFactory._meta.model.objects.get(pk=person.pk).has_perm("core.view_township")


# --- The unread badge ---------------------------------------------------------------------------


def test_the_unread_badge_follows_new_and_read_notifications(django_capture_on_commit_callbacks):
    person = UserFactory()
    assert notifications.unread_count(person) == 0
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(recipient=person, kind="test", title="你好")
    assert notifications.unread_count(person) == 1
    notifications.mark_read(user=person)
    assert notifications.unread_count(person) == 0


# --- Choice lists -------------------------------------------------------------------------------


def test_a_new_or_renamed_township_is_offered_at_once():
    first = TownshipFactory(name="城关镇")
    assert (first.pk, "城关镇") in township_choices()
    second = TownshipFactory(name="白马镇")
    assert (second.pk, "白马镇") in township_choices()
    first.name = "城关街道"
    first.save()
    assert (first.pk, "城关街道") in township_choices()
    Township.objects.filter(pk=first.pk).update(name="城关镇")  # no signal: the list stays
    assert (first.pk, "城关街道") in township_choices()
    with cache_families.bulk_write(Township):
        Township.objects.filter(pk=first.pk).update(name="城关镇")
    assert (first.pk, "城关镇") in township_choices()


def test_choice_lists_follow_the_language():
    from django.utils import translation

    township = TownshipFactory(name="城关镇", name_en="Chengguan")
    with translation.override("en"):
        assert (township.pk, "Chengguan") in township_choices()
    assert (township.pk, "城关镇") in township_choices()


# --- A cache that misses instead of failing ----------------------------------------------------


def test_the_cache_answers_as_empty_while_redis_is_unreachable(caplog):
    unreachable = ResilientRedisCache(
        "redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}}
    )
    assert unreachable.get("key") is None
    assert unreachable.get("key", "default") == "default"
    unreachable.set("key", "value")
    assert unreachable.add("key", "value") is False
    assert unreachable.get_many(["a", "b"]) == {}
    unreachable.delete("key")
    with pytest.raises(ValueError):
        unreachable.incr("counter")  # as for a missing key: callers recreate it
    assert "Cache unavailable" in caplog.text
    assert cache.get("key") is None  # the site's own cache is untouched


def test_one_redis_client_serves_every_cache_call_and_reconnects():
    """Django makes a redis.Redis per call; ours keeps one per pool (core/cache.py), which still
    talks to a Redis that came back (its pool opens a new connection)."""
    import os

    url = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")
    shared = ResilientRedisCache(url, {"KEY_PREFIX": "test-one-client"})
    shared.set("key", "value")
    assert shared.get("key") == "value"
    client = shared._cache.get_client(write=False)
    assert shared._cache.get_client(write=True) is client
    client.connection_pool.disconnect()  # as after a restart of Redis
    assert shared.get("key") == "value"
    shared.delete("key")
