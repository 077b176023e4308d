"""What a request asks about the person (core/person.py): one query on PostgreSQL, the same
answers as asking each on its own, and never kept beyond the request."""

import pytest
from allauth.mfa.models import Authenticator

from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import notifications, person, roles, security
from core.models import User
from tests.factories import OfficeFactory, TraineeFactory

pytestmark = pytest.mark.django_db


def fresh(user) -> User:
    return User.objects.get(pk=user.pk)


def every_fact(user) -> dict:
    return {
        name: person.fact(user, name)
        for name in (
            person.ROLE_NAMES,
            person.UNREAD,
            person.SECOND_FACTOR,
            person.USER_PERMISSIONS,
            person.GROUP_PERMISSIONS,
        )
    }


def one_by_one(user) -> dict:
    return {name: read(user) for name, read in person._ONE.items()}


@pytest.fixture
def office():
    someone = OfficeFactory()
    someone.user_permissions.add(Permission.objects.get(codename="view_township"))
    Authenticator.objects.create(user=someone, type=Authenticator.Type.TOTP, data={"secret": "x"})
    for number in range(3):
        notifications.notify(recipient=someone, kind="info", title=f"通知{number}")
    return someone


def test_every_fact_in_one_query_answers_as_each_on_its_own(office, django_assert_num_queries):
    user = fresh(office)
    with django_assert_num_queries(1):
        together = every_fact(user)
        assert user.has_perm("core.view_township") and user.has_perm("wagtailadmin.access_admin")
    assert together == one_by_one(office)
    assert together[person.UNREAD] == 3 and together[person.SECOND_FACTOR] is True
    assert roles.OFFICE in together[person.ROLE_NAMES]


def test_a_person_with_nothing_has_empty_facts():
    nobody = fresh(TraineeFactory())
    facts = every_fact(nobody)
    assert facts[person.UNREAD] == 0 and facts[person.SECOND_FACTOR] is False
    assert facts[person.USER_PERMISSIONS] == frozenset() and facts[person.GROUP_PERMISSIONS] == frozenset()
    assert facts[person.ROLE_NAMES] == frozenset({roles.TRAINEE})


def test_what_changes_in_the_request_is_read_again(office):
    user = fresh(office)
    assert notifications.unread_count(user) == 3
    notifications.mark_read(user=user)
    assert notifications.unread_count(user) == 0
    notifications.notify(recipient=user, kind="info", title="又一条")
    assert notifications.unread_count(user) == 1
    assert not roles.is_mentor(user)
    roles.add_role(user, roles.MENTOR)
    assert roles.is_mentor(user)


def test_nothing_is_kept_between_requests(client, office):
    client.force_login(office)
    assert client.get("/admin/").status_code == 200
    office.groups.clear()
    Authenticator.objects.filter(user=office).delete()
    # The next request reads the person again: no longer office staff, the admin is closed to them.
    assert client.get("/admin/").status_code in (302, 403)
    assert not security.has_second_factor(fresh(office))


def test_a_request_through_a_lazy_user_reads_the_facts_once(client, django_assert_max_num_queries):
    trainee = TraineeFactory()
    client.force_login(trainee)
    client.get("/me/")
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/me/").status_code == 200
    reads = [q for q in captured.captured_queries if "auth_group" in q["sql"]]
    assert len(reads) == 1, "roles (and with them the badge) are read once per request"


# --- What Wagtail's admin asks of the person, read with the facts (core/person.py, for_admin) ---

WAGTAILS_OWN = ("wagtailusers_userprofile", "wagtailcore_grouppagepermission", "wagtailcore_groupcollectionpermission")


def fields_of(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def test_the_admin_reads_wagtails_rows_with_the_person(client, office, django_assert_max_num_queries):
    from wagtail.users.models import UserProfile

    UserProfile.objects.create(user=office, preferred_language="en", theme="dark")
    client.force_login(office)
    client.get("/admin/")
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/admin/")
    assert response.status_code == 200
    reading = [
        q["sql"] for q in captured.captured_queries if any(f'FROM "{table}"' in q["sql"] for table in WAGTAILS_OWN)
    ]
    assert len(reading) == 1, "the profile and both permission sets come in one query"
    assert all(f'FROM "{table}"' in reading[0] for table in WAGTAILS_OWN)
    # The person's facts came with their row (core/backends.py): one query of neither kind more.
    [row] = [q["sql"] for q in captured.captured_queries if '"core_notification"' in q["sql"]]
    assert '"core_user"."password"' in row and not any(f'FROM "{table}"' in row for table in WAGTAILS_OWN)
    # The profile read that way is the one Wagtail uses: the admin speaks English, in the dark theme.
    assert 'lang="en"' in response.content.decode() and "w-theme-dark" in response.content.decode()


def test_wagtails_rows_built_from_the_one_query_are_those_wagtail_reads(office):
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page
    from wagtail.permission_policies.pages import PagePermissionPolicy
    from wagtail.users.models import UserProfile

    UserProfile.objects.create(user=office, dismissibles={"tip": True}, current_time_zone="Asia/Shanghai")
    user = fresh(office)
    person.for_admin(user)

    expected_pages = GroupPagePermission.objects.filter(group__user=office).select_related("page", "permission")
    built_pages = user._page_permission_cache
    assert [fields_of(p) for p in built_pages] == [fields_of(p) for p in expected_pages.order_by("pk")]
    assert [fields_of(p.page) for p in built_pages] == [fields_of(p.page) for p in expected_pages.order_by("pk")]
    assert {p.permission.codename for p in built_pages} == {p.permission.codename for p in expected_pages}
    assert built_pages and all(type(p.page) is Page for p in built_pages)

    expected_collections = GroupCollectionPermission.objects.filter(group__user=office).order_by("pk")
    built_collections = user._collection_permission_cache
    assert [fields_of(p) for p in built_collections] == [fields_of(p) for p in expected_collections]
    assert [fields_of(p.collection) for p in built_collections] == [
        fields_of(Collection.objects.get(pk=p.collection_id)) for p in expected_collections
    ]
    assert fields_of(user.wagtail_userprofile) == fields_of(UserProfile.objects.get(user=office))
    assert user.wagtail_userprofile.dismissibles == {"tip": True}

    # The explorer's root as Wagtail finds it itself.
    policy = PagePermissionPolicy()
    expected_root = Page.objects.first_common_ancestor_of(
        policy.instances_with_direct_explore_permission(fresh(office)), include_self=True, strict=True
    )
    assert user._explorable_root_page_cache == expected_root


def test_someone_without_a_profile_or_permissions_reads_none(client):
    from wagtail.models import Page

    trainee = fresh(TraineeFactory())
    person.for_admin(trainee)
    assert trainee._page_permission_cache == [] and trainee._collection_permission_cache == []
    assert trainee._explorable_root_page_cache is None
    assert not hasattr(trainee, "wagtail_userprofile")
    assert Page.objects.exists()


def test_the_explorer_root_below_two_permitted_pages_is_left_to_wagtail(office):
    from django.contrib.auth.models import Group

    from wagtail.models import GroupPagePermission, Page

    home = Page.objects.get(depth=2)
    first = home.add_child(instance=Page(title="一", slug="first-branch"))
    second = home.add_child(instance=Page(title="二", slug="second-branch"))
    editors = Group.objects.create(name="两处编辑")
    for page in (first, second):
        GroupPagePermission.objects.create(group=editors, page=page, permission_type="change")
    someone = TraineeFactory()
    someone.groups.add(editors)
    user = fresh(someone)
    person.for_admin(user)
    assert not hasattr(user, "_explorable_root_page_cache"), "their common ancestor is neither page"
    from wagtail.permission_policies.pages import PagePermissionPolicy

    assert PagePermissionPolicy().explorable_root_instance(user) == home


def test_a_page_permission_taken_away_is_refused_on_the_next_request(client, office):
    from wagtail.models import GroupPagePermission, Page

    page = Page.objects.get(depth=2)
    client.force_login(office)
    assert client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200
    GroupPagePermission.objects.filter(group__user=office).delete()
    assert client.get(f"/admin/pages/{page.pk}/edit/").status_code in (302, 403)
