"""The photos, recordings and documents sent with a response (forms-spec §3): the checks a
submission's files pass before anything is written, storing them, and their digests for telling a
retry from a different response under the same UUID.

A media answer's value is the name of its file, chosen by the client; the file travels with the
submission. Every answer needs its file, every file its answer (no extra parts), each file is
what its question asks for by its CONTENT (core.media_sniff) and the sizes stay within bounds.
Stored files get a name of the server's choosing: a client's name never reaches the disk.
"""

import contextlib
import hashlib
import re
import uuid as uuid_module
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ketnoi.core.media_sniff import sniff_media

from ..definition import check_answers, label
from ..models import Response, ResponseAttachment

MiB = 1024 * 1024
MAX_MEDIA_BYTES = 10 * MiB  # one file
MAX_RESPONSE_MEDIA_BYTES = 25 * MiB  # all the files of one response
MEDIA_TYPES = ("image", "audio", "file")
REPEAT = "repeat"
GROUP = "group"
FILE_NAME = re.compile(r"^[A-Za-z0-9._-]{1,100}$")
FILES_KEY = "files"  # the error key of a problem with the files as a whole

EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "image/gif": ".gif",
    "image/heic": ".heic",
    "image/heif": ".heif",
    "audio/mpeg": ".mp3",
    "audio/mp4": ".m4a",
    "audio/3gpp": ".3gp",
    "audio/aac": ".aac",
    "audio/ogg": ".ogg",
    "audio/webm": ".webm",
    "audio/x-matroska": ".mka",
    "audio/wav": ".wav",
    "audio/amr": ".amr",
    "audio/amr-wb": ".awb",
    "application/pdf": ".pdf",
    "application/zip": ".zip",
    "text/csv": ".csv",
    "text/plain": ".txt",
}


@dataclass(frozen=True)
class MediaAnswer:
    path: str  # the error key: "photo", or "member[1].m_photo" inside a repeat row
    question: dict
    name: str  # the file name the answer gives


@dataclass(frozen=True)
class CheckedFile:
    name: str
    uploaded: Any
    content_type: str
    size: int
    sha256: str


# Finding the media answers ----------------------------------------------------------------------
# definition.media_names gives the names alone; the checks below also need each answer's path
# (for the error's key) and its question (for its kind and label).


def media_questions(questions: list[dict]) -> dict[str, dict]:
    """The image/audio/file questions at this level (groups are transparent), by name."""
    found: dict[str, dict] = {}
    for question in questions:
        if question.get("type") == GROUP:
            found.update(media_questions(question.get("children") or []))
        elif question.get("type") in MEDIA_TYPES:
            found[question["name"]] = question
    return found


def _repeats(questions: list[dict]) -> list[dict]:
    found = []
    for question in questions:
        if question.get("type") == GROUP:
            found.extend(_repeats(question.get("children") or []))
        elif question.get("type") == REPEAT:
            found.append(question)
    return found


def media_answers(questions: list[dict], answers: Any, prefix: str = "") -> list[MediaAnswer]:
    """Every non-empty media answer in `answers` (top level and repeat rows, recursively)."""
    if not isinstance(answers, dict):
        return []
    found = []
    for name, question in media_questions(questions).items():
        value = answers.get(name)
        if value not in (None, ""):
            found.append(MediaAnswer(path=f"{prefix}{name}", question=question, name=str(value)))
    for repeat in _repeats(questions):
        rows = answers.get(repeat["name"])
        for index, row in enumerate(rows if isinstance(rows, list) else []):
            found.extend(media_answers(repeat.get("children") or [], row, f"{prefix}{repeat['name']}[{index}]."))
    return found


def checked_answers(definition: dict, answers: Any, *, today: date, files: set[str]) -> dict:
    """`definition.check_answers` with the names of the files sent (every media answer needs one)."""
    return check_answers(definition, answers, today=today, files=files)


# Checking the files -----------------------------------------------------------------------------


def sha256_of(uploaded) -> str:
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks() if hasattr(uploaded, "chunks") else iter(lambda: uploaded.read(MiB), b""):
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()


def megabytes(size: int) -> str:
    return f"{size / MiB:.0f}"


def _too_large_together() -> str:
    return _("Các tệp của phiếu cộng lại lớn hơn %(mb)s MB: hãy chụp ảnh nhỏ hơn hoặc ghi âm ngắn hơn.") % {
        "mb": megabytes(MAX_RESPONSE_MEDIA_BYTES)
    }


def check_media(
    definition: dict, answers: dict, files: dict[str, Any] | None, *, sent: Any = None
) -> list[CheckedFile]:
    """The files of a response, checked against its cleaned `answers`; a ValidationError keyed by
    the answer's path (or "files" for the files as a whole) names what is wrong.

    `sent`: the answers as the client sent them. A file of an answer the server dropped (its
    question not shown, as the phone may keep a photo taken before an earlier answer changed) is
    left out rather than refused; only a file that no answer names is an extra part."""
    files = files or {}
    wanted = media_answers(definition["questions"], answers)
    named = {answer.name for answer in media_answers(definition["questions"], sent)} if sent is not None else set()
    errors: dict[str, str] = {}
    seen: set[str] = set()
    for answer in wanted:
        title = label(answer.question.get("label")) or answer.question["name"]
        if not FILE_NAME.match(answer.name):
            errors[answer.path] = _(
                "“%(title)s”: tên tệp “%(name)s” không hợp lệ (chỉ chữ không dấu, số, dấu chấm, gạch ngang, gạch "
                "dưới; tối đa 100 ký tự)."
            ) % {"title": title, "name": answer.name[:100]}
        elif answer.name in seen:
            errors[answer.path] = _("“%(title)s”: tệp “%(name)s” đã dùng cho một câu trả lời khác.") % {
                "title": title,
                "name": answer.name,
            }
        elif answer.name not in files:
            errors[answer.path] = _("“%(title)s”: thiếu tệp “%(name)s”. Hãy gửi lại phiếu kèm tệp.") % {
                "title": title,
                "name": answer.name,
            }
        seen.add(answer.name)
    extra = sorted(set(files) - seen - named)
    if extra:
        errors[FILES_KEY] = _("Phiếu gửi kèm tệp không thuộc câu trả lời nào: %(names)s.") % {
            "names": ", ".join(f"“{name[:100]}”" for name in extra[:5])
        }
    if errors:
        raise ValidationError(errors)

    sizes = [files[answer.name].size or 0 for answer in wanted]
    if sum(sizes) > MAX_RESPONSE_MEDIA_BYTES and max(sizes) <= MAX_MEDIA_BYTES:
        # Before any file is read or hashed: hundreds of large parts cost nothing but this sum.
        raise ValidationError({FILES_KEY: _too_large_together()})
    checked: list[CheckedFile] = []
    total = 0
    for answer in wanted:
        uploaded = files[answer.name]
        title = label(answer.question.get("label")) or answer.question["name"]
        size = uploaded.size
        if size > MAX_MEDIA_BYTES:
            errors[answer.path] = _("“%(title)s”: tệp “%(name)s” lớn hơn %(mb)s MB.") % {
                "title": title,
                "name": answer.name,
                "mb": megabytes(MAX_MEDIA_BYTES),
            }
            continue
        if size == 0:
            errors[answer.path] = _("“%(title)s”: tệp “%(name)s” trống.") % {"title": title, "name": answer.name}
            continue
        total += size
        try:
            content_type = sniff_media(uploaded, kind=answer.question["type"], label=title)
        except ValidationError as error:
            errors[answer.path] = error.messages[0]
            continue
        checked.append(CheckedFile(answer.name, uploaded, content_type, size, sha256_of(uploaded)))
    if total > MAX_RESPONSE_MEDIA_BYTES:
        errors[FILES_KEY] = _too_large_together()
    if errors:
        raise ValidationError(errors)
    return checked


# Storing and reading ----------------------------------------------------------------------------


def delete_files(field_files) -> None:
    """Remove stored files; one already gone is skipped."""
    for field_file in field_files:
        with contextlib.suppress(OSError):
            field_file.storage.delete(field_file.name)


def store_files(checked: list[CheckedFile]) -> list[ResponseAttachment]:
    """Write each file to storage under a new name; the rows come back unsaved (no response yet).
    A failure midway removes what was written."""
    rows: list[ResponseAttachment] = []
    try:
        for item in checked:
            row = ResponseAttachment(name=item.name, content_type=item.content_type, size=item.size, sha256=item.sha256)
            item.uploaded.seek(0)
            row.file.save(
                f"{uuid_module.uuid4().hex}{EXTENSIONS.get(item.content_type, '.bin')}", item.uploaded, save=False
            )
            rows.append(row)
    except BaseException:
        delete_files(row.file for row in rows)
        raise
    return rows


def digests_of(checked: list[CheckedFile]) -> set[tuple[str, str]]:
    return {(item.name, item.sha256) for item in checked}


def attachment_digests(response: Response) -> set[tuple[str, str]]:
    """The (name, sha256) pairs of a stored response's files."""
    return set(ResponseAttachment.objects.filter(response=response).values_list("name", "sha256"))
