"""Bulk loading through PostgreSQL's COPY (psycopg 3), by model field names."""

from collections.abc import Iterable, Sequence

from django.core.management.color import no_style
from django.db import connection
from django.utils import timezone


def next_id(model) -> int:
    """The first free primary key of a model's table (ids are assigned by the loader, then the
    sequence is moved past them with `reset_sequences`)."""
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{model._meta.db_table}"')
        return cursor.fetchone()[0]


def _implicit(model, fields: Sequence[str]) -> list[tuple[str, object]]:
    """The columns COPY would leave NULL that Django fills on save: fields with a default, text
    fields without one (""), and auto_now(_add) dates. Filled here, so that a field added to a model with a default does not
    break the seed (COPY knows nothing of Django's defaults)."""
    named = {model._meta.get_field(name).name for name in fields}
    now = timezone.now()
    extra = []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in named:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            extra.append((field.column, now))
        elif field.has_default() or (not field.null and field.empty_strings_allowed):
            # A text field without a default is saved by Django as "" (what `get_default` gives).
            extra.append((field.column, field.get_db_prep_save(field.get_default(), connection)))
    return extra


def copy_rows(model, fields: Sequence[str], rows: Iterable[Sequence]) -> int:
    """COPY rows (tuples in the order of `fields`) into the model's table; returns the count."""
    opts = model._meta
    extra = _implicit(model, fields)
    names = [f'"{opts.get_field(name).column}"' for name in fields] + [f'"{column}"' for column, _v in extra]
    tail = tuple(value for _column, value in extra)
    count = 0
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f'COPY "{opts.db_table}" ({", ".join(names)}) FROM STDIN') as copy,
    ):
        for row in rows:
            copy.write_row((*row, *tail) if tail else row)
            count += 1
    return count


def reset_sequences(models: Iterable) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def foreign_keys_unchecked() -> None:
    """Skip the per-row foreign-key triggers for the rest of the transaction (superuser only).

    Django's foreign keys are deferred to the commit, one index look-up per row: 10 million rows at
    province scale spent more time in that commit than in loading. `check_foreign_keys` then checks
    every foreign key of the database with one anti-join each, before the commit."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")


def check_foreign_keys() -> None:
    """Every foreign key of the public schema holds (one query each); raise naming the first broken."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.conname, c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, f.attname
            FROM pg_constraint c
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
            JOIN pg_attribute f ON f.attrelid = c.confrelid AND f.attnum = c.confkey[1]
            WHERE c.contype = 'f' AND array_length(c.conkey, 1) = 1
              AND c.connamespace = 'public'::regnamespace
            """
        )
        for name, child, column, parent, key in cursor.fetchall():
            cursor.execute(
                # A count, not EXISTS: the planner then takes one hash anti-join over the whole
                # table rather than a look-up per row.
                f'SELECT count(*) FROM {child} c WHERE c."{column}" IS NOT NULL AND NOT EXISTS '
                f'(SELECT 1 FROM {parent} p WHERE p."{key}" = c."{column}")'
            )
            if cursor.fetchone()[0]:
                raise RuntimeError(f"foreign key {name} broken: {child}.{column} -> {parent}.{key}")
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
