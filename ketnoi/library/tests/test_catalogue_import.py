"""A catalogue of documents uploaded to a programme's library: read by a background task with
progress, previewed page by page (only the rows with problems on demand), the refused rows
downloaded with their reason, confirmed into documents made by `document_create`."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from ketnoi.core.models import AuditEntry
from ketnoi.directory.tests.factories import run_tasks
from ketnoi.library.models import Document, DocumentImport, DocumentImportRow
from ketnoi.library.services import document_import_confirm, document_import_start

pytestmark = pytest.mark.django_db

HEADER = "Nhan đề,Tác giả,Năm,Loại,Ngôn ngữ,Chủ đề,Nhà xuất bản,URL"
ROWS = [
    "Báo cáo giới 2024,Nguyễn Lan; Tổ chức: Viện Chính sách,2024,Báo cáo nghiên cứu,Tiếng Việt,"
    "giới; bình đẳng,NXB Lao động,https://example.org/a",  # 2
    ",Trần Minh,2020,Sách,vi,,,",  # 3: no title
    "Luật Trẻ em,Quốc hội,2016,Văn bản pháp luật,vi,trẻ em,,",  # 4: already in the library
    "Giáo trình kỹ năng,,1800,Tài liệu đào tạo,en,,,",  # 5: bad year
    "Báo cáo giới 2024,,2024,,,,,",  # 6: same as line 2
    '=HYPERLINK("http://x"),,2021,robot,klingon,,,ftp://x',  # 7: many errors, a formula cell
]


def catalogue(rows=ROWS) -> SimpleUploadedFile:
    return SimpleUploadedFile("danh-muc.csv", ("\n".join([HEADER, *rows]) + "\n").encode())


def url(name: str, prog, document_import=None, query: str = "") -> str:
    args = [prog.code] + ([document_import.pk] if document_import else [])
    return reverse(f"library:{name}", args=args) + query


@pytest.fixture
def existing(make_document):
    return make_document("Luật Trẻ em", year=2016)


def test_upload_preview_refused_file_and_confirm(client_for, coordinator, prog, existing):
    client = client_for(coordinator)
    assert "Nhập danh mục" in client.get(url("documents", prog)).content.decode()
    with run_tasks():
        response = client.post(url("catalogue_import", prog), {"file": catalogue()})
    document_import = DocumentImport.objects.get()
    assert response["Location"] == url("catalogue_import_preview", prog, document_import)
    assert document_import.status == "preview"
    assert document_import.progress == {"read": 6, "matched": 2, "new": 1, "refused": 3}
    assert Document.objects.count() == 1  # nothing made yet

    page = client.get(response["Location"])
    assert [row.line for row in page.context["page"].object_list] == [2, 3, 4, 5, 6, 7]
    problems = client.get(url("catalogue_import_preview", prog, document_import, "?problems=1"))
    assert [row.line for row in problems.context["page"].object_list] == [3, 4, 5, 6, 7]
    html = problems.content.decode()
    assert "Dòng 3: thiếu nhan đề" in html and "Trùng với tài liệu đã có" in html

    refused = client.get(url("catalogue_import_refused", prog, document_import))
    sheet = load_workbook(io.BytesIO(refused.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (*HEADER.split(","), "Lý do")
    assert [row[0] for row in rows[1:]] == [None, "Giáo trình kỹ năng", '=HYPERLINK("http://x")']
    assert "năm “1800” không hợp lệ" in rows[2][8]
    assert "loại “robot” không rõ" in rows[3][8] and "ngôn ngữ “klingon”" in rows[3][8] and "địa chỉ web" in rows[3][8]
    assert sheet["A4"].data_type == "s"

    with run_tasks():
        client.post(url("catalogue_import_confirm", prog, document_import))
    document_import.refresh_from_db()
    assert document_import.status == "confirmed" and document_import.summary["created"] == 1
    document = Document.objects.get(title="Báo cáo giới 2024")
    assert document.programme == prog and document.year == 2024 and document.type == "research"
    assert document.url == "https://example.org/a" and document.publisher == "NXB Lao động"
    assert list(document.creators.values_list("name", "is_organisation")) == [
        ("Nguyễn Lan", False),
        ("Viện Chính sách", True),
    ]
    assert sorted(document.subjects.values_list("name", flat=True)) == ["bình đẳng", "giới"]
    assert AuditEntry.objects.filter(action="library.document_create").count() == 1
    assert AuditEntry.objects.filter(action="library.document_import_confirm").count() == 1
    assert not document_import.upload
    with pytest.raises(Exception, match="đã được xác nhận"):
        document_import_confirm(actor=coordinator, document_import=document_import)


def test_a_thousand_rows_page_and_write_in_batches(coordinator, prog):
    rows = [f"Tài liệu số {i},Tác giả {i},2020,,,,," for i in range(1000)]
    with run_tasks():
        document_import = document_import_start(actor=coordinator, programme=prog, uploaded_file=catalogue(rows))
    document_import.refresh_from_db()
    assert document_import.progress == {"read": 1000, "matched": 0, "new": 1000, "refused": 0}
    with run_tasks():
        document_import_confirm(actor=coordinator, document_import=document_import)
    document_import.refresh_from_db()
    assert document_import.progress["written"] == 1000 and Document.objects.count() == 1000


@pytest.mark.parametrize(
    ("content", "name", "words"),
    [
        ("Tên đệm,Tuổi\nA,3\n".encode(), "a.csv", "Không tìm thấy cột nhan đề"),
        ("Nhan đề\nA\n".encode("utf-16"), "a.csv", "UTF-8"),
        (b"PK\x03\x04 not a zip", "a.xlsx", "Không đọc được tệp Excel"),
        (("Nhan đề\n" + "Sách\n" * 10_001).encode(), "a.csv", "10,000"),
    ],
)
def test_bad_files_fail_with_a_reason_and_nothing_written(coordinator, prog, content, name, words):
    with run_tasks():
        document_import = document_import_start(
            actor=coordinator, programme=prog, uploaded_file=SimpleUploadedFile(name, content)
        )
    document_import.refresh_from_db()
    assert document_import.status == "failed" and words in document_import.failure
    assert not DocumentImportRow.objects.exists() and Document.objects.count() == 0 and not document_import.upload


def test_fake_workbook_is_refused_next_to_the_file(client_for, coordinator, prog):
    response = client_for(coordinator).post(
        url("catalogue_import", prog), {"file": SimpleUploadedFile("a.xlsx", b"Nhan de\nA\n")}
    )
    assert response.status_code == 200 and 'id="id_file_error"' in response.content.decode()
    assert not DocumentImport.objects.exists()


def make_import(user, prog, n: int) -> DocumentImport:
    document_import = DocumentImport.objects.create(
        programme=prog, filename="a.csv", status="preview", summary={"new": n}, created_by=user
    )
    DocumentImportRow.objects.bulk_create(
        DocumentImportRow(
            document_import=document_import,
            line=i + 2,
            status=["new", "duplicate", "error"][i % 3],
            cells=[f"Sách {i}"],
            data={"title": f"Sách {i}", "creators": ["A"], "year": 2020},
            errors=["thiếu năm"] if i % 3 == 2 else [],
            duplicate_of={"line": 2} if i % 3 == 1 else None,
        )
        for i in range(n)
    )
    return document_import


@pytest.mark.parametrize("query", ["", "?problems=1&page=2"])
def test_preview_query_count_does_not_grow(client_for, coordinator, prog, query):
    client = client_for(coordinator)
    counts = []
    for n in (30, 3000):
        document_import = make_import(coordinator, prog, n)
        client.get(url("catalogue_import_preview", prog, document_import, query))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("catalogue_import_preview", prog, document_import, query)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("name", ["catalogue_import_preview", "catalogue_import_progress", "catalogue_import_refused"])
def test_others_cannot_see_an_import_or_its_refused_rows(
    client_for, coordinator, other_coordinator, outsider, viewer, prog, name
):
    document_import = make_import(coordinator, prog, 6)
    assert client_for(coordinator).get(url(name, prog, document_import)).status_code in (200, 286)
    for persona in (other_coordinator, outsider, viewer):
        response = client_for(persona).get(url(name, prog, document_import))
        assert response.status_code in (403, 404) and "Sách 2".encode() not in response.content
    for persona in (other_coordinator, outsider):
        response = client_for(persona).post(url("catalogue_import_confirm", prog, document_import))
        assert response.status_code in (403, 404)
    assert client_for(outsider).post(url("catalogue_import", prog), {"file": catalogue()}).status_code in (403, 404)
    assert Document.objects.count() == 0 and DocumentImport.objects.count() == 1
