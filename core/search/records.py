"""The office's searches of its records (people, trainees, applications, shops): every word of
the query inside one of the listed fields (a substring, in any case), which is how a Chinese word
is found inside a name or a note without cutting anything; a query of at least four digits (spaces
and dashes allowed) also finds the phone numbers holding them. On PostgreSQL the fields searched
have trigram indexes (core.search.operations), which serve words of three characters or more; a
shorter word reads the table, a few milliseconds at county scale (docs/search.md)."""

import re
from functools import reduce
from operator import and_, or_

from django.db.models import Q

PHONE_DIGITS = 4  # the fewest digits that search phone numbers
PHONE_LIKE = re.compile(r"[\d\s+()\-]+")


def matching(query: str, *, fields: list[str], phone_fields: list[str] = ()) -> Q:
    """The records that `query` finds (a condition on them): every word in one of `fields`, or
    its digits in one of `phone_fields`."""
    words = query.split()
    if not words:
        return Q()
    in_fields = (reduce(or_, (Q(**{f"{field}__icontains": word}) for field in fields)) for word in words)
    condition = reduce(and_, in_fields)
    digits = re.sub(r"\D", "", query)
    if phone_fields and len(digits) >= PHONE_DIGITS and PHONE_LIKE.fullmatch(query.strip()):
        condition |= reduce(or_, (Q(**{f"{field}__contains": digits}) for field in phone_fields))
    return condition


class RecordSearchMixin:
    """A Wagtail listing (an IndexView) searching its records through `matching`: its
    `search_fields`, and its `phone_search_fields` for digits."""

    phone_search_fields: list[str] = []

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return queryset.filter(
            matching(self.search_query, fields=list(self.search_fields or []), phone_fields=self.phone_search_fields)
        )
