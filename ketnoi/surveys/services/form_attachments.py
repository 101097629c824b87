"""The files of a form version (forms-spec §4): choice images, CSV/XML/GeoJSON lists and question
media the author uploads with an XLSForm. Respondents fetch them by the share link, anonymously,
so each is checked by its content for what its name says it is: images, recordings, CSV, XML
and GeoJSON only (never HTML, SVG or anything a browser would run).

A new version shares the stored files of the previous one (rows copied, files not): a file leaves
storage once no version names it (models: the post_delete receiver).
"""

import json
import re
import uuid as uuid_module
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from ketnoi.core.media_sniff import audio_type, image_type, read_head
from ketnoi.core.uploads import looks_like_text

from ..models import Collection, FormAttachment, FormVersion
from .media import EXTENSIONS, MAX_MEDIA_BYTES, delete_files, megabytes, sha256_of

MAX_FORM_ATTACHMENT_BYTES = MAX_MEDIA_BYTES
# A name as XLSForm authors write them ("xã phường.csv" included), but never a path.
ATTACHMENT_NAME = re.compile(r"^[^/\\\x00-\x1f\x7f]{1,255}$")
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".heic", ".heif"}
AUDIO_SUFFIXES = {".mp3", ".m4a", ".aac", ".mp4", ".3gp", ".ogg", ".oga", ".opus", ".webm", ".wav", ".amr"}
TEXT_TYPES = {".csv": "text/csv", ".xml": "application/xml", ".geojson": "application/geo+json"}


def _as_file(name: str, content: Any):
    return ContentFile(content, name=name) if isinstance(content, bytes | bytearray) else content


def _content_type(name: str, uploaded) -> str | None:
    """What the file is, if it is what its name says; None otherwise."""
    suffix = Path(name).suffix.lower()
    head = read_head(uploaded)
    if suffix in IMAGE_SUFFIXES:
        return image_type(head)
    if suffix in AUDIO_SUFFIXES:
        return audio_type(head)
    if suffix not in TEXT_TYPES or not looks_like_text(head):
        return None
    if suffix == ".xml" and not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return None
    if suffix == ".geojson":
        uploaded.seek(0)
        try:
            parsed = json.loads(uploaded.read().decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError):
            return None
        finally:
            uploaded.seek(0)
        if not isinstance(parsed, dict) or "type" not in parsed:
            return None
    return TEXT_TYPES[suffix]


def _refusal(name: str) -> str:
    return _(
        "Tệp đính kèm “%(name)s” không dùng được: chỉ nhận ảnh (JPEG, PNG, WebP, GIF, HEIC), bản ghi âm "
        "(MP3, M4A, OGG, WebM, WAV, AMR, 3GP), CSV, XML hoặc GeoJSON, và nội dung phải đúng với đuôi tệp."
    ) % {"name": name[:255]}


@transaction.atomic
def form_attachments_store(*, version: FormVersion, files: dict[str, Any]) -> list[FormAttachment]:
    """Attach `files` ({name: bytes or uploaded file}) to `version`, replacing any of the same
    name. Every file is checked before any is written; a ValidationError on "attachments" lists
    the refused ones. A file the form already holds (same SHA-256) is shared, not stored again.

    Files removed on any failure inside this service; a caller's transaction rolling back after it
    returns leaves their files in storage, so call it last."""
    errors: list[str] = []
    checked: list[tuple[str, Any, str, int, str]] = []
    for name, content in files.items():
        uploaded = _as_file(name, content)
        if not ATTACHMENT_NAME.match(name) or name.strip() in ("", ".", ".."):
            errors.append(_refusal(name))
            continue
        if uploaded.size > MAX_FORM_ATTACHMENT_BYTES:
            errors.append(
                _("Tệp đính kèm “%(name)s” lớn hơn %(mb)s MB.")
                % {"name": name, "mb": megabytes(MAX_FORM_ATTACHMENT_BYTES)}
            )
            continue
        content_type = _content_type(name, uploaded) if uploaded.size else None
        if content_type is None:
            errors.append(_refusal(name))
            continue
        checked.append((name, uploaded, content_type, uploaded.size, sha256_of(uploaded)))
    if errors:
        raise ValidationError({"attachments": errors})

    shared = dict(
        FormAttachment.objects.filter(form_version__form_id=version.form_id, sha256__in=[c[4] for c in checked])
        .values_list("sha256", "file")
        .distinct()
    )
    written = []
    rows = []
    try:
        for name, uploaded, content_type, size, sha256 in checked:
            row = FormAttachment(form_version=version, name=name, content_type=content_type, size=size, sha256=sha256)
            if sha256 in shared:
                row.file.name = shared[sha256]
            else:
                uploaded.seek(0)
                row.file.save(f"{uuid_module.uuid4().hex}{EXTENSIONS.get(content_type, '.bin')}", uploaded, save=False)
                written.append(row.file)
                shared[sha256] = row.file.name
            rows.append(row)
        # Replacing a file of the same name: its old row goes (and its file, unless still shared).
        FormAttachment.objects.filter(form_version=version, name__in=[row.name for row in rows]).delete()
        FormAttachment.objects.bulk_create(rows)
    except BaseException:
        delete_files(written)
        raise
    return rows


@transaction.atomic
def form_attachments_copy(*, from_version: FormVersion, to_version: FormVersion) -> list[FormAttachment]:
    """Give `to_version` the files of `from_version` it does not have yet (sharing storage)."""
    present = set(to_version.attachments.values_list("name", flat=True))
    rows = [
        FormAttachment(
            form_version=to_version,
            name=a.name,
            file=a.file.name,
            content_type=a.content_type,
            size=a.size,
            sha256=a.sha256,
        )
        for a in from_version.attachments.all()
        if a.name not in present
    ]
    return FormAttachment.objects.bulk_create(rows)


def form_attachment_for(collection: Collection, name: str) -> FormAttachment | None:
    """The file `name` of the collection's current form version, if that version lists it in its
    definition's "attachments" (what respondents may fetch by the share link); None otherwise."""
    version = collection.form.current_version
    if version is None or name not in (version.definition.get("attachments") or []):
        return None
    return FormAttachment.objects.filter(form_version=version, name=name).first()
