"""On PostgreSQL, a query a connection sends again and again is prepared once (settings:
DATABASE_PREPARED_STATEMENTS, on by default): the parameters are bound on the server, and the
plan is kept for the connection instead of being made anew on every request."""

import pytest

from django.conf import settings
from django.db import connection

from core.models import User
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's prepared statements")


def prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_the_connection_binds_on_the_server_and_prepares_a_query_after_five_runs():
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["server_side_binding"] is True and options["prepare_threshold"] == 5
    people = [TraineeFactory() for _ in range(3)]
    ids = [p.pk for p in people]
    for run in range(1, 8):
        rows = User.objects.filter(pk__among=ids).values_list("real_name")  # a new queryset: run again
        assert sorted(rows) == sorted((p.real_name,) for p in people)
        is_prepared = any('FROM "core_user" WHERE "core_user"."id" = ANY($1)' in s for s in prepared())
        assert is_prepared is (run > 5), run
