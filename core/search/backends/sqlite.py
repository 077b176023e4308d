"""SQLite: Chinese terms as FTS5 phrases of pairs ("赣南" + "南脐" + "脐橙")."""

from modelsearch.backends.database.sqlite.query import Lexeme, SearchQueryExpression
from modelsearch.backends.database.sqlite.sqlite import (
    SQLiteAutocompleteQueryCompiler,
    SQLiteSearchBackend,
    SQLiteSearchQueryCompiler,
)
from modelsearch.query import Phrase, PlainText

from core.search.backends import ChineseTermsMixin
from core.search.chinese import Piece, has_han, phrase_text


class MatchText(Lexeme):
    """A piece of FTS5 query text written by ChineseSQLiteTerms (quoted already)."""

    def as_sql(self, compiler, connection):
        return "%s", [self.value]


class ChineseSQLiteTerms(ChineseTermsMixin):
    def quote(self, piece: Piece) -> str:
        text = piece.text.replace('"', '""')
        return f'"{text}"' + ("*" if piece.prefix else "")

    def phrase(self, quoted: list[str]) -> str:
        return " + ".join(quoted)  # FTS5: strings joined by "+" are one phrase

    def either(self, first: str, second: str) -> str:
        return f"({first} OR {second})"

    def build_search_query_content(self, query, config=None):
        if isinstance(query, Phrase):
            return SearchQueryExpression(phrase_text(query.query_string).replace('"', '""'))
        if not isinstance(query, PlainText) or not has_han(query.query_string):
            return super().build_search_query_content(query, config=config)
        terms = query.query_string.split()

        def lexeme(term, *, last):
            if has_han(term):
                return MatchText(self.term_query(term, last=last))
            return Lexeme(term, prefix=last and self.LAST_TERM_IS_PREFIX)

        lexemes = self.combine(terms, operator=query.operator, lexeme=lexeme)
        return SearchQueryExpression(lexemes, config=config)


class ChineseSQLiteQueryCompiler(ChineseSQLiteTerms, SQLiteSearchQueryCompiler):
    pass


class ChineseSQLiteAutocompleteQueryCompiler(ChineseSQLiteTerms, SQLiteAutocompleteQueryCompiler):
    pass


class ChineseSQLiteSearchBackend(SQLiteSearchBackend):
    query_compiler_class = ChineseSQLiteQueryCompiler
    autocomplete_query_compiler_class = ChineseSQLiteAutocompleteQueryCompiler
