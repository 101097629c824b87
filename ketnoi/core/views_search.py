"""The header search: /search/?q= finds, among what the signed-in person may see, every kind of
record an app registered (`core.registry.register_search`), grouped by kind.

Without JavaScript it is a full page (PAGE_LIMIT hits per kind, "xem thêm" to the kind's own
list where there is one); asked by htmx from the header box (HX-Request) it is the dropdown's
fragment (DROPDOWN_LIMIT per kind). One or two queries per kind, whatever the data's size.
"""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .registry import SearchHit, search_kinds
from .search import MAX_LENGTH, MIN_LENGTH, query_terms

DROPDOWN_LIMIT = 5
PAGE_LIMIT = 20


@dataclass
class Group:
    kind: str
    label: str
    hits: list[SearchHit]
    more: bool  # more than shown
    more_url: str  # the kind's own list filtered by the query, when it has one


def find(user, query: str, *, limit: int) -> list[Group]:
    """The groups of hits for `query`, each kind's first `limit` (asked for one more, to know
    whether there are more); kinds that find nothing are left out."""
    terms = query_terms(query)
    if not terms:
        return []
    groups = []
    for kind in search_kinds():
        hits = kind.provider(user, terms, limit + 1)
        if hits:
            more_url = kind.more_url(query) if kind.more_url else ""
            groups.append(Group(kind.kind, str(kind.label), hits[:limit], len(hits) > limit, more_url))
    return groups


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    fragment = _is_htmx(request)
    if fragment and not request.user.is_authenticated:
        return HttpResponse(status=204)  # signed out in another tab: the dropdown stays shut
    return _search(request, fragment)


@login_required
def _search(request: HttpRequest, fragment: bool) -> HttpResponse:
    query = " ".join("".join(ch if ch.isprintable() else " " for ch in request.GET.get("q", "")[:MAX_LENGTH]).split())
    groups = find(request.user, query, limit=DROPDOWN_LIMIT if fragment else PAGE_LIMIT)
    context = {
        "query": query,
        "too_short": bool(query) and not query_terms(query),
        "min_length": MIN_LENGTH,
        "groups": groups,
        "count": sum(len(group.hits) for group in groups),
    }
    return render(request, "core/_search_results.html" if fragment else "core/search.html", context)
