"""The reader's pages: search with facets and snippets, a document's page, file downloads —
each seen by anonymous readers, partners, library staff and a user with no role."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from ketnoi.library.models import DocumentFile

SEARCH = "/library/"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def attach(document, name="ban-in.txt", content=b"noi dung", status=DocumentFile.Status.READY):
    file = DocumentFile(
        document=document,
        original_name=name,
        media_type="text/plain",
        size=len(content),
        sha256="0" * 64,
        status=status,
    )
    file.file.save(name, ContentFile(content), save=False)
    file.save()
    return file


@pytest.mark.django_db
class TestSearchPage:
    def test_anonymous_search_with_snippet_and_facets(self, client, make_document):
        make_document("Sổ tay vận động chính sách", pages=["Các bước vận động chính sách ở cấp tỉnh."], year=2019)
        make_document("Tài liệu nội bộ về vận động chính sách", pages=["bí mật"], access="staff")
        response = client.get(SEARCH, {"q": "van dong chinh sach"})
        html = response.content.decode()
        assert response.status_code == 200
        assert "<mark>vận động chính sách</mark>" in html
        assert "nội bộ" not in html
        assert 'id="facet-year"' in html
        assert "1 tài liệu phù hợp" in html

    def test_no_results_says_what_to_try(self, client, make_document):
        make_document("Một tài liệu")
        html = client.get(SEARCH, {"q": "khong co gi"}).content.decode()
        assert 'id="no-results"' in html
        assert "Gõ không dấu" in html

    def test_empty_library_guides_anonymous_readers_to_sign_in(self, client, db):
        html = client.get(SEARCH).content.decode()
        assert 'id="empty-library"' in html
        assert reverse("login") in html

    def test_facet_link_filters_and_chip_removes_it(self, client, make_document):
        make_document("Luật về hội", type="legal", year=2016)
        make_document("Hội và pháp luật", type="research", year=2020)
        html = client.get(SEARCH, {"q": "hoi", "type": "legal"}).content.decode()
        assert "Luật về <mark>hội</mark>" in html and "<mark>Hội</mark> và pháp luật" not in html
        assert 'id="active-filters"' in html

    def test_bad_parameters_never_fail(self, client, make_document):
        make_document("Tài liệu")
        for params in ({"page": "abc"}, {"page": "99999"}, {"q": "x" * 5000}, {"year": "-1"}, {"q": '"NEAR(*'}):
            assert client.get(SEARCH, params).status_code == 200
        assert client.get(SEARCH, {"cite": "docx"}).status_code == 404

    @pytest.mark.parametrize("odd", ["³", "²⁰²⁴", "٣", "9" * 30])
    def test_numbers_in_other_scripts_never_fail(self, client, make_document, odd):
        """ "³".isdigit() is true and int("³") fails: /library/?year=³ was a 500."""
        make_document("Tài liệu", year=2020)
        for name in ("year", "subject", "collection", "page"):
            assert client.get(SEARCH, {name: odd}).status_code == 200, name

    def test_query_count_does_not_grow_with_results(
        self, client, make_document, django_assert_max_num_queries, staff_admin
    ):
        for i in range(25):
            make_document(f"Tổ chức xã hội {i}", pages=[f"tổ chức xã hội trang {i}"], subjects=["Xã hội"])
        client.force_login(staff_admin)
        with django_assert_max_num_queries(16):
            response = client.get(SEARCH, {"q": "to chuc xa hoi"})
        assert response.content.decode().count('class="library-snippet"') == 20
        with django_assert_max_num_queries(16):
            client.get(SEARCH)

    def test_result_list_exports_citations(self, client, make_document):
        make_document("Vận động chính sách", year=2019)
        make_document("Tài liệu nội bộ vận động", access="staff")
        response = client.get(SEARCH, {"q": "van dong", "cite": "ris"})
        body = response.content.decode()
        assert response.status_code == 200
        assert "Vận động chính sách" in body and "nội bộ" not in body
        assert "attachment" in response["Content-Disposition"]


@pytest.mark.django_db
class TestDocumentPage:
    def test_access_levels(self, client, client_for, make_document, viewer, curator, outsider):
        public = make_document("Công khai", access="public")
        partners = make_document("Đối tác", access="partners")
        staff = make_document("Nội bộ", access="staff")
        url = lambda d: reverse("library_public:document", args=[d.pk])  # noqa: E731
        assert client.get(url(public)).status_code == 200
        assert client.get(url(partners)).status_code == 404
        c = client_for(outsider)
        assert c.get(url(partners)).status_code == 404
        assert c.get(url(staff)).status_code == 404
        c = client_for(viewer)
        assert c.get(url(partners)).status_code == 200
        assert c.get(url(staff)).status_code == 404
        c = client_for(curator)
        assert c.get(url(staff)).status_code == 200

    def test_another_programme_s_coordinator_sees_the_public_documents_only(
        self, client_for, make_document, other_coordinator
    ):
        public = make_document("Công khai", access="public")
        c = client_for(other_coordinator)
        assert c.get(reverse("library_public:document", args=[public.pk])).status_code == 200
        for access in ("partners", "staff"):
            document = make_document(f"Tài liệu {access}", access=access)
            assert c.get(reverse("library_public:document", args=[document.pk])).status_code == 404, access

    def test_embargo_hides_files_until_the_date(self, client, client_for, make_document, curator, media):
        date = timezone.localdate() + timedelta(days=10)
        doc = make_document("Dự thảo Luật về hội", embargo_until=date)
        file = attach(doc)
        page = client.get(reverse("library_public:document", args=[doc.pk])).content.decode()
        assert 'id="embargo"' in page and date.strftime("%d/%m/%Y") in page
        assert client.get(reverse("library_public:file", args=[file.pk])).status_code == 404
        staff_client = client_for(curator)
        assert staff_client.get(reverse("library_public:file", args=[file.pk])).status_code == 200


@pytest.mark.django_db
class TestFileDownload:
    def test_download_is_an_attachment_for_readers_only(self, client, client_for, make_document, outsider, media):
        public_file = attach(make_document("Công khai"), name="bao-cao.html", content=b"<script>x</script>")
        staff_file = attach(make_document("Nội bộ", access="staff"))
        response = client.get(reverse("library_public:file", args=[public_file.pk]))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert client_for(outsider).get(reverse("library_public:file", args=[staff_file.pk])).status_code == 404

    def test_a_file_not_extracted_yet_is_for_staff_only(self, client, make_document, media):
        pending = attach(make_document("Đang xử lý"), status=DocumentFile.Status.PENDING)
        assert client.get(reverse("library_public:file", args=[pending.pk])).status_code == 404

    def test_missing_stored_file_is_404(self, client, make_document, media):
        file = attach(make_document("Mất tệp"))
        (media / file.file.name).unlink()
        assert client.get(reverse("library_public:file", args=[file.pk])).status_code == 404
