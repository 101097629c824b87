"""The header search among workshops: folded titles, only the programmes the user may see."""

import pytest

from ketnoi.core.tests.search_helpers import found, hit_urls, search_queries
from ketnoi.events.tests.factories import make_workshop

pytestmark = pytest.mark.django_db


def test_workshop_found_without_diacritics_by_those_who_see_its_programme(
    coordinator, viewer, other_coordinator, outsider, staff_admin, prog
):
    workshop = make_workshop(coordinator, prog, title="Hội thảo Đà Nẵng về tiếp cận thông tin")
    for user in (coordinator, viewer, staff_admin):
        assert found(user, "da nang", "events.workshops") == [workshop.title]
    assert hit_urls(coordinator, "tiep can", "events.workshops") == [f"/programmes/{prog.code}/events/{workshop.pk}/"]
    assert found(other_coordinator, "da nang", "events.workshops") == []
    assert found(outsider, "da nang", "events.workshops") == []


def test_query_count_does_not_grow_with_rows(client_for, coordinator, prog):
    client = client_for(coordinator)
    for i in range(3):
        make_workshop(coordinator, prog, title=f"Hội thảo Nguyễn Trãi {i}")
    few = search_queries(client, "nguyen")
    for i in range(3, 30):
        make_workshop(coordinator, prog, title=f"Hội thảo Nguyễn Trãi {i}")
    assert search_queries(client, "nguyen") == few
