"""What an uploaded photo, recording or document is, read from its bytes.

The client's content type and file name are never trusted: a phone names its photos as it likes,
and a renamed executable must not be stored as "1712345678901.jpg" for a coordinator to open.
`sniff_media` answers the content type to store and serve, or refuses the file.
"""

import zipfile
from pathlib import Path
from typing import Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .uploads import looks_like_text

Kind = Literal["image", "audio", "file"]
HEAD_BYTES = 4096

# ISO base media files (MP4, M4A, 3GP, HEIC) begin with a box "ftyp" whose major brand says what
# they hold: bytes 4–8 "ftyp", bytes 8–12 the brand.
HEIC_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis"}
HEIF_BRANDS = {b"mif1", b"msf1"}
THREE_GP_PREFIXES = (b"3gp", b"3g2", b"3ge", b"3gg", b"3gs")
MP4_BRANDS = {
    b"M4A ",
    b"M4B ",
    b"M4P ",
    b"isom",
    b"iso2",
    b"iso4",
    b"iso5",
    b"iso6",
    b"mp41",
    b"mp42",
    b"mp71",
    b"dash",
    b"avc1",
    b"f4a ",
    b"f4v ",
    b"MSNV",
    b"NDAS",
}

OFFICE_ZIP_TYPES = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
ODF_TYPES = {
    b"application/vnd.oasis.opendocument.text",
    b"application/vnd.oasis.opendocument.spreadsheet",
    b"application/vnd.oasis.opendocument.presentation",
}
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _ftyp_brand(head: bytes) -> bytes | None:
    return head[8:12] if len(head) >= 12 and head[4:8] == b"ftyp" else None


def image_type(head: bytes) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    brand = _ftyp_brand(head)
    if brand in HEIC_BRANDS:
        return "image/heic"
    if brand in HEIF_BRANDS:
        return "image/heif"
    return None


def _mp3_frame(head: bytes) -> bool:
    # An MPEG audio frame header: 11 sync bits, then a version and a layer that are not
    # "reserved" (layer bits 00 is AAC's ADTS, not MP3; a JPEG's FF D8 has no sync bits).
    if len(head) < 3 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    version, layer, bitrate = (head[1] >> 3) & 0b11, (head[1] >> 1) & 0b11, head[2] >> 4
    return version != 0b01 and layer != 0b00 and bitrate != 0b1111


def audio_type(head: bytes) -> str | None:
    if head.startswith(b"ID3") or _mp3_frame(head):
        return "audio/mpeg"
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xF6 == 0xF0:  # AAC in ADTS frames (Android)
        return "audio/aac"
    if head.startswith(b"OggS"):
        return "audio/ogg"
    if head.startswith(b"\x1a\x45\xdf\xa3"):  # EBML: WebM (what Chrome records) or Matroska
        return "audio/webm" if b"webm" in head[:64] else "audio/x-matroska"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "audio/wav"
    if head.startswith(b"#!AMR-WB\n"):
        return "audio/amr-wb"
    if head.startswith(b"#!AMR\n"):
        return "audio/amr"
    brand = _ftyp_brand(head)
    if brand is not None and brand.startswith(THREE_GP_PREFIXES):
        return "audio/3gpp"
    if brand in MP4_BRANDS:
        return "audio/mp4"
    return None


def _zip_type(uploaded, head: bytes) -> str:
    """Which document a zip is: OpenDocument names itself in a first stored member "mimetype";
    Office Open XML by its folders (the central directory only is read, nothing unpacked)."""
    if head[30:38] == b"mimetype":
        name_length, extra_length = int.from_bytes(head[26:28], "little"), int.from_bytes(head[28:30], "little")
        start = 30 + name_length + extra_length
        declared = head[start : start + 60].split(b"PK", 1)[0].strip()
        if declared in ODF_TYPES:
            return declared.decode()
    try:
        uploaded.seek(0)
        with zipfile.ZipFile(uploaded) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return "application/zip"
    if "[Content_Types].xml" in names:
        for folder, content_type in OFFICE_ZIP_TYPES.items():
            if any(name.startswith(folder) for name in names):
                return content_type
    return "application/zip"


def document_type(uploaded, head: bytes, name: str) -> str | None:
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_type(uploaded, head)
    if head.startswith(OLE):
        return "application/vnd.ms-office"  # .doc, .xls, .ppt: all OLE compound files
    if head and looks_like_text(head):
        # Text of any kind is stored as plain text and only ever downloaded; the name chooses
        # between two equally harmless types.
        return "text/csv" if Path(name).suffix.lower() == ".csv" else "text/plain"
    return None


def read_head(uploaded, size: int = HEAD_BYTES) -> bytes:
    position = uploaded.tell() if hasattr(uploaded, "tell") else 0
    uploaded.seek(0)
    head = uploaded.read(size)
    uploaded.seek(position)
    return head


KIND_LABELS = {
    "image": gettext_lazy("ảnh (JPEG, PNG, WebP, GIF, HEIC)"),
    "audio": gettext_lazy("bản ghi âm (MP3, M4A, AAC, OGG, WebM, WAV, AMR, 3GP)"),
    "file": gettext_lazy("tài liệu (PDF, Word, Excel, PowerPoint, OpenDocument, CSV, TXT, ZIP), ảnh hoặc bản ghi âm"),
}


def sniff_media(uploaded, *, kind: Kind, label: str = "") -> str:
    """The content type of `uploaded` read from its bytes, if it is a file of `kind`; else a
    ValidationError naming the file (and `label`, the question, when given)."""
    name = Path(uploaded.name or "").name
    head = read_head(uploaded)
    if kind == "image":
        found = image_type(head)
    elif kind == "audio":
        found = audio_type(head)
    else:
        found = image_type(head) or audio_type(head) or document_type(uploaded, head, name)
    if found is None:
        message = _("Tệp “%(name)s” không phải là %(kinds)s. Hãy chọn lại đúng loại tệp.") % {
            "name": name,
            "kinds": KIND_LABELS.get(kind, KIND_LABELS["file"]),
        }
        if label:
            message = _("“%(title)s”: %(message)s") % {"title": label, "message": message}
        raise ValidationError(message, code="wrong_kind")
    uploaded.seek(0)
    return found
