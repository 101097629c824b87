"""The header search in the directory: people and organisations, folded, for those who may read
the directory (any programme role, staff), nobody else."""

import re

import pytest

from ketnoi.core.tests.search_helpers import found, hit_urls, search_queries
from ketnoi.directory.tests.factories import make_organisation, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(db):
    org = make_organisation("Trung tâm Phát triển Đồng bằng", short_name="ĐBSCL")
    hoa = make_person("Đặng Thị Hoà", organisation=org, position="Giám đốc", email="hoa@example.org")
    make_person("Nguyễn Văn Nam")
    return org, hoa


def test_people_and_organisations_found_without_diacritics(coordinator, rows):
    org, hoa = rows
    assert found(coordinator, "dang hoa", "directory.people") == ["Đặng Thị Hoà"]
    assert found(coordinator, "ĐẶNG", "directory.people") == ["Đặng Thị Hoà"]
    assert found(coordinator, "hoa@example", "directory.people") == ["Đặng Thị Hoà"]
    assert hit_urls(coordinator, "dang", "directory.people") == [f"/directory/people/{hoa.pk}/"]
    assert found(coordinator, "dong bang", "directory.organisations") == [str(org)]
    assert found(coordinator, "dbscl", "directory.organisations") == [str(org)]


def test_only_directory_readers_find_people(outsider, learner, other_coordinator, staff_admin, rows):
    assert found(outsider, "dang", "directory.people") == []
    assert found(learner, "dong bang", "directory.organisations") == []
    # The directory is shared by all programmes: any role reads it, as its own pages decide.
    assert found(other_coordinator, "dang", "directory.people") == ["Đặng Thị Hoà"]
    assert found(staff_admin, "dang", "directory.people") == ["Đặng Thị Hoà"]


def test_erased_people_are_not_found(coordinator, rows):
    _org, hoa = rows
    hoa.erased_at = hoa.created_at
    hoa.save()
    assert found(coordinator, "dang", "directory.people") == []


def test_page_links_to_the_filtered_lists(client_for, coordinator, db):
    for i in range(25):
        make_person(f"Nguyễn Thị Lan {i}")
    body = client_for(coordinator).get("/search/", {"q": "nguyen"}).content.decode()
    assert len(re.findall(r'href="/directory/people/\d+/"', body)) == 20
    assert 'href="/directory/people/?q=nguyen"' in body


def test_query_count_does_not_grow_with_rows(client_for, coordinator, db):
    client = client_for(coordinator)
    for i in range(3):
        make_person(f"Nguyễn Văn {i}", organisation=make_organisation(f"Hội Nguyễn {i}"))
    few = search_queries(client, "nguyen")
    for i in range(3, 30):
        make_person(f"Nguyễn Văn {i}", organisation=make_organisation(f"Hội Nguyễn {i}"))
    assert search_queries(client, "nguyen") == few


def test_names_with_a_word_starting_with_the_query_come_first(coordinator, db):
    for name in ["Trần Thị Lan", "Nguyễn Văn An", "Lê Ánh Bình", "Đỗ Thanh"]:
        make_person(name)
    assert found(coordinator, "an", "directory.people") == [
        "Lê Ánh Bình",
        "Nguyễn Văn An",
        "Đỗ Thanh",
        "Trần Thị Lan",
    ]
