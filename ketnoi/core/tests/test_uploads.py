import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ketnoi.core.uploads import check_upload

ALLOWED = {".pdf", ".png", ".docx", ".csv", ".xls"}


def _check(name: str, content: bytes, max_bytes: int = 1000) -> None:
    check_upload(
        SimpleUploadedFile(name, content), field="file", allowed=ALLOWED, max_bytes=max_bytes, kinds_label="PDF"
    )


@pytest.mark.parametrize(
    "name, content",
    [
        ("bien-ban.pdf", b"%PDF-1.7\n..."),
        ("anh.PNG", b"\x89PNG\r\n\x1a\n...."),
        ("bao-cao.docx", b"PK\x03\x04...."),
        ("danh-sach.csv", "Họ và tên,Đơn vị\n".encode()),
        ("so-lieu.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1...."),
    ],
)
def test_files_that_are_what_their_name_says_pass(name, content):
    _check(name, content)


@pytest.mark.parametrize(
    "name, content",
    [
        ("hop-dong.pdf", b"MZ\x90\x00 an executable renamed"),
        ("anh.png", b"%PDF-1.4"),
        ("danh-sach.csv", b"\x00\x01\x02binary"),
        ("chuong-trinh.exe", b"MZ"),
        ("khong-duoi", b"%PDF-1.4"),
        ("trang.html", b"<script>"),
    ],
)
def test_files_whose_content_or_kind_is_wrong_are_refused_with_the_name(name, content):
    with pytest.raises(ValidationError) as error:
        _check(name, content)
    assert name in error.value.message_dict["file"][0]


def test_a_file_too_large_is_refused_with_the_limit():
    with pytest.raises(ValidationError, match="MB"):
        _check("lon.pdf", b"%PDF-" + b"0" * 3 * 1024 * 1024, max_bytes=2 * 1024 * 1024)
