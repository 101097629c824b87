"""The library API: public documents for anyone, more with a token, never a staff-only
document to a reader, a bad token refused rather than silently treated as anonymous."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ketnoi.library.models import Collection, CollectionItem

PREFIX = "/api/v1/library"


@pytest.fixture
def api_client(api_client_under):
    return api_client_under(PREFIX)


@pytest.fixture
def shelf(make_document):
    public = make_document("Tổ chức xã hội công khai", pages=["vận động chính sách"], access="public", year=2020)
    partners = make_document("Tổ chức xã hội cho đối tác", pages=["vận động chính sách"], access="partners")
    staff = make_document("Tổ chức xã hội nội bộ", pages=["vận động chính sách"], access="staff")
    return public, partners, staff


def titles(response):
    body = response.json()
    items = body["items"] if "items" in body else [r["document"] for r in body["results"]]
    return {item["title"] for item in items}


@pytest.mark.django_db
class TestReaders:
    def test_anonymous_reads_public_documents_only(self, client, shelf):
        assert titles(client.get(f"{PREFIX}/documents")) == {"Tổ chức xã hội công khai"}
        assert titles(client.get(f"{PREFIX}/search", {"q": "to chuc xa hoi"})) == {"Tổ chức xã hội công khai"}
        assert client.get(f"{PREFIX}/documents/{shelf[2].pk}").status_code == 404
        assert client.get(f"{PREFIX}/documents/{shelf[1].pk}").status_code == 404

    def test_token_scopes_to_the_user(self, api_client, shelf, viewer, curator, outsider):
        assert titles(api_client(outsider)("get", "/documents")) == {"Tổ chức xã hội công khai"}
        assert len(titles(api_client(viewer)("get", "/search?q=van+dong"))) == 2
        assert len(titles(api_client(curator)("get", "/search?q=van+dong"))) == 3
        assert api_client(viewer)("get", f"/documents/{shelf[2].pk}").status_code == 404
        assert api_client(viewer)("get", f"/documents/{shelf[1].pk}").status_code == 200

    def test_invalid_token_is_refused(self, client, shelf):
        response = client.get(f"{PREFIX}/documents", HTTP_AUTHORIZATION="Bearer not-a-token")
        assert response.status_code == 401

    def test_search_returns_snippets_and_facets(self, client, shelf):
        body = client.get(f"{PREFIX}/search", {"q": "van dong chinh sach", "type": "research"}).json()
        assert body["total"] == 1
        assert "<mark>vận động chính sách</mark>" in body["results"][0]["snippet_html"]
        assert body["facets"]["year"][0]["value"] == "2020"

    def test_embargoed_files_are_not_listed(self, client, make_document):
        doc = make_document("Dự thảo", pages=["nội dung"], embargo_until=timezone.localdate() + timedelta(days=9))
        body = client.get(f"{PREFIX}/documents/{doc.pk}").json()
        assert body["files"] == []
        assert body["embargo_until"]

    def test_bad_filters_are_ignored_not_errors(self, client, shelf):
        assert client.get(f"{PREFIX}/documents", {"year": "abc", "type": "<x>"}).status_code == 200
        assert client.get(f"{PREFIX}/search", {"q": '"*NEAR(', "page": "999"}).status_code == 200

    @pytest.mark.parametrize("odd", ["³", "²⁰²⁴", "٣", "①", "9" * 30])
    def test_numbers_in_other_scripts_are_ignored_not_errors(self, client, shelf, odd):
        """ "³".isdigit() is true and int("³") fails: ?year=³ was a 500."""
        for path in ("/documents", "/search"):
            for name in ("year", "subject", "collection"):
                response = client.get(f"{PREFIX}{path}", {"q": "hoi", name: odd})
                assert response.status_code == 200, (path, name, response.content)

    def test_document_list_queries_do_not_grow(self, client, make_document, django_assert_max_num_queries):
        for i in range(30):
            make_document(f"Tài liệu {i}", subjects=["Giới"])
        with django_assert_max_num_queries(6):
            response = client.get(f"{PREFIX}/documents", {"limit": 30})
        assert len(response.json()["items"]) == 30


@pytest.mark.django_db
def test_collections_show_only_what_the_reader_may_see(client, api_client, shelf, prog, viewer, outsider):
    corner = Collection.objects.create(programme=prog, name="Góc kiến thức")
    for document in shelf:
        CollectionItem.objects.create(collection=corner, document=document, status=CollectionItem.Status.DELIVERED)
    hidden = Collection.objects.create(programme=prog, name="Chỉ đối tác")
    CollectionItem.objects.create(collection=hidden, document=shelf[1], status=CollectionItem.Status.SELECTED)
    anonymous = client.get(f"{PREFIX}/collections").json()["items"]
    assert [(c["name"], c["documents"]) for c in anonymous] == [("Góc kiến thức", 1)]
    as_viewer = api_client(viewer)("get", "/collections").json()["items"]
    assert {(c["name"], c["documents"]) for c in as_viewer} == {("Góc kiến thức", 2), ("Chỉ đối tác", 1)}
    assert api_client(outsider)("get", f"/collections/{hidden.pk}/documents").status_code == 404
    docs = client.get(f"{PREFIX}/collections/{corner.pk}/documents").json()["items"]
    assert [d["title"] for d in docs] == ["Tổ chức xã hội công khai"]


@pytest.mark.django_db
def test_another_programme_s_coordinator_reads_the_public_documents_only(api_client, shelf, other_coordinator):
    call = api_client(other_coordinator)
    assert titles(call("get", "/documents")) == {"Tổ chức xã hội công khai"}
    assert titles(call("get", "/search?q=to+chuc+xa+hoi")) == {"Tổ chức xã hội công khai"}
    assert call("get", f"/documents/{shelf[1].pk}").status_code == 404
    assert call("get", f"/documents/{shelf[2].pk}").status_code == 404
