"""Bulk loading through PostgreSQL's COPY (psycopg 3), by model field names."""

from collections.abc import Iterable, Sequence

from django.core.management.color import no_style
from django.db import connection


def next_id(model) -> int:
    """The first free primary key of a model's table (ids are assigned by the loader, then the
    sequence is moved past them with `reset_sequences`)."""
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{model._meta.db_table}"')
        return cursor.fetchone()[0]


def copy_rows(model, fields: Sequence[str], rows: Iterable[Sequence]) -> int:
    """COPY rows (tuples in the order of `fields`) into the model's table; returns the count."""
    opts = model._meta
    columns = ", ".join(f'"{opts.get_field(name).column}"' for name in fields)
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(f'COPY "{opts.db_table}" ({columns}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def reset_sequences(models: Iterable) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
