"""Rows folded into another query, and model instances built from them.

A page often needs a few small lists beside its main row (a lesson's neighbours, an
application's products and reviewers, a person's roles): `JSONRows` reads such a list as a JSON
array inside the main query, on PostgreSQL and SQLite alike, instead of a query of its own; and
`instance_from_values` turns a row of it back into a model instance holding what a link, a name
or a title needs.
"""

import json
import sqlite3
from datetime import UTC, datetime

from django.conf import settings
from django.db import connections, models
from django.db.models import JSONField, Lookup, Subquery
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


class IdList(list):
    """Ids passed to the database as one parameter: an array on PostgreSQL, JSON text on SQLite
    (below). `field__among=ids` filters by them with SQL that is the same whatever their number,
    so a `CompiledQuery` can take them (`IdList([stand_in])` its stand-in)."""


sqlite3.register_adapter(IdList, lambda ids: json.dumps([int(pk) for pk in ids]))


class Among(Lookup):
    """`field__among=ids`: the rows whose field is one of `ids` (integers), as one parameter."""

    lookup_name = "among"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return "%s", [value if isinstance(value, IdList) else IdList(int(pk) for pk in value)]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        _rhs, rhs_params = self.process_rhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", (*lhs_params, *rhs_params)
        # The column from the ORM, the ids a parameter: nothing typed reaches the SQL.
        return f"{lhs} IN (SELECT value FROM json_each(%s))", (*lhs_params, *rhs_params)  # noqa: S608


# On every field, and on a foreign key (`trainee_id__among`), whose lookups are its own.
models.Field.register_lookup(Among)
models.ForeignObject.register_lookup(Among)


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
                    value = timezone.make_aware(value, UTC)  # SQLite's text, stored in UTC
        values[field.attname] = value
    return instance_from_values(model, values)


def _adapted(stand_in, ops):
    """A datetime as the backend passes it (SQLite: as text), else the value itself."""
    return ops.adapt_datetimefield_value(stand_in) if isinstance(stand_in, datetime) else stand_in


def _stands_in(param, stand_in, ops) -> str | None:
    """ "exact" when a compiled parameter is the stand-in, "adapted" when it is the stand-in as
    the backend passes its type, "like" when it is a LIKE pattern made from it, else None."""
    if param == stand_in and isinstance(param, type(stand_in)) and not isinstance(param, bool):
        return "exact"
    adapted = _adapted(stand_in, ops)
    if adapted is not stand_in and type(param) is type(adapted) and param == adapted:
        return "adapted"
    if isinstance(stand_in, str) and isinstance(param, str) and stand_in in param:
        return "like"
    return None


class CompiledQuery:
    """A queryset whose SQL is built once per process and run with new values for its
    parameters, its rows made into the same objects the queryset gives (the model, what it
    selects with `select_related`, its annotations), by Django's own row-to-object code.

    The ORM builds and compiles a queryset on every evaluation: for a page's main query with
    filtered relations and a folded-in subquery that is 2.6 ms, more than the database takes.
    `build(*values)` makes the queryset from the parameters' values; it is called once with
    stand-ins (`stand_ins`: a value of each parameter's type, in its field's range, that nothing
    else in the query has; a string without LIKE's special characters; an aware datetime, which
    the backend may pass as text; a stand-in the ORM does not pass as a parameter is refused)
    and the stand-ins are then found among the compiled parameters: exact ones (or adapted as
    the backend adapts a datetime) are replaced by the value made the parameter's type (a list
    an `IdList`), a LIKE pattern made from one
    (startswith, contains) by the value escaped as the ORM escapes it. Each use gets a test
    comparing it with the queryset itself. A `values_list()` queryset gives its rows as tuples.
    """

    def __init__(self, build, *stand_ins):
        self.build = build
        self.stand_ins = stand_ins
        self._compiled = {}

    def _compile(self, alias: str):
        from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators

        queryset = self.build(*self.stand_ins)
        compiler = queryset.query.get_compiler(alias)
        sql, params = compiler.as_sql()
        params = tuple(params)
        # Where each stand-in went, found once: (the parameter's place, the stand-in's, how).
        ops = connections[alias].ops
        found = {}
        for place, param in enumerate(params):
            for index, stand_in in enumerate(self.stand_ins):
                how = _stands_in(param, stand_in, ops)
                if how is not None:
                    found[place] = (index, how)
                    break
        for index, stand_in in enumerate(self.stand_ins):
            if all(at[0] != index for at in found.values()):
                raise RuntimeError(f"the stand-in {stand_in!r} is not among the query's parameters")
        params = (params, tuple((place, index, how) for place, (index, how) in found.items()))
        klass_info = compiler.klass_info
        if not issubclass(queryset._iterable_class, ModelIterable):
            # A values_list(): its rows as tuples, the columns in the queryset's own order (as
            # the compiler selects them for Django's ValuesListIterable).
            if queryset._iterable_class is not ValuesListIterable:
                raise RuntimeError("only a values_list() that is neither flat nor named is given as rows")
            compiled = (compiler, sql, params, None, 0, 0, [], [])
            self._compiled[alias] = compiled
            return compiled
        select_fields = klass_info["select_fields"]
        start, end = select_fields[0], select_fields[-1] + 1
        init_list = [column[0].target.attname for column in compiler.select[start:end]]
        populators = get_related_populators(klass_info, compiler.select, alias)
        compiled = (compiler, sql, params, klass_info["model"], start, end, init_list, populators)
        self._compiled[alias] = compiled
        return compiled

    def _values(self, params, values, alias: str) -> list:
        params, substitutions = params
        ops = connections[alias].ops
        out = list(params)
        for place, index, how in substitutions:
            param, stand_in, value = params[place], self.stand_ins[index], values[index]
            if how == "exact":
                # Of the parameter's own type: on PostgreSQL the ORM passes some integers wrapped
                # (psycopg's Int4) to say what they are.
                out[place] = value if type(value) is type(param) else type(param)(value)
            elif how == "adapted":
                out[place] = _adapted(value, ops)
            else:  # like
                out[place] = param.replace(stand_in, ops.prep_for_like_query(value))
        return out

    def __call__(self, *values, using: str = "default") -> list:
        if len(values) != len(self.stand_ins):
            raise TypeError(f"{len(self.stand_ins)} values expected, {len(values)} given")
        compiled = self._compiled.get(using) or self._compile(using)
        compiler, sql, params, model, start, end, init_list, populators = compiled
        with connections[using].cursor() as cursor:
            cursor.execute(sql, self._values(params, values, using))
            rows = cursor.fetchall()
        if model is None:  # a values_list()
            return [tuple(row) for row in compiler.results_iter(results=[rows])]
        objects = []
        for row in compiler.results_iter(results=[rows]):
            obj = model.from_db(using, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for name, index in compiler.annotation_col_map.items():
                setattr(obj, name, row[index])
            objects.append(obj)
        return objects
