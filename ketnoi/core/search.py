"""The header search's shared rules: how a query is read, and how a provider matches it.

A query is folded (`text.fold`: no case, no diacritics, đ→d) and split into words; a record
matches when every word is inside one of its folded columns, so "dang hoa" finds "Đặng Thị
Hoà". Apps register their providers in `core.registry.register_search`; the page and the
dropdown are `views_search.py`.
"""

from django.db.models import Q

from .text import fold

MIN_LENGTH = 2  # fewer folded characters find too much to be of use
MAX_LENGTH = 100  # longer queries are cut: nobody types a name that long
MAX_TERMS = 5


def query_terms(query: str | None) -> list[str]:
    """The folded words of a query, at most MAX_TERMS of them, or [] when it is too short to
    search (fewer than MIN_LENGTH characters once folded). NUL and other control characters
    are dropped."""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in (query or "")[:MAX_LENGTH])
    folded = fold(cleaned)
    if len(folded.replace(" ", "")) < MIN_LENGTH:
        return []
    return list(dict.fromkeys(folded.split(" ")))[:MAX_TERMS]


def matching(terms: list[str], *columns: str) -> Q:
    """Every term inside at least one of `columns`: lookups of folded text ("name_folded"), or a
    lookup written out for a column that is not folded ("code__icontains": a class code)."""
    condition = Q()
    for term in terms:
        either = Q()
        for column in columns:
            lookup = column if column.endswith("__icontains") else f"{column}__contains"
            either |= Q(**{lookup: term})
        condition &= either
    return condition
