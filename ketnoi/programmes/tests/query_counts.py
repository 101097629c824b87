"""Counting a page's queries, for the tests that check a page's query count does not grow."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def page_queries(client, url: str) -> int:
    """The queries of one GET of `url` (which must answer 200), after a warm-up GET."""
    client.get(url)  # warm up: content types and sessions cached
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)
