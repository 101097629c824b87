"""The document services: who may write, what is checked, what is kept in step (search index,
audit log, storage)."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ketnoi.core.models import AuditEntry
from ketnoi.core.roles import Role
from ketnoi.core.text import fold
from ketnoi.directory.models import Organisation, Person
from ketnoi.library import search_index, services, tasks
from ketnoi.library.models import (
    Collection,
    CollectionItem,
    Creator,
    Document,
    DocumentFile,
    Passage,
    PhysicalCopy,
    Subject,
)
from ketnoi.library.search_index import FOLDED, Term
from ketnoi.programmes.models import ProgrammeRole

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media) -> list[Path]:
    return [p for p in Path(media).rglob("*") if p.is_file()] if Path(media).exists() else []


def found(text: str) -> set[int]:
    """Documents whose metadata or text hold every folded syllable of `text`."""
    result = None
    for syllable in fold(text).split():
        ids = {hit.document_id for hit in search_index.search([Term(syllable, FOLDED)])}
        result = ids if result is None else result & ids
    return result or set()


def txt(name="ghi-chu.txt", text="Đào tạo cán bộ về tổ chức xã hội.\n"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/plain")


def create(actor, programme, **fields):
    fields.setdefault("title", "Báo cáo về tổ chức xã hội")
    fields.setdefault("type", "research")
    return services.document_create(actor=actor, programme=programme, **fields)


# Who may write ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["coordinator", "curator", "staff_admin"])
def test_library_staff_create(request, prog, persona):
    actor = request.getfixturevalue(persona)
    document = create(actor, prog)
    assert document.programme == prog
    assert AuditEntry.objects.filter(action="library.document_create", object_id=str(document.pk)).exists()


@pytest.mark.parametrize("persona", ["lecturer", "reviewer", "viewer", "learner", "outsider"])
def test_others_cannot_create(request, prog, persona):
    actor = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        create(actor, prog)
    assert not Document.objects.exists()
    assert not AuditEntry.objects.exists()


def test_coordinator_of_another_programme_cannot_touch(prog, other_prog, make_user, curator):
    other = make_user("other-coordinator")
    ProgrammeRole.objects.create(user=other, programme=other_prog, role=Role.COORDINATOR)
    document = create(curator, prog)
    with pytest.raises(PermissionDenied):
        create(other, prog)
    with pytest.raises(PermissionDenied):
        services.document_update(actor=other, document=document, title="Khác")
    with pytest.raises(PermissionDenied):
        services.document_delete(actor=other, document=document)
    with pytest.raises(PermissionDenied):
        services.file_add(actor=other, document=document, uploaded=txt())
    with pytest.raises(PermissionDenied):
        services.copy_add(actor=other, document=document, location="Kho")


def test_lecturer_cannot_edit_or_add_files(prog, curator, lecturer, media):
    document = create(curator, prog)
    with pytest.raises(PermissionDenied):
        services.document_update(actor=lecturer, document=document, title="Khác")
    with pytest.raises(PermissionDenied):
        services.file_add(actor=lecturer, document=document, uploaded=txt())
    assert stored_files(media) == []
    document.refresh_from_db()
    assert document.title == "Báo cáo về tổ chức xã hội"


# The description -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "   "}, "title"),
        ({"year": 1899}, "year"),
        ({"year": timezone.localdate().year + 2}, "year"),
        ({"isbn": "978-604-0-00000-1"}, "isbn"),
        ({"isbn": "0-306-40615-3"}, "isbn"),
        ({"isbn": "12345"}, "isbn"),
        ({"doi": "11.1234/abc"}, "doi"),
        ({"doi": "10.12/abc"}, "doi"),
        ({"url": "not a url"}, "url"),
        ({"type": "poem"}, "type"),
        ({"access": "everyone"}, "access"),
        ({"embargo_until": timezone.localdate()}, "embargo_until"),
        ({"embargo_until": timezone.localdate() - timedelta(days=3)}, "embargo_until"),
    ],
)
def test_bad_description_writes_nothing(prog, curator, fields, field):
    with pytest.raises(ValidationError) as refused:
        create(curator, prog, **fields)
    assert field in refused.value.message_dict
    assert all(message for message in refused.value.message_dict[field])
    assert not Document.objects.exists()
    assert not Passage.objects.exists()
    assert not AuditEntry.objects.exists()
    assert search_index.indexed_count() == 0


def test_good_identifiers_are_kept_compact(prog, curator):
    document = create(
        curator,
        prog,
        isbn="978-0-306-40615-7",
        doi="https://doi.org/10.1000/xyz-123",
        year=timezone.localdate().year + 1,
        embargo_until=timezone.localdate() + timedelta(days=30),
    )
    assert document.isbn == "9780306406157"
    assert document.doi == "10.1000/xyz-123"
    assert services.clean_isbn("0-306-40615-2") == "0306406152"
    assert services.clean_isbn("0-8044-2957-X") == "080442957X"


def test_year_taken_from_issued_date(prog, curator):
    document = create(curator, prog, issued=timezone.localdate().replace(year=2020, month=5, day=1))
    assert document.year == 2020


def test_creators_link_the_directory(prog, curator):
    org = Organisation.objects.create(name="Viện Nghiên cứu Phát triển", type="academic")
    person = Person.objects.create(full_name="Nguyễn Thị Hà")
    document = create(
        curator,
        prog,
        creators=["nguyen thi ha", "Tổ chức: Hội Luật gia", "VIEN NGHIEN CUU PHAT TRIEN", "Trần Văn B", ""],
    )
    rows = list(document.creators.order_by("position"))
    assert [c.name for c in rows] == ["nguyen thi ha", "Hội Luật gia", "VIEN NGHIEN CUU PHAT TRIEN", "Trần Văn B"]
    assert rows[0].person == person and not rows[0].is_organisation
    assert rows[1].is_organisation and rows[1].organisation is None
    assert rows[2].is_organisation and rows[2].organisation == org
    assert rows[3].person is None and not rows[3].is_organisation


def test_subjects_found_or_created_by_folded_name(prog, curator):
    Subject.objects.create(name="Tổ chức xã hội", folded=fold("Tổ chức xã hội"))
    document = create(curator, prog, subjects=["to chuc xa hoi", "Luật về hội", "LUẬT VỀ HỘI"])
    assert Subject.objects.count() == 2
    assert sorted(s.name for s in document.subjects.all()) == ["Luật về hội", "Tổ chức xã hội"]


def test_create_indexes_title_creators_and_subjects(prog, curator):
    document = create(curator, prog, title="Đào tạo cán bộ", creators=["Lê Văn Minh"], subjects=["Pháp luật"])
    assert found("dao tao can bo") == {document.pk}
    assert found("le van minh") == {document.pk}
    assert found("phap luat") == {document.pk}


def test_update_reindexes_and_audits_the_change(prog, curator):
    document = create(curator, prog, title="Sổ tay hướng dẫn", creators=["Lê Văn Minh"], subjects=["Cũ"])
    services.document_update(
        actor=curator,
        document=document,
        title="Cẩm nang đăng ký hội",
        creators=["Phạm Thu Trang"],
        subjects=["Đăng ký"],
    )
    assert found("cam nang dang ky") == {document.pk}
    assert found("so tay huong dan") == set()
    assert found("le van minh") == set()
    assert found("pham thu trang") == {document.pk}
    assert Passage.objects.filter(document=document, file__isnull=True).count() == 1
    entry = AuditEntry.objects.get(action="library.document_update")
    assert entry.changes["title"] == ["Sổ tay hướng dẫn", "Cẩm nang đăng ký hội"]
    assert entry.changes["creators"] == [["Lê Văn Minh"], ["Phạm Thu Trang"]]
    assert document.title == "Cẩm nang đăng ký hội"


def test_update_without_lists_keeps_creators_and_subjects(prog, curator):
    document = create(curator, prog, creators=["Lê Văn Minh"], subjects=["Pháp luật"])
    services.document_update(actor=curator, document=document, abstract="Tóm tắt mới")
    assert [c.name for c in document.creators.all()] == ["Lê Văn Minh"]
    assert [s.name for s in document.subjects.all()] == ["Pháp luật"]
    assert found("le van minh") == {document.pk}


def test_bad_update_changes_nothing(prog, curator):
    document = create(curator, prog, title="Nhan đề gốc", subjects=["Pháp luật"])
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError):
        services.document_update(actor=curator, document=document, title="Nhan đề mới", isbn="123", subjects=["X"])
    document.refresh_from_db()
    assert document.title == "Nhan đề gốc"
    assert AuditEntry.objects.count() == before
    assert found("nhan de goc") == {document.pk}
    assert found("nhan de moi") == set()


def test_past_embargo_allowed_on_update_lifts_it(prog, curator):
    document = create(curator, prog, embargo_until=timezone.localdate() + timedelta(days=10))
    assert document.is_embargoed()
    services.document_update(actor=curator, document=document, embargo_until=timezone.localdate() - timedelta(days=1))
    document.refresh_from_db()
    assert not document.is_embargoed()


def test_unknown_update_field_is_a_programming_error(prog, curator):
    document = create(curator, prog)
    with pytest.raises(TypeError):
        services.document_update(actor=curator, document=document, programme=None)


def test_delete_drops_index_files_and_audits(prog, curator, media, django_capture_on_commit_callbacks):
    document = create(curator, prog, title="Sẽ bị xoá")
    with django_capture_on_commit_callbacks(execute=True):
        services.file_add(actor=curator, document=document, uploaded=txt())
    assert len(stored_files(media)) == 1
    pk = document.pk
    with django_capture_on_commit_callbacks(execute=True):
        services.document_delete(actor=curator, document=document)
    assert not Document.objects.filter(pk=pk).exists()
    assert search_index.indexed_count() == 0
    assert stored_files(media) == []
    assert AuditEntry.objects.filter(action="library.document_delete", object_id=str(pk)).exists()


def test_delivered_document_cannot_be_deleted(prog, curator):
    document = create(curator, prog, title="Đã bàn giao")
    collection = Collection.objects.create(programme=prog, name="Góc tri thức của Hội")
    CollectionItem.objects.create(
        collection=collection,
        document=document,
        status=CollectionItem.Status.DELIVERED,
        delivered_on=timezone.localdate(),
    )
    with pytest.raises(ValidationError) as refused:
        services.document_delete(actor=curator, document=document)
    assert "Góc tri thức của Hội" in " ".join(refused.value.messages)
    assert Document.objects.filter(pk=document.pk).exists()
    assert found("da ban giao") == {document.pk}


# Files -----------------------------------------------------------------------------------------


def test_file_add_stores_checks_and_extracts(prog, curator, media):
    document = create(curator, prog)
    file = services.file_add(actor=curator, document=document, uploaded=txt(text="Chương hai: đăng ký hội.\n"))
    file.refresh_from_db()
    assert file.original_name == "ghi-chu.txt"
    assert file.media_type == "text/plain"
    assert file.size == len("Chương hai: đăng ký hội.\n".encode())
    assert len(file.sha256) == 64
    assert file.status == DocumentFile.Status.READY  # the task ran immediately in tests
    assert len(stored_files(media)) == 1
    assert found("chuong hai dang ky") == {document.pk}
    assert AuditEntry.objects.filter(action="library.file_add", object_id=str(document.pk)).exists()


def test_same_file_twice_is_refused(prog, curator, media):
    document = create(curator, prog)
    services.file_add(actor=curator, document=document, uploaded=txt())
    with pytest.raises(ValidationError) as refused:
        services.file_add(actor=curator, document=document, uploaded=txt(name="ban-sao.txt"))
    assert "ghi-chu.txt" in refused.value.message_dict["file"][0]
    assert DocumentFile.objects.count() == 1
    assert len(stored_files(media)) == 1
    other = create(curator, prog, title="Tài liệu khác")
    services.file_add(actor=curator, document=other, uploaded=txt())  # another document may hold it


@pytest.mark.parametrize(
    "uploaded",
    [
        SimpleUploadedFile("virus.exe", b"MZ\x90\x00", content_type="application/octet-stream"),
        SimpleUploadedFile("fake.pdf", b"this is not a pdf", content_type="application/pdf"),
        SimpleUploadedFile("empty.txt", b"", content_type="text/plain"),
        None,
    ],
)
def test_bad_upload_writes_nothing(prog, curator, media, uploaded):
    document = create(curator, prog)
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.file_add(actor=curator, document=document, uploaded=uploaded)
    assert refused.value.message_dict["file"]
    assert not DocumentFile.objects.exists()
    assert AuditEntry.objects.count() == before
    assert stored_files(media) == []


def test_upload_rolled_back_leaves_no_file_in_storage(prog, curator, media, monkeypatch):
    document = create(curator, prog)

    def broken(file):
        raise RuntimeError("queue down")

    monkeypatch.setattr(tasks, "enqueue_extraction", broken)
    with pytest.raises(RuntimeError):
        services.file_add(actor=curator, document=document, uploaded=txt())
    assert not DocumentFile.objects.exists()
    assert stored_files(media) == []


def test_file_remove_drops_passages_then_the_stored_file(prog, curator, media, django_capture_on_commit_callbacks):
    document = create(curator, prog)
    file = services.file_add(actor=curator, document=document, uploaded=txt(text="Nội dung riêng của tệp.\n"))
    assert found("noi dung rieng") == {document.pk}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.file_remove(actor=curator, file=file)
    assert len(stored_files(media)) == 1  # still there until the commit
    for callback in callbacks:
        callback()
    assert stored_files(media) == []
    assert found("noi dung rieng") == set()
    assert not DocumentFile.objects.exists()
    assert found("bao cao") == {document.pk}  # the description stays indexed


def test_retry_only_failed_or_stale_pending(prog, curator):
    document = create(curator, prog)
    file = services.file_add(actor=curator, document=document, uploaded=txt())
    file.refresh_from_db()
    assert file.status == DocumentFile.Status.READY
    with pytest.raises(ValidationError):
        services.file_retry(actor=curator, file=file)

    DocumentFile.objects.filter(pk=file.pk).update(status=DocumentFile.Status.PENDING, updated_at=timezone.now())
    file.refresh_from_db()
    with pytest.raises(ValidationError):
        services.file_retry(actor=curator, file=file)

    DocumentFile.objects.filter(pk=file.pk).update(
        status=DocumentFile.Status.FAILED, failure="tệp có mật khẩu", updated_at=timezone.now()
    )
    file.refresh_from_db()
    services.file_retry(actor=curator, file=file)
    file.refresh_from_db()
    assert file.status == DocumentFile.Status.READY and file.failure == ""
    assert AuditEntry.objects.filter(action="library.file_retry").get().changes["failure"] == "tệp có mật khẩu"

    stale = timezone.now() - services.STALE_PENDING - timedelta(minutes=1)
    DocumentFile.objects.filter(pk=file.pk).update(status=DocumentFile.Status.PENDING, updated_at=stale)
    file.refresh_from_db()
    services.file_retry(actor=curator, file=file)
    file.refresh_from_db()
    assert file.status == DocumentFile.Status.READY


def test_viewer_cannot_remove_or_retry(prog, curator, viewer):
    document = create(curator, prog)
    file = services.file_add(actor=curator, document=document, uploaded=txt())
    with pytest.raises(PermissionDenied):
        services.file_remove(actor=viewer, file=file)
    with pytest.raises(PermissionDenied):
        services.file_retry(actor=viewer, file=file)
    assert DocumentFile.objects.filter(pk=file.pk).exists()


# Physical copies ----------------------------------------------------------------------------------


def test_copies_added_and_removed_with_audit(prog, curator, viewer):
    document = create(curator, prog)
    copy = services.copy_add(
        actor=curator, document=document, location="Góc tri thức", shelf="Kệ A", call_number="342.597 T", count=2
    )
    assert copy.count == 2
    with pytest.raises(PermissionDenied):
        services.copy_remove(actor=viewer, copy=copy)
    services.copy_remove(actor=curator, copy=copy)
    assert not PhysicalCopy.objects.exists()
    actions = set(AuditEntry.objects.filter(object_id=str(document.pk)).values_list("action", flat=True))
    assert {"library.copy_add", "library.copy_remove"} <= actions


@pytest.mark.parametrize(("fields", "field"), [({"location": "  "}, "location"), ({"count": 0}, "count")])
def test_bad_copy_writes_nothing(prog, curator, fields, field):
    document = create(curator, prog)
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.copy_add(actor=curator, document=document, **{"location": "Kho", **fields})
    assert field in refused.value.message_dict
    assert not PhysicalCopy.objects.exists()
    assert AuditEntry.objects.count() == before


def test_creator_rows_are_replaced_not_added(prog, curator):
    document = create(curator, prog, creators=["A", "B"])
    services.document_update(actor=curator, document=document, creators=["C"])
    assert list(Creator.objects.filter(document=document).values_list("name", flat=True)) == ["C"]
