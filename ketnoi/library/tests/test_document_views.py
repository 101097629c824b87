"""The programme's library pages: who sees what, forms that refuse bad input without a 500,
an upload through the page, and a list whose query count does not grow with its rows."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ketnoi.core.models import AuditEntry
from ketnoi.core.text import fold
from ketnoi.library import search_index, services
from ketnoi.library.models import Collection, CollectionItem, Document, DocumentFile, PhysicalCopy
from ketnoi.library.search_index import FOLDED, Term

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media) -> list[Path]:
    return [p for p in Path(media).rglob("*") if p.is_file()] if Path(media).exists() else []


def found(text: str) -> set[int]:
    result = None
    for syllable in fold(text).split():
        ids = {hit.document_id for hit in search_index.search([Term(syllable, FOLDED)])}
        result = ids if result is None else result & ids
    return result or set()


def url(name, prog, *args):
    return reverse(f"library:{name}", args=[prog.code, *args])


@pytest.fixture
def document(prog, curator):
    return services.document_create(
        actor=curator, programme=prog, title="Báo cáo về tổ chức xã hội", type="research", access="partners"
    )


def form_data(**fields):
    data = {
        "title": "Luật về hội: dự thảo",
        "type": "legal",
        "language": "vi",
        "access": "public",
        "creators": "Tổ chức: Bộ Nội vụ\nNguyễn Văn A",
        "subjects": "luật về hội, tổ chức xã hội",
        "year": "2024",
        "issued": "15/03/2024",
        "embargo_until": "",
    }
    data.update(fields)
    return data


# Who sees what -----------------------------------------------------------------------------------


def test_outsider_gets_404_everywhere(client_for, outsider, prog, document):
    client = client_for(outsider)
    file = DocumentFile.objects.create(
        document=document, file="library/x.txt", original_name="x.txt", media_type="text/plain", size=1, sha256="a"
    )
    copy = PhysicalCopy.objects.create(document=document, location="Kho")
    for name, args in [
        ("documents", []),
        ("document_create", []),
        ("document_manage", [document.pk]),
        ("document_edit", [document.pk]),
        ("document_delete", [document.pk]),
    ]:
        assert client.get(url(name, prog, *args)).status_code == 404, name
    for name, args in [
        ("document_create", []),
        ("document_edit", [document.pk]),
        ("document_delete", [document.pk]),
        ("file_add", [document.pk]),
        ("copy_add", [document.pk]),
        ("file_remove", [file.pk]),
        ("file_retry", [file.pk]),
        ("copy_remove", [copy.pk]),
    ]:
        assert client.post(url(name, prog, *args), form_data(location="Kho", count=1)).status_code == 404, name
    assert Document.objects.get(pk=document.pk).title == "Báo cáo về tổ chức xã hội"
    assert DocumentFile.objects.filter(pk=file.pk).exists() and PhysicalCopy.objects.filter(pk=copy.pk).exists()


def test_anonymous_is_sent_to_log_in(client, prog):
    response = client.get(url("documents", prog))
    assert response.status_code == 302 and "login" in response["Location"]


def test_other_programmes_coordinator_gets_404(client_for, other_coordinator, prog, other_prog, document):
    client = client_for(other_coordinator)
    assert client.get(url("documents", prog)).status_code == 404
    assert client.get(url("document_manage", prog, document.pk)).status_code == 404
    assert client.post(url("document_edit", prog, document.pk), form_data()).status_code == 404
    # Nor through their own programme's address.
    assert client.get(url("document_manage", other_prog, document.pk)).status_code == 404
    assert client.get(url("documents", other_prog)).status_code == 200


def test_viewer_sees_list_and_public_link_but_cannot_create(client_for, viewer, prog, document):
    client = client_for(viewer)
    response = client.get(url("documents", prog))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Báo cáo về tổ chức xã hội" in body
    assert reverse("library_public:document", args=[document.pk]) in body
    assert url("document_manage", prog, document.pk) not in body
    assert "Thêm tài liệu" not in body
    assert client.get(url("document_create", prog)).status_code == 404
    assert client.post(url("document_create", prog), form_data()).status_code == 404
    assert client.get(url("document_manage", prog, document.pk)).status_code == 404
    assert Document.objects.count() == 1


def test_lecturer_cannot_edit(client_for, lecturer, prog, document):
    client = client_for(lecturer)
    assert client.get(url("document_edit", prog, document.pk)).status_code == 404
    assert client.post(url("document_edit", prog, document.pk), form_data(title="Đổi tên")).status_code == 404
    document.refresh_from_db()
    assert document.title == "Báo cáo về tổ chức xã hội"


def test_staff_only_document_hidden_from_members_list(client_for, viewer, curator, prog):
    services.document_create(actor=curator, programme=prog, title="Hồ sơ nội bộ", type="legal", access="staff")
    body = client_for(viewer).get(url("documents", prog)).content.decode()
    assert "Hồ sơ nội bộ" not in body
    body = client_for(curator).get(url("documents", prog)).content.decode()
    assert "Hồ sơ nội bộ" in body


def test_staff_see_add_button_and_nav_link(client_for, coordinator, prog):
    body = client_for(coordinator).get(url("documents", prog)).content.decode()
    assert "Thêm tài liệu" in body
    assert url("document_create", prog) in body
    detail = client_for(coordinator).get(reverse("programmes:detail", args=[prog.code])).content.decode()
    assert url("documents", prog) in detail


# Creating and editing -------------------------------------------------------------------------------


def test_create_through_the_form(client_for, curator, prog):
    response = client_for(curator).post(url("document_create", prog), form_data())
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == url("document_manage", prog, document.pk)
    assert document.issued.isoformat() == "2024-03-15"
    assert [(c.name, c.is_organisation) for c in document.creators.all()] == [
        ("Bộ Nội vụ", True),
        ("Nguyễn Văn A", False),
    ]
    assert sorted(s.name for s in document.subjects.all()) == ["luật về hội", "tổ chức xã hội"]
    assert found("luat ve hoi du thao") == {document.pk}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": ""}, ""),
        ({"year": "1800"}, "1900"),
        ({"isbn": "978-604-0-00000-1"}, "ISBN"),
        ({"doi": "abc"}, "10."),
        ({"issued": "2024-13-45"}, "dd/mm/yyyy"),
        ({"embargo_until": "01/01/2000"}, "sau hôm nay"),
    ],
)
def test_bad_form_input_shows_a_message_and_writes_nothing(client_for, curator, prog, fields, message):
    response = client_for(curator).post(url("document_create", prog), form_data(**fields))
    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()
    assert message in response.content.decode()
    assert not Document.objects.exists()
    assert not AuditEntry.objects.exists()


def test_edit_updates_the_search_index(client_for, curator, prog, document):
    client = client_for(curator)
    page = client.get(url("document_edit", prog, document.pk))
    assert page.status_code == 200 and "Báo cáo về tổ chức xã hội" in page.content.decode()
    response = client.post(
        url("document_edit", prog, document.pk), form_data(title="Cẩm nang đăng ký hoạt động", embargo_until="")
    )
    assert response.status_code == 302
    assert found("cam nang dang ky") == {document.pk}
    assert found("bao cao ve to chuc") == set()
    document.refresh_from_db()
    assert document.title == "Cẩm nang đăng ký hoạt động"


def test_edit_accepts_a_past_embargo_date(client_for, curator, prog, document):
    Document.objects.filter(pk=document.pk).update(embargo_until=timezone.localdate() + timedelta(days=5))
    past = (timezone.localdate() - timedelta(days=1)).strftime("%d/%m/%Y")
    response = client_for(curator).post(url("document_edit", prog, document.pk), form_data(embargo_until=past))
    assert response.status_code == 302
    document.refresh_from_db()
    assert not document.is_embargoed()


def test_delete_with_confirmation(client_for, curator, prog, document):
    client = client_for(curator)
    assert client.get(url("document_delete", prog, document.pk)).status_code == 200
    response = client.post(url("document_delete", prog, document.pk))
    assert response.status_code == 302 and response["Location"] == url("documents", prog)
    assert not Document.objects.exists()


def test_delete_of_a_delivered_document_says_why(client_for, curator, prog, document):
    collection = Collection.objects.create(programme=prog, name="Góc tri thức Quảng Trị")
    CollectionItem.objects.create(
        collection=collection,
        document=document,
        status=CollectionItem.Status.DELIVERED,
        delivered_on=timezone.localdate(),
    )
    response = client_for(curator).post(url("document_delete", prog, document.pk))
    assert response.status_code == 400
    assert "Góc tri thức Quảng Trị" in response.content.decode()
    assert Document.objects.filter(pk=document.pk).exists()


# The manage page, files and copies --------------------------------------------------------------------


def test_manage_page_shows_everything(client_for, curator, prog, document):
    DocumentFile.objects.create(
        document=document,
        file="library/hong.pdf",
        original_name="hong.pdf",
        media_type="application/pdf",
        size=10,
        sha256="b",
        status=DocumentFile.Status.FAILED,
        failure="tệp PDF có mật khẩu — hãy gỡ mật khẩu rồi tải lại",
    )
    services.copy_add(actor=curator, document=document, location="Góc tri thức", shelf="Kệ B", call_number="342 T")
    body = client_for(curator).get(url("document_manage", prog, document.pk)).content.decode()
    assert "hong.pdf" in body and "tệp PDF có mật khẩu" in body and "Thử lại" in body
    assert 'enctype="multipart/form-data"' in body and 'accept=".pdf,.docx,.txt,.html"' in body
    assert "Góc tri thức" in body and "Kệ B" in body and "342 T" in body
    assert reverse("library_public:document", args=[document.pk]) in body
    assert "library.document_create" in body and "library.copy_add" in body  # the audit log


def test_upload_a_text_file_through_the_page(client_for, curator, prog, document, media):
    upload = SimpleUploadedFile("chuong-2.txt", "Đào tạo cán bộ về hội nhóm.\n".encode(), content_type="text/plain")
    response = client_for(curator).post(url("file_add", prog, document.pk), {"file": upload})
    assert response.status_code == 302
    file = DocumentFile.objects.get()
    assert file.status == DocumentFile.Status.READY
    assert len(stored_files(media)) == 1
    assert found("dao tao can bo ve hoi nhom") == {document.pk}
    body = client_for(curator).get(url("document_manage", prog, document.pk)).content.decode()
    assert "chuong-2.txt" in body and "library.file_add" in body


def test_bad_upload_through_the_page(client_for, curator, prog, document, media):
    client = client_for(curator)
    fake = SimpleUploadedFile("bao-cao.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client.post(url("file_add", prog, document.pk), {"file": fake})
    assert response.status_code == 400
    assert "bao-cao.pdf" in response.content.decode()
    response = client.post(url("file_add", prog, document.pk), {})
    assert response.status_code == 400 and "Hãy chọn tệp" in response.content.decode()
    assert not DocumentFile.objects.exists()
    assert stored_files(media) == []
    assert not AuditEntry.objects.filter(action="library.file_add").exists()


def test_same_upload_twice_through_the_page(client_for, curator, prog, document, media):
    client = client_for(curator)
    for _attempt in range(2):
        upload = SimpleUploadedFile("a.txt", "Cùng một nội dung.\n".encode(), content_type="text/plain")
        response = client.post(url("file_add", prog, document.pk), {"file": upload})
    assert response.status_code == 400 and "đã có trong tài liệu" in response.content.decode()
    assert DocumentFile.objects.count() == 1 and len(stored_files(media)) == 1


def test_retry_and_remove_buttons(client_for, curator, prog, document, media, django_capture_on_commit_callbacks):
    client = client_for(curator)
    client.post(url("file_add", prog, document.pk), {"file": SimpleUploadedFile("a.txt", "Văn bản.\n".encode())})
    file = DocumentFile.objects.get()
    response = client.post(url("file_retry", prog, file.pk), follow=True)
    assert "Chỉ thử lại được" in response.content.decode()
    DocumentFile.objects.filter(pk=file.pk).update(status=DocumentFile.Status.FAILED, failure="hỏng")
    assert client.post(url("file_retry", prog, file.pk)).status_code == 302
    assert DocumentFile.objects.get().status == DocumentFile.Status.READY
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url("file_remove", prog, file.pk)).status_code == 302
    assert not DocumentFile.objects.exists() and stored_files(media) == []


def test_copy_add_and_remove_through_the_page(client_for, curator, prog, document):
    client = client_for(curator)
    response = client.post(url("copy_add", prog, document.pk), {"location": "", "count": "1"})
    assert response.status_code == 400 and not PhysicalCopy.objects.exists()
    response = client.post(url("copy_add", prog, document.pk), {"location": "Góc tri thức", "shelf": "A", "count": "3"})
    assert response.status_code == 302
    copy = PhysicalCopy.objects.get()
    assert copy.count == 3
    assert client.post(url("copy_remove", prog, copy.pk)).status_code == 302
    assert not PhysicalCopy.objects.exists()


def test_files_and_copies_of_another_programme_are_404(client_for, curator, other_coordinator, other_prog, document):
    file = DocumentFile.objects.create(
        document=document, file="library/x.txt", original_name="x.txt", media_type="text/plain", size=1, sha256="a"
    )
    copy = PhysicalCopy.objects.create(document=document, location="Kho")
    client = client_for(other_coordinator)
    assert client.post(url("file_remove", other_prog, file.pk)).status_code == 404
    assert client.post(url("copy_remove", other_prog, copy.pk)).status_code == 404
    assert client.get(url("document_manage", other_prog, document.pk)).status_code == 404


# The list: filters, search, pagination, query count ----------------------------------------------------


def test_list_filters_and_folded_title_search(client_for, curator, prog, make_document):
    make_document("Luật về hội", type="legal", access="public")
    make_document("Đào tạo cán bộ xã", type="training", access="staff")
    make_document("Nghiên cứu hội nhóm", type="research", access="partners", pages=["Trang một."])
    client = client_for(curator)

    def titles(**params):
        body = client.get(url("documents", prog), params).content.decode()
        return {t for t in ["Luật về hội", "Đào tạo cán bộ xã", "Nghiên cứu hội nhóm"] if t in body}

    assert titles() == {"Luật về hội", "Đào tạo cán bộ xã", "Nghiên cứu hội nhóm"}
    assert titles(q="dao tao") == {"Đào tạo cán bộ xã"}
    assert titles(q="HỘI") == {"Luật về hội", "Nghiên cứu hội nhóm"}
    assert titles(q="luat hoi") == {"Luật về hội"}
    assert titles(q="không có đâu") == set()
    assert titles(type="legal") == {"Luật về hội"}
    assert titles(access="staff") == {"Đào tạo cán bộ xã"}
    assert titles(files="ready") == {"Nghiên cứu hội nhóm"}
    assert titles(files="none") == {"Luật về hội", "Đào tạo cán bộ xã"}
    assert titles(type="nonsense") == {"Luật về hội", "Đào tạo cán bộ xã", "Nghiên cứu hội nhóm"}
    assert "Không có tài liệu nào khớp" in client.get(url("documents", prog), {"q": "zzz"}).content.decode()


def test_empty_list_guides_staff(client_for, curator, prog):
    body = client_for(curator).get(url("documents", prog)).content.decode()
    assert "chưa có tài liệu nào" in body


def test_list_paginates_by_25(client_for, curator, prog, make_document):
    for i in range(27):
        make_document(f"Tài liệu số {i:02d}")
    client = client_for(curator)
    first = client.get(url("documents", prog)).content.decode()
    assert len(re.findall(r'<tr id="document-\d+"', first)) == 25
    second = client.get(url("documents", prog), {"page": 2}).content.decode()
    assert len(re.findall(r'<tr id="document-\d+"', second)) == 2


def test_list_query_count_does_not_grow(client_for, curator, prog, make_document, django_assert_max_num_queries):
    client = client_for(curator)

    def count_queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("documents", prog), {"q": "tai lieu"}).status_code == 200
        return len(queries)

    make_document("Tài liệu đầu", pages=["Trang."])
    few = count_queries()
    for i in range(20):
        make_document(f"Tài liệu {i}", pages=[f"Trang {i}."])
    assert count_queries() == few
    with django_assert_max_num_queries(15):
        client.get(url("documents", prog), {"type": "research", "files": "ready"})
