"""Rows folded into another query, and model instances built from them.

A page often needs a few small lists beside its main row (a lesson's neighbours, an
application's products and reviewers, a person's roles): `JSONRows` reads such a list as a JSON
array inside the main query, on PostgreSQL and SQLite alike, instead of a query of its own; and
`instance_from_values` turns a row of it back into a model instance holding what a link, a name
or a title needs.
"""

import json

from django.conf import settings
from django.db import connections, models
from django.db.models import JSONField, Subquery
from django.db.models.functions import JSONObject
from django.utils import timezone


class JSONRows(Subquery):
    """The rows of `queryset` (which selects one value per row: a field, or a `JSONObject`) as a
    JSON array, in the order the queryset gives them ([] when there are none)."""

    output_field = JSONField()

    def as_sql(self, compiler, connection, template=None, **extra_context):
        inner, params = self.query.as_sql(compiler, connection)
        if connection.vendor == "postgresql":
            # ARRAY(subquery) keeps the subquery's order, which json_agg over it need not; jsonb, which
            # Django's JSONField reads (psycopg would decode plain json itself).
            return f"to_jsonb(ARRAY{inner})", params
        selected = self.query.annotation_select
        name, value = next(iter(selected.items())) if selected else (self.query.values_select[0], None)
        column = connection.ops.quote_name(name)
        # SQLite passes a JSON object on as text: json() makes it an object again in the array.
        item = f"json(rows.{column})" if isinstance(value, JSONObject) else f"rows.{column}"
        # Names from the ORM's own query, values as parameters: nothing typed reaches the SQL.
        return f"(SELECT COALESCE(json_group_array({item}), '[]') FROM {inner} rows)", params  # noqa: S608


def instance_from_values(model, values: dict):
    """An instance of `model` holding only `values` (by field name, with its "id"; the parent
    links of multi-table models are filled from it). Django's `from_db` takes values in the
    model's field order, whatever order they come in: this puts them in it."""
    values = dict(values)
    for parent_link in model._meta.parents.values():
        values[parent_link.attname] = values["id"]
    names = [field.attname for field in model._meta.concrete_fields if field.attname in values]
    return model.from_db("default", names, [values[name] for name in names])


def json_fields(model, prefix: str = "") -> dict:
    """Every stored column of `model` for a `JSONObject`, as `prefix` + its attname (a related row
    folded in beside its own: `json_fields(Page, "page__")` in a permission's row)."""
    return {prefix + field.attname: models.F(prefix + field.attname) for field in model._meta.concrete_fields}


def instance_from_json(model, row: dict, prefix: str = ""):
    """A whole instance of `model` from a row of `json_fields(model, prefix)` read through JSON: each
    value made its field's type again (JSON keeps dates as text; SQLite's JSON keeps a JSON
    column as text too), so the instance is what the ORM would have built from its own row."""
    values = {}
    for field in model._meta.concrete_fields:
        value = row[prefix + field.attname]
        if value is not None:
            if isinstance(field, JSONField):
                if connections["default"].vendor == "sqlite":  # its JSON functions pass a JSON column on as text
                    value = json.loads(value)
            else:
                value = field.to_python(value)
                if settings.USE_TZ and isinstance(field, models.DateTimeField) and timezone.is_naive(value):
                    value = timezone.make_aware(value, timezone.utc)  # SQLite's text, stored in UTC
        values[field.attname] = value
    return instance_from_values(model, values)
