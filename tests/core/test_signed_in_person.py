"""The signed-in person's row and facts in one query (core.backends, core.person.signed_in), with
every check Django's `get_user` makes still made, sessions signed in through allauth's own
backend still served, and a wrong password checked once."""

import pytest
from allauth.account import auth_backends

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Permission
from django.urls import reverse

from core import notifications, person
from core.backends import AuthenticationBackend, PermissionsOnlyModelBackend
from tests.factories import OfficeFactory, TraineeFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse 42"


def signed_in_through(client, user, backend: str):
    client.force_login(user, backend=backend)
    return client


@pytest.mark.parametrize(
    "backend", ["core.backends.AuthenticationBackend", "core.backends.PermissionsOnlyModelBackend"]
)
def test_a_signed_in_request_reads_the_person_and_their_facts_in_one_query(client, backend, django_assert_num_queries):
    someone = OfficeFactory()
    someone.user_permissions.add(Permission.objects.get(codename="view_township"))
    notifications.notify(recipient=someone, kind="info", title="通知")
    signed_in_through(client, someone, backend)
    # The floor asks for the roles (the office's idle sign-out): one query, the row with the facts.
    with django_assert_num_queries(1):
        assert client.get("/healthz/floor").status_code == 200
    user = person.signed_in(str(someone.pk))
    assert user == someone and user.real_name == someone.real_name and user.password == someone.password
    assert {name: person.fact(user, name) for name in person._ONE} == {
        name: read(someone) for name, read in person._ONE.items()
    }


def test_a_session_signed_in_through_allauths_own_backend_is_still_served(client, django_assert_num_queries):
    trainee = TraineeFactory()
    signed_in_through(client, trainee, "allauth.account.auth_backends.AuthenticationBackend")
    with django_assert_num_queries(2):  # the row, then the facts, as before
        response = client.get("/healthz/floor")
    assert response.status_code == 200
    assert response.wsgi_request.user == trainee
    assert client.get(reverse("courses:my_learning")).status_code == 200


def test_a_password_changed_elsewhere_signs_the_session_out(client):
    trainee = TraineeFactory()
    signed_in_through(client, trainee, "core.backends.AuthenticationBackend")
    assert client.get(reverse("courses:my_learning")).status_code == 200
    trainee.set_password("a new one 2026")
    trainee.save()
    response = client.get(reverse("courses:my_learning"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert SESSION_KEY not in client.session


def test_someone_inactive_deleted_or_unknown_is_anonymous(client):
    trainee = TraineeFactory()
    signed_in_through(client, trainee, "core.backends.AuthenticationBackend")
    trainee.is_active = False
    trainee.save()
    assert client.get(reverse("courses:my_learning")).status_code == 302
    # (A session's id that is not a number Django refuses before asking any backend.)
    for user_id in ("999999999", "-1"):
        session = client.session
        session[SESSION_KEY], session[BACKEND_SESSION_KEY] = user_id, "core.backends.AuthenticationBackend"
        session[HASH_SESSION_KEY] = "x"
        session.save()
        response = client.get(reverse("courses:my_learning"))
        assert response.status_code == 302 and not response.wsgi_request.user.is_authenticated
    assert PermissionsOnlyModelBackend().get_user("not-a-number") is None
    assert AuthenticationBackend().get_user(str(trainee.pk)) is None  # inactive


def test_a_sign_in_is_kept_under_this_backend_and_a_wrong_password_is_checked_once(client, monkeypatch):
    trainee = TraineeFactory(email="ren@example.cn", password=PASSWORD)
    checked = []
    original = auth_backends.AuthenticationBackend.authenticate

    def counted(self, request, **credentials):
        checked.append(type(self).__name__ + "." + type(self).__module__)
        return original(self, request, **credentials)

    monkeypatch.setattr(auth_backends.AuthenticationBackend, "authenticate", counted)
    response = client.post(reverse("account_login"), {"login": "ren@example.cn", "password": "wrong one 1"})
    assert response.status_code == 200 and SESSION_KEY not in client.session
    assert checked == ["AuthenticationBackend.core.backends"]  # not again by allauth's own
    client.post(reverse("account_login"), {"login": "ren@example.cn", "password": PASSWORD})
    assert client.session[SESSION_KEY] == str(trainee.pk)
    assert client.session[BACKEND_SESSION_KEY] == "core.backends.AuthenticationBackend"
