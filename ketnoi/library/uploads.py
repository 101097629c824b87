"""The check every library file passes before it is stored: kind by content, size, and for Word
files that the zip really is a Word document. Text extraction later copes with the rest
(passwords, scans) and says why on the file."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ketnoi.core.uploads import check_upload

from .extraction import KIND_BY_SUFFIX, ExtractionError, check_docx_archive

ALLOWED = set(KIND_BY_SUFFIX)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def max_upload_bytes() -> int:
    return settings.LIBRARY_MAX_UPLOAD_MB * 1024 * 1024


def _head(uploaded, size: int = 4) -> bytes:
    position = uploaded.tell() if hasattr(uploaded, "tell") else 0
    uploaded.seek(0)
    head = uploaded.read(size)
    uploaded.seek(position)
    return head


def _is_utf8(head: bytes) -> bool:
    """Binary files (with NUL bytes) are left to the generic refusal."""
    if b"\x00" in head:
        return True
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start >= len(head) - 3  # a character cut at the end of the sample
    return True


def check_library_upload(uploaded, *, field: str = "file") -> str:
    """The kind ("pdf", "docx", "txt" or "html") of an uploaded library file, or a ValidationError
    on `field` that says what to do. Reads the file, writes nothing."""
    name = Path(uploaded.name or "").name
    kind = KIND_BY_SUFFIX.get(Path(name).suffix.lower())
    if not uploaded.size:
        raise ValidationError({field: _("Tệp “%(name)s” trống: hãy chọn đúng tệp rồi tải lại.") % {"name": name}})
    if kind in ("txt", "html") and _head(uploaded).startswith(_UTF16_BOMS):
        raise ValidationError(
            {
                field: _("Tệp “%(name)s” được lưu bằng mã UTF-16: hãy mở tệp và lưu lại với mã UTF-8 rồi tải lại.")
                % {"name": name}
            }
        )
    if kind in ("txt", "html") and uploaded.size <= max_upload_bytes() and not _is_utf8(_head(uploaded, 2048)):
        raise ValidationError(
            {
                field: _("Tệp “%(name)s” không phải văn bản mã UTF-8: hãy mở tệp và lưu lại với mã UTF-8 rồi tải lại.")
                % {"name": name}
            }
        )
    check_upload(
        uploaded,
        field=field,
        allowed=ALLOWED,
        max_bytes=max_upload_bytes(),
        kinds_label=_("PDF, Word (DOCX), văn bản (TXT) hay trang web (HTML)"),
    )
    if kind == "docx":
        position = uploaded.tell() if hasattr(uploaded, "tell") else 0
        uploaded.seek(0)
        try:
            check_docx_archive(uploaded)
        except ExtractionError as error:
            raise ValidationError(
                {field: _("Tệp “%(name)s”: %(reason)s.") % {"name": name, "reason": error.reason}}
            ) from error
        finally:
            uploaded.seek(position)
    return kind
