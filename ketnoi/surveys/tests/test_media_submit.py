"""response_submit with files (forms-spec §3): each media answer has its file, each file its
answer, the content is what the question asks for, sizes stay within bounds, and a response with
files is written whole or not at all — rows and storage alike."""

import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.utils import timezone

from ketnoi.core.tests import media_samples as samples
from ketnoi.surveys.models import Response, ResponseAttachment
from ketnoi.surveys.services import SubmissionRefused, response_submit
from ketnoi.surveys.services import media as media_service

from .media_builders import media_form, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def field(prog):
    return media_form(prog)


def submit(collection, answers, files, *, response_uuid=None):
    return response_submit(collection=collection, uuid=response_uuid or uuid.uuid4(), answers=answers, files=files)


# Accepted ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "content", "content_type"),
    [
        ("photo", samples.JPEG, "image/jpeg"),
        ("photo", samples.PNG, "image/png"),
        ("photo", samples.WEBP, "image/webp"),
        ("photo", samples.GIF, "image/gif"),
        ("photo", samples.HEIC, "image/heic"),
        ("voice", samples.MP3_ID3, "audio/mpeg"),
        ("voice", samples.M4A, "audio/mp4"),
        ("voice", samples.OGG, "audio/ogg"),
        ("voice", samples.WEBM, "audio/webm"),
        ("voice", samples.WAV, "audio/wav"),
        ("voice", samples.AMR, "audio/amr"),
        ("voice", samples.THREE_GP, "audio/3gpp"),
        ("paper", samples.PDF, "application/pdf"),
        ("paper", samples.DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("paper", samples.OLE, "application/vnd.ms-office"),
        ("paper", samples.CSV, "text/plain"),
        ("paper", samples.ZIP, "application/zip"),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_each_accepted_kind_is_stored_with_the_type_its_bytes_say(field, media_root, question, content, content_type):
    answers = {"village": "Bản Lác", "photo": "p.jpg", question: "tep-1.dat"}
    files = {"p.jpg": upload("p.jpg", samples.JPEG), "tep-1.dat": upload("tep-1.dat", content, "text/html")}
    if question == "photo":
        del files["p.jpg"]
    response, created = submit(field, answers, files)
    assert created and response.answers[question] == "tep-1.dat"
    row = response.attachments.get(name="tep-1.dat")
    assert (row.content_type, row.size) == (content_type, len(content))
    assert row.file.read() == content and len(row.sha256) == 64
    # Stored under a name of the server's choosing, never the client's.
    assert row.file.name.startswith("surveys/responses/") and "tep-1" not in row.file.name
    assert len(stored_files(media_root)) == len(files)


def test_a_photo_and_a_recording_in_one_response(field, media_root):
    answers = {"photo": "1712345678901.jpg", "voice": "1712345678902.webm"}
    files = {
        "1712345678901.jpg": upload("1712345678901.jpg", samples.JPEG),
        "1712345678902.webm": upload("1712345678902.webm", samples.WEBM, "audio/webm"),
    }
    response, created = submit(field, answers, files)
    assert created
    assert {(a.name, a.content_type) for a in response.attachments.all()} == {
        ("1712345678901.jpg", "image/jpeg"),
        ("1712345678902.webm", "audio/webm"),
    }


# Refused, nothing written -----------------------------------------------------------------------


def assert_nothing_written(media_root):
    assert Response.objects.count() == 0 and ResponseAttachment.objects.count() == 0
    assert stored_files(media_root) == []


@pytest.mark.parametrize(
    ("question", "content"),
    [("photo", samples.EXE), ("photo", samples.SVG), ("voice", samples.JPEG), ("paper", samples.ELF)],
    ids=["exe-as-photo", "svg-as-photo", "photo-as-recording", "elf-as-document"],
)
def test_content_of_the_wrong_kind_is_refused_naming_the_question_and_file(field, media_root, question, content):
    answers = {"photo": "a.jpg"} | {question: "b.jpg"}
    files = {"a.jpg": upload("a.jpg", samples.JPEG), "b.jpg": upload("b.jpg", content, "image/jpeg")}
    if question == "photo":
        del files["a.jpg"]
    with pytest.raises(ValidationError) as refused:
        submit(field, answers, files)
    message = refused.value.message_dict[question][0]
    assert "“b.jpg”" in message and "Hãy chọn lại đúng loại tệp" in message
    assert_nothing_written(media_root)


def test_a_file_too_large_is_refused(field, media_root, monkeypatch):
    monkeypatch.setattr(media_service, "MAX_MEDIA_BYTES", 1024 * 1024)
    big = samples.JPEG + b"\x00" * (1024 * 1024)
    with pytest.raises(ValidationError) as refused:
        submit(field, {"photo": "a.jpg"}, {"a.jpg": upload("a.jpg", big)})
    assert refused.value.message_dict["photo"] == ["“Ảnh ngôi nhà”: tệp “a.jpg” lớn hơn 1 MB."]
    assert_nothing_written(media_root)


def test_files_too_large_together_are_refused(field, media_root, monkeypatch):
    monkeypatch.setattr(media_service, "MAX_RESPONSE_MEDIA_BYTES", 1024 * 1024)
    half = b"\x00" * (600 * 1024)
    files = {"a.jpg": upload("a.jpg", samples.JPEG + half), "b.pdf": upload("b.pdf", samples.PDF + half)}
    with pytest.raises(ValidationError) as refused:
        submit(field, {"photo": "a.jpg", "paper": "b.pdf"}, files)
    assert "cộng lại lớn hơn 1 MB" in refused.value.message_dict["files"][0]
    assert_nothing_written(media_root)


def test_an_empty_file_is_refused(field, media_root):
    with pytest.raises(ValidationError) as refused:
        submit(field, {"photo": "a.jpg"}, {"a.jpg": upload("a.jpg", b"")})
    assert "photo" in refused.value.message_dict
    assert_nothing_written(media_root)


def test_an_answer_without_its_file_is_refused(field, media_root):
    with pytest.raises(ValidationError) as refused:
        submit(field, {"photo": "a.jpg", "voice": "b.ogg"}, {"a.jpg": upload("a.jpg", samples.JPEG)})
    assert "voice" in refused.value.message_dict
    assert_nothing_written(media_root)


def test_a_file_without_its_answer_is_refused(field, media_root):
    files = {"a.jpg": upload("a.jpg", samples.JPEG), "extra.jpg": upload("extra.jpg", samples.JPEG)}
    with pytest.raises(ValidationError) as refused:
        submit(field, {"photo": "a.jpg"}, files)
    assert refused.value.message_dict["files"] == ["Phiếu gửi kèm tệp không thuộc câu trả lời nào: “extra.jpg”."]
    assert_nothing_written(media_root)


def test_a_required_photo_missing_is_refused(field, media_root):
    with pytest.raises(ValidationError) as refused:
        submit(field, {"village": "Bản Lác"}, {})
    assert "photo" in refused.value.message_dict
    assert_nothing_written(media_root)


@pytest.mark.parametrize("name", ["../../etc/passwd", "ảnh.jpg", "a b.jpg", "x" * 101])
def test_a_file_name_outside_the_allowed_characters_is_refused(field, media_root, name):
    with pytest.raises(ValidationError) as refused:
        submit(field, {"photo": name}, {name: upload("a.jpg", samples.JPEG)})
    assert "photo" in refused.value.message_dict
    assert_nothing_written(media_root)


def test_one_file_for_two_answers_is_refused(field, media_root):
    with pytest.raises(ValidationError) as refused:
        submit(field, {"photo": "a.jpg", "paper": "a.jpg"}, {"a.jpg": upload("a.jpg", samples.JPEG)})
    assert "paper" in refused.value.message_dict
    assert_nothing_written(media_root)


def test_the_file_of_an_answer_no_longer_shown_is_left_out_not_refused(prog, media_root):
    # The phone took the photo, then the village changed and the question was hidden; its answer
    # (and file) may still travel: the answer is dropped, the file not stored, the response kept.
    definition = {
        "questions": [
            {"name": "village", "type": "text", "label": {"vi": "Thôn"}},
            {"name": "photo", "type": "image", "label": {"vi": "Ảnh"}, "relevant": "${village} = 'Bản Lác'"},
        ]
    }
    collection = media_form(prog, definition=definition)
    response, created = submit(
        collection, {"village": "Mai Châu", "photo": "a.jpg"}, {"a.jpg": upload("a.jpg", samples.JPEG)}
    )
    assert created and response.answers == {"village": "Mai Châu"}
    assert ResponseAttachment.objects.count() == 0 and stored_files(media_root) == []


# Retries and conflicts --------------------------------------------------------------------------


def test_the_same_uuid_with_the_same_files_is_stored_once(field, media_root):
    response_uuid = uuid.uuid4()
    first, created = submit(
        field, {"photo": "a.jpg"}, {"a.jpg": upload("a.jpg", samples.JPEG)}, response_uuid=response_uuid
    )
    again, created_again = submit(
        field, {"photo": "a.jpg"}, {"a.jpg": upload("a.jpg", samples.JPEG)}, response_uuid=response_uuid
    )
    assert created and not created_again and again.pk == first.pk
    assert ResponseAttachment.objects.count() == 1 and len(stored_files(media_root)) == 1


def test_the_same_uuid_with_another_file_is_a_conflict_that_writes_nothing(field, media_root):
    response_uuid = uuid.uuid4()
    submit(field, {"photo": "a.jpg"}, {"a.jpg": upload("a.jpg", samples.JPEG)}, response_uuid=response_uuid)
    before = stored_files(media_root)
    with pytest.raises(SubmissionRefused) as refused:
        submit(field, {"photo": "a.jpg"}, {"a.jpg": upload("a.jpg", samples.PNG)}, response_uuid=response_uuid)
    assert refused.value.status == 409
    assert stored_files(media_root) == before and ResponseAttachment.objects.get().content_type == "image/jpeg"


def test_the_same_uuid_without_the_files_is_a_conflict(field, media_root):
    response_uuid = uuid.uuid4()
    submit(
        field, {"photo": "a.jpg", "village": "X"}, {"a.jpg": upload("a.jpg", samples.JPEG)}, response_uuid=response_uuid
    )
    loose = media_form(
        field.form.programme,
        code="khong-anh",
        definition={"questions": [{"name": "village", "type": "text", "label": {"vi": "Thôn"}}]},
    )
    with pytest.raises(SubmissionRefused) as refused:
        submit(loose, {"village": "X"}, {}, response_uuid=response_uuid)
    assert refused.value.status == 409 and Response.objects.count() == 1


# Nothing half-written ---------------------------------------------------------------------------


def test_a_failure_after_the_files_were_written_removes_them(field, media_root, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(ResponseAttachment.objects, "bulk_create", broken)
    files = {"a.jpg": upload("a.jpg", samples.JPEG), "b.ogg": upload("b.ogg", samples.OGG)}
    with pytest.raises(RuntimeError):
        submit(field, {"photo": "a.jpg", "voice": "b.ogg"}, files)
    assert_nothing_written(media_root)


def test_a_storage_failure_midway_removes_the_files_already_written(field, media_root, monkeypatch):
    real_save = FileSystemStorage.save
    calls = []

    def failing_save(self, name, content, max_length=None):
        calls.append(name)
        if len(calls) == 2:
            raise OSError("disk full")
        return real_save(self, name, content, max_length=max_length)

    monkeypatch.setattr(FileSystemStorage, "save", failing_save)
    files = {"a.jpg": upload("a.jpg", samples.JPEG), "b.ogg": upload("b.ogg", samples.OGG)}
    with pytest.raises(OSError):
        submit(field, {"photo": "a.jpg", "voice": "b.ogg"}, files)
    assert len(calls) == 2
    assert_nothing_written(media_root)


def test_a_concurrent_response_with_the_same_uuid_wins_and_our_files_go(field, media_root, monkeypatch):
    response_uuid = uuid.uuid4()
    real_store = media_service.store_files

    def store_while_another_arrives(checked):
        # The other request commits the same UUID (without files) while ours writes its files.
        Response.objects.create(uuid=response_uuid, collection=field, version=field.form.current_version, answers={})
        return real_store(checked)

    monkeypatch.setattr("ketnoi.surveys.services.responses.store_files", store_while_another_arrives)
    with pytest.raises(SubmissionRefused) as refused:
        submit(field, {"photo": "a.jpg"}, {"a.jpg": upload("a.jpg", samples.JPEG)}, response_uuid=response_uuid)
    assert refused.value.status == 409
    assert ResponseAttachment.objects.count() == 0 and stored_files(media_root) == []


def test_a_full_collection_refuses_and_keeps_no_file(prog, media_root):
    capped = media_form(prog, max_responses=1)
    submit(capped, {"photo": "a.jpg"}, {"a.jpg": upload("a.jpg", samples.JPEG)})
    kept = stored_files(media_root)
    with pytest.raises(SubmissionRefused) as refused:
        submit(capped, {"photo": "b.jpg"}, {"b.jpg": upload("b.jpg", samples.PNG)})
    assert refused.value.status == 410 and stored_files(media_root) == kept


def test_a_closed_collection_refuses_before_any_file_is_written(prog, media_root):
    closed = media_form(prog, opens_at=timezone.now() - timedelta(days=2), closes_at=timezone.now() - timedelta(days=1))
    with pytest.raises(SubmissionRefused) as refused:
        submit(closed, {"photo": "a.jpg"}, {"a.jpg": upload("a.jpg", samples.JPEG)})
    assert refused.value.status == 410
    assert_nothing_written(media_root)


# Finding media answers in repeat rows -----------------------------------------------------------


def test_media_answers_are_found_in_groups_and_nested_repeat_rows():
    questions = [
        {"name": "g", "type": "group", "children": [{"name": "cover", "type": "image"}]},
        {
            "name": "member",
            "type": "repeat",
            "children": [
                {"name": "m_photo", "type": "image"},
                {"name": "visit", "type": "repeat", "children": [{"name": "v_voice", "type": "audio"}]},
            ],
        },
    ]
    answers = {
        "cover": "c.jpg",
        "member": [
            {"m_photo": "m0.jpg", "visit": [{"v_voice": "v00.ogg"}, {}]},
            {"m_photo": "", "visit": [{"v_voice": "v10.ogg"}]},
        ],
    }
    found = media_service.media_answers(questions, answers)
    assert [(a.path, a.name) for a in found] == [
        ("cover", "c.jpg"),
        ("member[0].m_photo", "m0.jpg"),
        ("member[0].visit[0].v_voice", "v00.ogg"),
        ("member[1].visit[0].v_voice", "v10.ogg"),
    ]
