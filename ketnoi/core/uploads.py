"""Check an uploaded file by its size and by what its first bytes say it is, not only its name.

A renamed executable must not become an "agreement.pdf" that a partner later opens.
"""

import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# What each accepted extension must look like inside.
_ZIP = (b"PK\x03\x04",)  # docx, xlsx, odt, ods are zip containers
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # legacy doc, xls
# A prefix, or a pattern where the marker sits after a size field (WebP: "RIFF", size, "WEBP").
SIGNATURES: dict[str, tuple[bytes | re.Pattern, ...] | None] = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".webp": (re.compile(rb"RIFF.{4}WEBP", re.DOTALL),),
    ".docx": _ZIP,
    ".xlsx": _ZIP,
    ".odt": _ZIP,
    ".ods": _ZIP,
    ".doc": _OLE,
    ".xls": _OLE,
    ".csv": None,  # text: checked below
    ".txt": None,
    ".html": None,
    ".htm": None,
}


def looks_like_text(head: bytes) -> bool:
    """Whether a file's first bytes read as UTF-8 text (no NUL byte)."""
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is still text.
        return error.start >= len(head) - 3
    return True


def _starts(head: bytes, signature: bytes | re.Pattern) -> bool:
    return head.startswith(signature) if isinstance(signature, bytes) else signature.match(head) is not None


def check_upload(uploaded, *, field: str, allowed: set[str], max_bytes: int, kinds_label: str) -> None:
    """Raise a ValidationError on `field` unless the file is one of `allowed` (extensions) in fact."""
    suffix = Path(uploaded.name or "").suffix.lower()
    refused = ValidationError(
        {
            field: _("Tệp “%(name)s” không phải %(kinds)s: hãy chuyển sang một trong các định dạng đó rồi tải lại.")
            % {"name": Path(uploaded.name or "").name, "kinds": kinds_label}
        }
    )
    if suffix not in allowed or suffix not in SIGNATURES:
        raise refused
    if uploaded.size > max_bytes:
        raise ValidationError(
            {field: _("Tệp lớn hơn %(mb)s MB: hãy nén hoặc tách tệp rồi tải lại.") % {"mb": max_bytes // (1024 * 1024)}}
        )
    position = uploaded.tell() if hasattr(uploaded, "tell") else 0
    uploaded.seek(0)
    head = uploaded.read(2048)
    uploaded.seek(position)
    signatures = SIGNATURES[suffix]
    matches = looks_like_text(head) if signatures is None else any(_starts(head, s) for s in signatures)
    if not matches:
        raise refused
