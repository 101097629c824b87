"""Checks every app's back-office tests share: a read-only admin page, and pages whose query
count does not grow with the rows they show. Imported by the apps' test_admin.py modules."""

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def admin_pages(app: str, rows: dict) -> list[str]:
    """The changelist and the change page of every model in `rows` ({model_name: a row})."""
    return [reverse(f"admin:{app}_{m}_changelist") for m in rows] + [
        reverse(f"admin:{app}_{m}_change", args=[row.pk]) for m, row in rows.items()
    ]


def assert_read_only(client, app: str, model: str, row, *, listed: int | None = 1) -> None:
    """Staff see the list (`listed` rows, None: at least one) and the row's page, which has
    nothing to save; adding and deleting are refused and the row stays."""
    changelist = client.get(reverse(f"admin:{app}_{model}_changelist"))
    assert changelist.status_code == 200
    count = changelist.context["cl"].result_count
    assert count == listed if listed is not None else count >= 1
    change = client.get(reverse(f"admin:{app}_{model}_change", args=[row.pk]))
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()  # nothing to save: a view page
    assert client.get(reverse(f"admin:{app}_{model}_add")).status_code == 403
    delete = reverse(f"admin:{app}_{model}_delete", args=[row.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert type(row).objects.filter(pk=row.pk).exists()


def assert_flat_query_counts(client, urls: list[str], grow: Callable[[int], None]) -> None:
    """Each page costs as many queries with 8 rows (and children) as with 2: `grow(i)` adds the
    i-th row. Pages are read once first so that caches (content types, sessions) are warm."""
    grow(2)
    for url in urls:
        client.get(url)
    few = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        few[url] = len(queries)
    for i in range(3, 9):
        grow(i)
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        assert len(queries) == few[url], url
        if "cl" in response.context:
            assert response.context["cl"].result_count >= 8, url
