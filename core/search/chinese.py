"""Chinese text for a full-text index: PostgreSQL's and SQLite's word splitters keep a run of
Chinese characters as one word ("赣南脐橙种植" is one token), so a search for "脐橙" misses it.

Each run of two or more Han characters is written as its overlapping pairs (bigrams, as
Lucene's CJK analyser does): "赣南脐橙" becomes "赣南 南脐 脐橙". A query is cut the same way and
its pairs must follow each other (a phrase), so a query matches exactly where its characters
appear in that order, inside longer words too. A run's last character is also added once at the
end of the text, so that a one-character query (a prefix of the pairs) finds every place the
character appears. No dictionary is loaded: nothing to download, nothing held in memory.
"""

import re
from dataclasses import dataclass

# CJK Unified Ideographs, Extension A, the compatibility block and the supplementary planes'
# extensions (B to F): the characters Chinese is written in. Punctuation (，。、) separates runs.
HAN_RUN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")

SPACES = re.compile(r" {2,}")


def bigrams(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)] if len(run) > 1 else [run]


def index_text(text: str) -> str:
    """`text` as the index should read it: Han runs as their pairs, set apart from the Latin
    words and digits beside them ("iPhone直播" is "iPhone 直播"), the runs' last characters at
    the end. Text without Chinese comes back as it was."""
    if not text or not HAN_RUN.search(text):
        return text
    last_characters = []

    def pairs(match: re.Match) -> str:
        run = match.group()
        if len(run) > 1 and run[-1] not in last_characters:
            last_characters.append(run[-1])
        return " " + " ".join(bigrams(run)) + " "

    return " ".join([SPACES.sub(" ", HAN_RUN.sub(pairs, text)).strip(), *last_characters])


@dataclass(frozen=True)
class Piece:
    """One token of a query term, in order; `prefix` for a lone Han character (it matches the
    pairs it begins and the run-ends added at the end of the text)."""

    text: str
    prefix: bool = False


def has_han(text: str) -> bool:
    return bool(HAN_RUN.search(text))


def query_pieces(term: str) -> list[Piece]:
    """A query term (no spaces) as the pieces that must follow each other in the index:
    "iPhone直播间" is iPhone, 直播, 播间; "橙" is 橙 as a prefix."""
    pieces = []
    position = 0
    for match in HAN_RUN.finditer(term):
        if match.start() > position:
            pieces.append(Piece(term[position : match.start()]))
        run = match.group()
        pieces.extend(Piece(pair, prefix=len(run) == 1) for pair in bigrams(run))
        position = match.end()
    if position < len(term):
        pieces.append(Piece(term[position:]))
    return [piece for piece in pieces if piece.text.strip()]


def phrase_text(text: str) -> str:
    """A phrase (words in order, Han runs as their pairs) for the backends' phrase queries."""
    return SPACES.sub(" ", HAN_RUN.sub(lambda match: " " + " ".join(bigrams(match.group())) + " ", text)).strip()
