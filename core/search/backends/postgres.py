"""PostgreSQL: Chinese terms as to_tsquery() phrases of pairs ('赣南' <-> '南脐' <-> '脐橙')."""

import re

from modelsearch.backends.database.postgres.postgres import (
    PostgresAutocompleteQueryCompiler,
    PostgresSearchBackend,
    PostgresSearchQueryCompiler,
)
from modelsearch.backends.database.postgres.query import Lexeme
from modelsearch.query import Phrase, PlainText

from django.contrib.postgres.search import SearchQuery

from core.search.backends import ChineseTermsMixin
from core.search.chinese import Piece, has_han, phrase_text


class TsQueryText(Lexeme):
    """A piece of to_tsquery() text written by ChinesePostgresTerms (quoted already)."""

    def as_sql(self, compiler, connection):
        return "%s", [f"!{self.value}" if self.invert else self.value]


class ChinesePostgresTerms(ChineseTermsMixin):
    def quote(self, piece: Piece) -> str:
        text = piece.text.replace("'", "''").replace("\\", "\\\\")
        return f"'{text}'" + (":*" if piece.prefix else "")

    def phrase(self, quoted: list[str]) -> str:
        return " <-> ".join(quoted)

    def either(self, first: str, second: str) -> str:
        return f"({first} | {second})"

    def build_tsquery_content(self, query, config=None, invert=False):
        if isinstance(query, Phrase):
            return SearchQuery(phrase_text(query.query_string), search_type="phrase", config=config)
        if not isinstance(query, PlainText) or not has_han(query.query_string):
            return super().build_tsquery_content(query, config=config, invert=invert)
        # Split as Wagtail splits a plain query (spaces and hyphens; the last term a prefix when autocompleting).
        terms = [term for term in re.split(r"[\s\-]+", query.query_string) if term]

        def lexeme(term, *, last):
            if has_han(term):
                return TsQueryText(self.term_query(term, last=last), invert=invert)
            return Lexeme(term, invert=invert, prefix=last and self.LAST_TERM_IS_PREFIX)

        lexemes = self.combine(terms, operator=query.operator, lexeme=lexeme)
        return SearchQuery(lexemes, search_type="raw", config=config)


class ChinesePostgresQueryCompiler(ChinesePostgresTerms, PostgresSearchQueryCompiler):
    pass


class ChinesePostgresAutocompleteQueryCompiler(ChinesePostgresTerms, PostgresAutocompleteQueryCompiler):
    pass


class ChinesePostgresSearchBackend(PostgresSearchBackend):
    query_compiler_class = ChinesePostgresQueryCompiler
    autocomplete_query_compiler_class = ChinesePostgresAutocompleteQueryCompiler
