"""A migration operation for the office's record searches (core.search.records): a GIN trigram
index (pg_trgm) that serves `icontains` (Django's UPPER(column) LIKE UPPER('%word%')) and, with
`upper=False`, `contains` (the phone digits). PostgreSQL only: elsewhere (SQLite, the embedded
default) it does nothing. The index is the database's own, outside Django's model state, so
that models stay the same on every database; dropping the column drops it."""

from django.db.migrations.operations.base import Operation


class AddTrigramIndex(Operation):
    reversible = True

    def __init__(self, model_name: str, field_name: str, *, upper: bool = True):
        self.model_name = model_name
        self.field_name = field_name
        self.upper = upper

    def deconstruct(self):
        return (self.__class__.__name__, [self.model_name, self.field_name], {"upper": self.upper})

    def state_forwards(self, app_label, state):
        pass

    def _names(self, app_label, apps):
        model = apps.get_model(app_label, self.model_name)
        table = model._meta.db_table
        column = model._meta.get_field(self.field_name).column
        return table, column, f"{table}_{column}_trgm"[:63]

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        table, column, name = self._names(app_label, to_state.apps)
        quote = schema_editor.quote_name
        expression = f"UPPER({quote(column)}::text)" if self.upper else quote(column)
        # pg_trgm ships with PostgreSQL and is a trusted extension: the database's owner may create it.
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {quote(name)} ON {quote(table)} USING gin ({expression} gin_trgm_ops)"
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        _table, _column, name = self._names(app_label, from_state.apps)
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")

    def describe(self):
        return f"Trigram index on {self.model_name}.{self.field_name} (PostgreSQL)"

    @property
    def migration_name_fragment(self):
        return f"{self.model_name.lower()}_{self.field_name}_trgm"
