"""List pages cost the same number of queries whatever the number of rows (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ketnoi.core.services import api_token_create
from ketnoi.core.tests.factories import api_key

from .factories import make_organisation, make_person, province

pytestmark = pytest.mark.django_db


def add_rows(start: int, stop: int, parent) -> None:
    legacy = province("Hậu Giang", scheme="legacy")
    for i in range(start, stop):
        organisation = make_organisation(f"Tổ chức {i:02d}", parent=parent, province=legacy if i % 2 else None)
        make_person(f"Người {i:02d}", organisation=organisation, province=legacy if i % 3 else province("Huế"))


def count(client, url: str, **extra) -> int:
    client.get(url, **extra)  # warm up: content types cached, API token's last use stamped
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, **extra).status_code == 200
    return len(queries)


URLS = [
    reverse("directory:organisation_list"),
    reverse("directory:person_list"),
    reverse("directory:person_list") + "?q=nguoi&province=",
    reverse("directory:person_duplicates"),
]


@pytest.mark.parametrize("url", URLS)
def test_list_pages_do_not_grow_with_rows(client_for, coordinator, django_assert_num_queries, url):
    parent = make_organisation("Học viện", province=province("Hà Nội"))
    add_rows(0, 3, parent)
    client = client_for(coordinator)
    expected = count(client, url)
    add_rows(3, 30, parent)
    with django_assert_num_queries(expected):
        client.get(url)


def test_detail_pages_do_not_grow_with_rows(client_for, coordinator, django_assert_num_queries):
    parent = make_organisation("Học viện", province=province("Hà Nội"))
    add_rows(0, 3, parent)
    client = client_for(coordinator)
    url = reverse("directory:organisation_detail", args=[parent.pk])
    expected = count(client, url)
    add_rows(3, 30, parent)
    with django_assert_num_queries(expected):
        client.get(url)


@pytest.mark.parametrize("path", ["/organisations", "/people"])
def test_api_lists_do_not_grow_with_rows(client, coordinator, django_assert_num_queries, path):
    parent = make_organisation("Học viện", province=province("Hà Nội"))
    add_rows(0, 3, parent)
    _token, key = api_token_create(actor=coordinator, name="t")
    url = f"/api/v1/directory{path}"
    expected = count(client, url, HTTP_AUTHORIZATION=f"Bearer {key}")
    add_rows(3, 30, parent)
    with django_assert_num_queries(expected):
        client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}")


def test_outsider_is_refused_the_lists(client, client_for, outsider):
    add_rows(0, 3, make_organisation("Học viện", province=province("Hà Nội")))
    pages = client_for(outsider)
    for url in URLS:
        assert pages.get(url).status_code == 403, url
    key = api_key(outsider)
    for path in ["/organisations", "/people"]:
        assert client.get(f"/api/v1/directory{path}", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 403, path
