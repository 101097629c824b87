"""Responses: stored once per client-made UUID. The same UUID again with the same answers (and
the same files: names and SHA-256) is a success that writes nothing, with anything different a
conflict. Retries never duplicate or drop.

A response with files (photos, recordings, documents: services/media.py) is written whole or not
at all: the files go to storage first, then the response and its attachment rows in one
transaction; any failure removes the files written. (Django has no hook for a rollback after this
returns, so a caller's transaction failing later would leave the files: call it in none, as the
submission views do.)

Responses are not audited: they arrive by the thousand and an anonymous one must carry no trace
of who sent it.
"""

import uuid as uuid_module
from contextlib import nullcontext
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from ..definition import instance_name
from ..models import Collection, FormVersion, Response, ResponseAttachment
from ..tasks import collection_tally_refresh, tally_refresh_due
from .media import attachment_digests, check_media, checked_answers, delete_files, digests_of, store_files


class SubmissionRefused(Exception):
    """A response the collection cannot take now; `status` is the HTTP answer to give."""

    def __init__(self, message: str, *, status: int):
        super().__init__(message)
        self.message, self.status = message, status


def _parse_uuid(value: Any) -> uuid_module.UUID:
    try:
        return uuid_module.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise ValidationError({"uuid": _("Thiếu mã phiếu (uuid) hoặc mã không hợp lệ.")}) from None


def _version_for(collection: Collection, number: Any) -> FormVersion:
    current = collection.form.current_version
    if number in (None, "", current.number):
        return current
    version = FormVersion.objects.filter(form_id=collection.form_id, number=number).first()
    if version is None:
        raise ValidationError({"version": _("Biểu mẫu không có phiên bản %(n)s.") % {"n": number}})
    return version


def _repeat(
    collection: Collection, response_uuid: uuid_module.UUID, answers: dict, digests: set[tuple[str, str]]
) -> Response | None:
    """The stored response with this UUID if its answers and files match; a conflict if not."""
    # Whether it has files comes with the row (a repeat without files costs no further query).
    has_files = Exists(ResponseAttachment.objects.filter(response=OuterRef("pk")))
    existing = Response.objects.filter(uuid=response_uuid).annotate(has_files=has_files).first()
    if existing is None:
        return None
    if (
        existing.collection_id != collection.pk
        or existing.answers != answers
        or existing.has_files != bool(digests)
        or (digests and attachment_digests(existing) != digests)
    ):
        raise SubmissionRefused(
            _("Mã phiếu này đã được dùng cho một phiếu khác. Hãy tải lại trang để làm phiếu mới."), status=409
        )
    return existing


def response_submit(
    *,
    collection: Collection,
    uuid: Any,
    answers: Any,
    version: Any = None,
    user=None,
    files: dict[str, Any] | None = None,
) -> tuple[Response, bool]:
    """Store one response. Returns (response, created): created is False for a repeat of a
    response already stored. Raises ValidationError naming the question, or SubmissionRefused.
    `files`: {file name: uploaded file}, one per media answer (forms-spec §3).

    Not decorated @transaction.atomic on purpose: without a cap or files the INSERT commits on
    its own (see below)."""
    response_uuid = _parse_uuid(uuid)
    form_version = _version_for(collection, version)
    files = files or {}
    cleaned = checked_answers(form_version.definition, answers, today=timezone.localdate(), files=set(files))
    media = check_media(form_version.definition, cleaned, files, sent=answers)
    digests = digests_of(media)
    identified = collection.mode == Collection.Mode.IDENTIFIED
    if identified and not getattr(user, "is_authenticated", False):
        raise SubmissionRefused(_("Đợt khảo sát này cần đăng nhập trước khi trả lời."), status=403)
    now = timezone.now()
    if not collection.is_open(now):
        repeat = _repeat(collection, response_uuid, cleaned, digests)
        if repeat is not None:
            return repeat, False
        if now < collection.opens_at:
            raise SubmissionRefused(_("Đợt khảo sát chưa mở."), status=403)
        raise SubmissionRefused(_("Đợt khảo sát đã đóng, không nhận thêm phiếu."), status=410)
    if media:
        # A retry sends its files again: answer it before writing them.
        repeat = _repeat(collection, response_uuid, cleaned, digests)
        if repeat is not None:
            return repeat, False
    capped = collection.max_responses is not None
    # Without a cap or files the INSERT is the whole write, and one statement commits on its own:
    # SQLite then holds its write lock only while that statement runs, never while Python runs
    # between BEGIN and COMMIT (with concurrent writers that wait is what limits submissions per
    # second). Inside a caller's transaction a savepoint still keeps a refused INSERT from spoiling
    # it. Files are written to storage before the transaction, so the lock is not held during it.
    stored = store_files(media) if media else []
    kept = False
    atomic = capped or stored or transaction.get_connection().in_atomic_block
    write = transaction.atomic() if atomic else nullcontext()
    try:
        with write:
            if capped:
                # Lock the collection so two last answers cannot both take the last place.
                Collection.objects.select_for_update().filter(pk=collection.pk).first()
                if collection.responses.count() >= collection.max_responses:
                    repeat = _repeat(collection, response_uuid, cleaned, digests)
                    if repeat is not None:
                        return repeat, False
                    raise SubmissionRefused(_("Đợt khảo sát đã nhận đủ số phiếu."), status=410)
            response = Response.objects.create(
                uuid=response_uuid,
                collection=collection,
                version=form_version,
                answers=cleaned,
                instance_name=instance_name(form_version.definition, cleaned, today=timezone.localdate()),
                submitted_at=now,
                respondent=user if identified else None,
            )
            if stored:
                for row in stored:
                    row.response = response
                ResponseAttachment.objects.bulk_create(stored)
        kept = True
    except IntegrityError:
        repeat = _repeat(collection, response_uuid, cleaned, digests)
        if repeat is None:  # pragma: no cover - a constraint other than the UUID
            raise
        return repeat, False
    finally:
        if not kept:
            # Nothing half-written: the rows rolled back (or were never written), so the files go.
            delete_files(row.file for row in stored)
    if tally_refresh_due(response.pk):
        # Keep the results' counts close behind the responses (surveys/tasks.py says why).
        transaction.on_commit(lambda: collection_tally_refresh.enqueue(collection.pk))
    return response, True
