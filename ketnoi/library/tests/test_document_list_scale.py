"""The curators' document list at scale (issue 14, bench/scale.py): each document's files are
counted for the page shown, not for the whole library, and the counts stay right."""

import re

from django.urls import reverse

from ketnoi.library.models import DocumentFile


def _file(document, status: str) -> DocumentFile:
    return DocumentFile.objects.create(
        document=document,
        file=f"library/test/{document.pk}-{status}.txt",
        original_name=f"{status}.txt",
        media_type="text/plain",
        size=1,
        sha256="0" * 64,
        status=status,
    )


def _row(body: str, document) -> str:
    return re.search(rf'<tr id="document-{document.pk}".*?</tr>', body, re.S).group(0)


def test_each_document_on_the_page_shows_its_own_file_counts(client_for, curator, prog, make_document):
    mixed = make_document("Báo cáo có ba loại tệp")
    for status in ("ready", "ready", "pending", "failed"):
        _file(mixed, status)
    bare = make_document("Sách chưa có tệp")
    body = client_for(curator).get(reverse("library:documents", args=[prog.code])).content.decode()
    row = _row(body, mixed)
    assert "2 tệp sẵn sàng" in row and "1 tệp đang xử lý" in row and "1 tệp lỗi" in row
    assert "Chưa có tệp" in _row(body, bare)


def test_the_list_costs_the_same_queries_with_3_or_30_documents(client_for, curator, prog, make_document):
    client = client_for(curator)
    page = reverse("library:documents", args=[prog.code])

    def queries_for_a_list_of(n: int) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        while len(made) < n:
            made.append(make_document(f"Tài liệu số {len(made)}"))
            _file(made[-1], "ready")
        client.get(page)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page).status_code == 200
        return len(captured)

    made = []
    assert queries_for_a_list_of(3) == queries_for_a_list_of(30)
