"""What the apps' header search tests share: the titles one kind finds for a user, and the
number of queries one search costs (which must not grow with the rows)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ketnoi.core.views_search import find


def found(user, query: str, kind: str, *, limit: int = 20) -> list[str]:
    """The titles of `kind`'s hits for `query`, as `user` would see them on the page."""
    for group in find(user, query, limit=limit):
        if group.kind == kind:
            return [hit.title for hit in group.hits]
    return []


def hit_urls(user, query: str, kind: str) -> list[str]:
    for group in find(user, query, limit=20):
        if group.kind == kind:
            return [hit.url for hit in group.hits]
    return []


def search_queries(client, query: str) -> int:
    """The queries of one dropdown request (every kind searched), after a first warming one."""
    url = reverse("search")
    client.get(url, {"q": query}, HTTP_HX_REQUEST="true")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"q": query}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return len(captured)
