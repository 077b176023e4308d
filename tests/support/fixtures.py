"""Fixtures shared by tests/security (and any package that imports them in its conftest)."""

import pytest

from django.db import transaction
from django.test import Client

from tests.support.world import PERSONAS, build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The county of tests.support.world, built once per module inside a transaction that is
    rolled back when the module is done (each test runs in a savepoint within it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_world()
        yield built
        transaction.set_rollback(True)


@pytest.fixture
def as_persona(world, db):
    """as_persona("trainee_a") -> a Client signed in as that persona (anonymous: not signed in)."""

    def make(persona: str, **client_kwargs) -> Client:
        assert persona in PERSONAS, persona
        client = Client(**client_kwargs)
        user = world.user(persona)
        if user is not None:
            client.force_login(user)
        return client

    return make
