"""Files leave storage with whatever removes their rows: a form's collections (their responses'
photos) and its versions' attachments (shared between versions: one version's rows going keep
what another still names). Run on PostgreSQL too (make test-postgres), where the cascade deletes in the
database's order."""

import uuid
from pathlib import Path

import pytest

from ketnoi.core.tests import media_samples as samples
from ketnoi.surveys.models import FormAttachment, FormVersion, ResponseAttachment
from ketnoi.surveys.services import response_submit
from ketnoi.surveys.services.form_attachments import form_attachments_copy, form_attachments_store

from .media_builders import media_form, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def full_form(prog):
    """A form with two versions sharing an attached list, a photo of its own in the second, and
    an answered response with a photo."""
    collection = media_form(prog)
    first = collection.form.current_version
    form_attachments_store(version=first, files={"xa.csv": b"name,label\na,A\n"})
    second = FormVersion.objects.create(form=collection.form, number=2, definition=first.definition)
    form_attachments_copy(from_version=first, to_version=second)
    form_attachments_store(version=second, files={"logo.png": samples.PNG})
    response_submit(
        collection=collection,
        uuid=uuid.uuid4(),
        answers={"photo": "1.jpg"},
        files={"1.jpg": upload("1.jpg", samples.JPEG)},
    )
    return collection.form


def test_the_collection_then_every_version_s_files_going_empties_storage(
    full_form, media_root, django_capture_on_commit_callbacks
):
    # (A Form itself cannot be deleted: Form.current_version protects its version.)
    assert len(stored_files(media_root)) == 3  # the shared list stored once
    with django_capture_on_commit_callbacks(execute=True):
        full_form.collections.all().delete()
        FormAttachment.objects.filter(form_version__form=full_form).delete()
    assert FormAttachment.objects.count() == 0 and ResponseAttachment.objects.count() == 0
    assert stored_files(media_root) == []


def test_deleting_one_version_keeps_the_file_the_other_still_names(
    full_form, media_root, django_capture_on_commit_callbacks
):
    first = full_form.versions.get(number=1)
    with django_capture_on_commit_callbacks(execute=True):
        FormAttachment.objects.filter(form_version=first).delete()
    assert len(stored_files(media_root)) == 3


def test_files_too_large_together_are_refused_before_any_is_read(prog, media_root, monkeypatch):
    from django.core.exceptions import ValidationError

    from ketnoi.surveys.services import media as media_service

    def never(*args, **kwargs):
        raise AssertionError("a file was read")

    monkeypatch.setattr(media_service, "MAX_RESPONSE_MEDIA_BYTES", 1024 * 1024)
    monkeypatch.setattr(media_service, "sniff_media", never)
    monkeypatch.setattr(media_service, "sha256_of", never)
    definition = {
        "title": {"vi": "Ảnh"},
        "questions": [
            {
                "name": "r",
                "type": "repeat",
                "label": {"vi": "Nhà"},
                "children": [{"name": "p", "type": "image", "label": {"vi": "Ảnh"}}],
            }
        ],
    }
    collection = media_form(prog, definition=definition)
    files = {f"{i}.jpg": upload(f"{i}.jpg", samples.JPEG + b"\x00" * (300 * 1024)) for i in range(5)}
    with pytest.raises(ValidationError) as refused:
        response_submit(
            collection=collection, uuid=uuid.uuid4(), answers={"r": [{"p": name} for name in files]}, files=files
        )
    assert "cộng lại lớn hơn 1 MB" in refused.value.message_dict["files"][0]
    assert stored_files(media_root) == []
