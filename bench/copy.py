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
    named = {opts.get_field(name).column for name in fields}
    # Fields added to a model after the seed was written (NOT NULL with a Python default, which
    # COPY does not apply) get their default, so the seed keeps up with the models.
    defaulted = [
        f
        for f in opts.concrete_fields
        if f.column not in named and not f.null and f.has_default() and not f.primary_key
    ]
    extra = tuple(f.get_db_prep_save(f.get_default(), connection) for f in defaulted)
    columns = ", ".join(
        f'"{column}"' for column in [*(opts.get_field(name).column for name in fields), *(f.column for f in defaulted)]
    )
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(f'COPY "{opts.db_table}" ({columns}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row((*row, *extra) if extra else row)
            count += 1
    return count


def reset_sequences(models: Iterable) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
