"""A form version's files (forms-spec §4): checked by content for what their names say, shared
between versions rather than stored twice, fetched by the share link only when the current
version lists them, and gone from storage once no version names them."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from ketnoi.core.tests import media_samples as samples
from ketnoi.surveys.models import FormAttachment, FormVersion
from ketnoi.surveys.services import form_attachments as service
from ketnoi.surveys.services.form_attachments import (
    form_attachment_for,
    form_attachments_copy,
    form_attachments_store,
)

from .media_builders import MEDIA_FORM, media_form, upload

pytestmark = pytest.mark.django_db

GEOJSON = b'{"type": "FeatureCollection", "features": []}'
XML = b'<?xml version="1.0"?><root><item name="hn"/></root>'


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def collection(prog):
    return media_form(prog, definition={**MEDIA_FORM, "attachments": ["xã phường.csv", "logo.png"]})


def test_files_are_stored_with_the_type_their_content_says(collection, media_root):
    version = collection.form.current_version
    rows = form_attachments_store(
        version=version,
        files={
            "xã phường.csv": "mã,tên\nhn,Hà Nội\n".encode(),
            "logo.png": upload("anything", samples.PNG),
            "lists.xml": XML,
            "map.geojson": GEOJSON,
            "hello.mp3": samples.MP3_ID3,
        },
    )
    types = {row.name: row.content_type for row in rows}
    assert types == {
        "xã phường.csv": "text/csv",
        "logo.png": "image/png",
        "lists.xml": "application/xml",
        "map.geojson": "application/geo+json",
        "hello.mp3": "audio/mpeg",
    }
    assert version.attachments.count() == 5 and len(stored_files(media_root)) == 5
    assert version.attachments.get(name="logo.png").file.read() == samples.PNG


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("logo.png", samples.EXE),  # a renamed executable
        ("logo.svg", samples.SVG),  # runs scripts: never served to respondents
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("list.csv", samples.ELF),
        ("list.xml", b"not xml at all"),
        ("map.geojson", b"[1, 2"),
        ("voice.mp3", samples.JPEG),
        ("../escape.csv", b"a,b\n"),
        ("empty.csv", b""),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_refused_and_nothing_is_written(collection, media_root, name, content):
    version = collection.form.current_version
    with pytest.raises(ValidationError) as refused:
        form_attachments_store(version=version, files={"good.csv": b"a,b\n", name: content})
    assert any(f"“{name}”" in message for message in refused.value.message_dict["attachments"])
    assert FormAttachment.objects.count() == 0 and stored_files(media_root) == []


def test_a_file_too_large_is_refused(collection, media_root, monkeypatch):
    monkeypatch.setattr(service, "MAX_FORM_ATTACHMENT_BYTES", 10)
    with pytest.raises(ValidationError) as refused:
        form_attachments_store(version=collection.form.current_version, files={"list.csv": b"a,b\n" * 10})
    assert "“list.csv” lớn hơn" in refused.value.message_dict["attachments"][0]
    assert stored_files(media_root) == []


def test_a_failure_while_writing_removes_what_was_written(collection, media_root, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(FormAttachment.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        form_attachments_store(version=collection.form.current_version, files={"a.csv": b"a\n", "b.png": samples.PNG})
    assert stored_files(media_root) == []


def next_version(form, number=2) -> FormVersion:
    version = FormVersion.objects.create(form=form, number=number, definition=form.current_version.definition)
    form.current_version = version
    form.save(update_fields=["current_version"])
    return version


def test_a_new_version_shares_the_files_and_storing_one_again_is_not_a_copy(collection, media_root):
    first = collection.form.current_version
    form_attachments_store(version=first, files={"logo.png": samples.PNG, "xã phường.csv": b"a\n"})
    second = next_version(collection.form)
    copied = form_attachments_copy(from_version=first, to_version=second)
    assert sorted(row.name for row in copied) == ["logo.png", "xã phường.csv"]
    assert len(stored_files(media_root)) == 2
    # The same content under its name again (a re-import): shared, not stored a second time.
    third = next_version(collection.form, 3)
    form_attachments_store(version=third, files={"logo.png": samples.PNG})
    assert len(stored_files(media_root)) == 2
    assert third.attachments.get().file.name == first.attachments.get(name="logo.png").file.name


def test_replacing_a_file_of_a_version_keeps_one_row(collection, media_root, django_capture_on_commit_callbacks):
    version = collection.form.current_version
    form_attachments_store(version=version, files={"xã phường.csv": b"old\n"})
    with django_capture_on_commit_callbacks(execute=True):
        form_attachments_store(version=version, files={"xã phường.csv": b"new\n"})
    assert version.attachments.get().file.read() == b"new\n"
    assert len(stored_files(media_root)) == 1


def test_a_shared_file_leaves_storage_with_the_last_version_naming_it(
    collection, media_root, django_capture_on_commit_callbacks
):
    first = collection.form.current_version
    form_attachments_store(version=first, files={"logo.png": samples.PNG})
    second = next_version(collection.form)
    form_attachments_copy(from_version=first, to_version=second)
    with django_capture_on_commit_callbacks(execute=True):
        first.attachments.all().delete()
    assert len(stored_files(media_root)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        second.attachments.all().delete()
    assert stored_files(media_root) == []


def test_the_share_link_reaches_only_files_the_current_version_lists(collection):
    version = collection.form.current_version
    form_attachments_store(version=version, files={"logo.png": samples.PNG, "secret.csv": b"a\n"})
    assert form_attachment_for(collection, "logo.png").content_type == "image/png"
    assert form_attachment_for(collection, "secret.csv") is None  # stored but not listed
    assert form_attachment_for(collection, "xã phường.csv") is None  # listed but not stored
    assert form_attachment_for(collection, "../logo.png") is None
    # A new version that no longer lists it: the old version's file is out of reach.
    newer = next_version(collection.form)
    newer.definition = {**MEDIA_FORM, "attachments": []}
    newer.save()
    form_attachments_copy(from_version=version, to_version=newer)
    collection.form.refresh_from_db()
    assert form_attachment_for(collection, "logo.png") is None
