"""Settings of the database connection that the benchmark showed matter."""

import pytest

from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_queries_are_not_compiled_just_in_time():
    # The county dashboard's grouped queries cost more to compile than to run (docs/benchmarks.md).
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
