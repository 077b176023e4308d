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
