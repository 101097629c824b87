"""What a photo, a recording or a document is, read from its bytes (core.media_sniff): the
client's name and content type are never believed."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ketnoi.core.media_sniff import sniff_media
from ketnoi.core.tests import media_samples as b

ACCEPTED = [
    ("image", b.JPEG, "image/jpeg"),
    ("image", b.PNG, "image/png"),
    ("image", b.WEBP, "image/webp"),
    ("image", b.GIF, "image/gif"),
    ("image", b.HEIC, "image/heic"),
    ("image", b.HEIF, "image/heif"),
    ("audio", b.MP3_ID3, "audio/mpeg"),
    ("audio", b.MP3_FRAME, "audio/mpeg"),
    ("audio", b.AAC, "audio/aac"),
    ("audio", b.M4A, "audio/mp4"),
    ("audio", b.MP4, "audio/mp4"),
    ("audio", b.THREE_GP, "audio/3gpp"),
    ("audio", b.OGG, "audio/ogg"),
    ("audio", b.WEBM, "audio/webm"),
    ("audio", b.WAV, "audio/wav"),
    ("audio", b.AMR, "audio/amr"),
    ("file", b.PDF, "application/pdf"),
    ("file", b.DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("file", b.XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("file", b.ODT, "application/vnd.oasis.opendocument.text"),
    ("file", b.OLE, "application/vnd.ms-office"),
    ("file", b.ZIP, "application/zip"),
    ("file", b.JPEG, "image/jpeg"),
    ("file", b.OGG, "audio/ogg"),
]


@pytest.mark.parametrize(("kind", "content", "expected"), ACCEPTED)
def test_each_kind_is_known_by_its_bytes_whatever_it_is_called(kind, content, expected):
    # Named and typed as something else: only the bytes count.
    uploaded = SimpleUploadedFile("blob.bin", content, content_type="application/x-msdownload")
    assert sniff_media(uploaded, kind=kind) == expected
    assert uploaded.tell() == 0  # left ready to be stored


def test_text_is_a_file_of_csv_or_plain_text():
    assert sniff_media(SimpleUploadedFile("ds.csv", b.CSV), kind="file") == "text/csv"
    assert sniff_media(SimpleUploadedFile("ghi-chu.txt", b.CSV), kind="file") == "text/plain"


@pytest.mark.parametrize(
    ("kind", "name", "content"),
    [
        ("image", "1712345678901.jpg", b.EXE),  # a renamed executable
        ("image", "anh.png", b.ELF),
        ("image", "anh.svg", b.SVG),  # a picture that runs scripts is not a photo
        ("image", "ghi-am.jpg", b.MP3_ID3),
        ("image", "giay.jpg", b.PDF),
        ("audio", "loi-ke.mp3", b.JPEG),
        ("audio", "loi-ke.mp3", b.HEIC),
        ("audio", "loi-ke.wav", b.WEBP),
        ("audio", "loi-ke.m4a", b.CSV),
        ("file", "giay-to.pdf", b.EXE),
        ("file", "giay-to.pdf", b.ELF),
        ("file", "empty.txt", b""),
    ],
)
def test_content_of_another_kind_is_refused_in_vietnamese_naming_the_file(kind, name, content):
    uploaded = SimpleUploadedFile(name, content, content_type="image/jpeg")
    with pytest.raises(ValidationError) as refused:
        sniff_media(uploaded, kind=kind, label="Ảnh ngôi nhà")
    message = refused.value.messages[0]
    assert f"“{name}”" in message and "Ảnh ngôi nhà" in message and "Hãy chọn lại đúng loại tệp" in message
