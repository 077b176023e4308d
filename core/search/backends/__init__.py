"""Wagtail's database search backend, with queries cut like the index (core.search.chinese):
a term with Chinese in it must match its pairs in order (a phrase), or, for index entries
written before the index was cut, the whole term as before. Terms without Chinese are unchanged.

`SearchBackend` picks the backend Wagtail would for the database (PostgreSQL; SQLite with FTS5)
and returns our subclass of it; any other database keeps Wagtail's fallback backend, which
matches substrings and so finds Chinese words already.
"""

from modelsearch.backends import database

from django.db import connection

from core.search.chinese import Piece, query_pieces


class ChineseTermsMixin:
    """The query compilers' part that writes one query term in the database's query language;
    `quote`, `phrase` and `either` say how, per database."""

    def term_query(self, term: str, *, last: bool) -> str:
        prefix_last = last and self.LAST_TERM_IS_PREFIX
        pieces = query_pieces(term)
        if prefix_last and pieces:
            pieces[-1] = Piece(pieces[-1].text, prefix=True)
        phrase = self.phrase([self.quote(piece) for piece in pieces])
        whole = self.quote(Piece(term, prefix=prefix_last))
        return phrase if phrase == whole else self.either(phrase, whole)

    def combine(self, terms: list[str], *, operator: str, lexeme):
        """The terms' lexemes (`lexeme(term, last=...)`) joined by the query's operator."""
        lexemes = None
        for number, term in enumerate(terms, start=1):
            current = lexeme(term, last=number == len(terms))
            if lexemes is None:
                lexemes = current
            elif operator.lower() == "and":
                lexemes &= current
            else:
                lexemes |= current
        return lexemes


def SearchBackend(params):  # noqa: N802 (the name Wagtail looks up in a backend module)
    """The backend for WAGTAILSEARCH_BACKENDS: Wagtail's database backend for this database, with
    Chinese queries cut like the index."""
    backend = database.SearchBackend(params)
    kind = type(backend).__name__
    if connection.vendor == "postgresql" and kind == "PostgresSearchBackend":
        from core.search.backends.postgres import ChinesePostgresSearchBackend

        return ChinesePostgresSearchBackend(params)
    if connection.vendor == "sqlite" and kind == "SQLiteSearchBackend":
        from core.search.backends.sqlite import ChineseSQLiteSearchBackend

        return ChineseSQLiteSearchBackend(params)
    return backend
