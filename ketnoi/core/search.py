"""The header search's shared rules: how a query is read, and how a provider matches it.

A query is folded (`text.fold`: no case, no diacritics, đ→d) and split into words; a record
matches when every word is inside one of its folded columns, so "dang hoa" finds "Đặng Thị
Hoà". Apps register their providers in `core.registry.register_search`; the page and the
dropdown are `views_search.py`.
"""

from django.db.models import Case, IntegerField, Q, Value, When

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


def word_start_first(column: str, terms: list[str]) -> Case:
    """0 for a row whose `column` has a word beginning with the first term ("nguyen" in "nguyen
    van an" or "ho nguyen"), else 1: order by it first, so whole-word hits come before others.

    Being an expression, it also keeps SQLite from walking the folded column's index in order
    to honour ORDER BY … LIMIT: for a common term past the start of the alphabet ("nguyen") that
    walk read most of the table row by row, where a scan with a bounded sort is several times
    faster; PostgreSQL plans it the same way."""
    first = terms[0]
    return Case(
        When(Q(**{f"{column}__startswith": first}) | Q(**{f"{column}__contains": f" {first}"}), then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )


# How many matches a provider of a large table reads before choosing the best: the scan stops
# there for a common word ("nguyen" is in every third name), so the work does not grow with the
# table; a rare word is a scan of the folded column with nothing to sort.
CANDIDATES = 200


def starts_a_word(folded: str, term: str) -> bool:
    return folded.startswith(term) or f" {term}" in folded


def shortlist(queryset, limit: int, *, fields: tuple[str, ...], key) -> list:
    """The rows of `queryset` (already filtered by `matching`) that come first by `key` among
    its first CANDIDATES matches in storage order, in that order: two queries, the candidates'
    few columns (`fields`, passed to `key` after the pk) and then the chosen rows whole.

    An ORDER BY … LIMIT in the database would sort every match (or, on SQLite, walk the folded
    column's index and read most of the table row by row), which for 20,000 people cost several
    times more than the rest of the search together."""
    candidates = list(queryset.order_by().values_list("pk", *fields)[:CANDIDATES])
    candidates.sort(key=lambda row: key(*row[1:]) + (row[0],))
    chosen = [row[0] for row in candidates[:limit]]
    rows = queryset.in_bulk(chosen)
    return [rows[pk] for pk in chosen if pk in rows]
