"""The header search in the library: documents by folded title, as their access level allows
(public ones for everyone, partners' for the programme's members, staff-only for its library
staff)."""

import pytest

from ketnoi.core.tests.search_helpers import found, hit_urls, search_queries
from ketnoi.library.tests.factories import make_document

pytestmark = pytest.mark.django_db

KIND = "library.documents"


def test_public_document_found_by_anyone_signed_in(coordinator, outsider, other_coordinator, prog):
    document = make_document(prog, "Báo cáo Đồng Tháp", access="public")
    for user in (coordinator, outsider, other_coordinator):
        assert found(user, "dong thap", KIND) == ["Báo cáo Đồng Tháp"]
    assert hit_urls(outsider, "bao cao", KIND) == [f"/library/d/{document.pk}/"]


def test_partners_and_staff_documents_by_access_level(
    coordinator, lecturer, other_coordinator, outsider, staff_admin, prog
):
    make_document(prog, "Sổ tay Cà Mau", access="partners")
    make_document(prog, "Hồ sơ nội bộ Cà Mau", access="staff")
    assert sorted(found(coordinator, "ca mau", KIND)) == ["Hồ sơ nội bộ Cà Mau", "Sổ tay Cà Mau"]
    assert sorted(found(staff_admin, "ca mau", KIND)) == ["Hồ sơ nội bộ Cà Mau", "Sổ tay Cà Mau"]
    assert found(lecturer, "ca mau", KIND) == ["Sổ tay Cà Mau"]
    assert found(other_coordinator, "ca mau", KIND) == []
    assert found(outsider, "ca mau", KIND) == []


def test_page_links_to_the_library_search(client_for, outsider, prog):
    for i in range(21):
        make_document(prog, f"Nghiên cứu Nguyễn {i}")
    body = client_for(outsider).get("/search/", {"q": "nguyen"}).content.decode()
    assert 'href="/library/?q=nguyen"' in body


def test_query_count_does_not_grow_with_rows(client_for, coordinator, prog):
    client = client_for(coordinator)
    for i in range(3):
        make_document(prog, f"Nghiên cứu Nguyễn {i}", access=["public", "partners", "staff"][i % 3])
    few = search_queries(client, "nguyen")
    for i in range(3, 30):
        make_document(prog, f"Nghiên cứu Nguyễn {i}", access=["public", "partners", "staff"][i % 3])
    assert search_queries(client, "nguyen") == few
