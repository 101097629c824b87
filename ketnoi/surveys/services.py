"""Every write to surveys. Forms, versions and collections are audited; responses are not
(they arrive by the thousand and an anonymous one must carry no trace of who sent it).

A response is stored once per client-made UUID: the same UUID again with the same answers is
a success that writes nothing, with other answers a conflict. Retries never duplicate or drop.
"""

import uuid as uuid_module
from contextlib import nullcontext
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ketnoi.core.audit import audit_record, diff, snapshot
from ketnoi.core.text import fold, normalise
from ketnoi.programmes import access as programme_access
from ketnoi.programmes.models import Programme

from . import access
from .definition import check_answers, check_definition, label
from .models import Collection, Form, FormVersion, Response

COLLECTION_FIELDS = ("title", "target_label", "context", "opens_at", "closes_at", "max_responses", "mode")
CONTEXT_KEYS = ("class", "campus", "semester", "lecturer", "city", "session")


class SubmissionRefused(Exception):
    """A response the collection cannot take now; `status` is the HTTP answer to give."""

    def __init__(self, message: str, *, status: int):
        super().__init__(message)
        self.message, self.status = message, status


def _require(check, actor, programme: Programme, message: str) -> None:
    if not programme_access.can_view(actor, programme):
        raise PermissionDenied(_("Bạn không có quyền truy cập chương trình này."))
    if not check(actor, programme):
        raise PermissionDenied(message)


def _design_denied() -> str:
    return _("Chỉ điều phối viên của chương trình mới được thiết kế biểu mẫu.")


# Forms and versions ------------------------------------------------------------------------


def _unique_code(programme: Programme, wanted: str, *, exclude: int | None = None) -> str:
    base = slugify(fold(wanted))[:50] or "bieu-mau"
    taken = set(Form.objects.filter(programme=programme).exclude(pk=exclude).values_list("code", flat=True))
    code, n = base, 2
    while code in taken:
        code, n = f"{base}-{n}", n + 1
    return code


@transaction.atomic
def form_create(
    *, actor, programme: Programme, definition: dict, title: str = "", description: str = "", code: str = ""
) -> Form:
    _require(access.can_design, actor, programme, _design_denied())
    check_definition(definition)
    title = normalise(title) or label(definition.get("title"), "vi")
    form = Form(
        programme=programme,
        title=title,
        description=(description or "").strip(),
        code=_unique_code(programme, code or title),
        created_by=actor,
        updated_by=actor,
    )
    form.full_clean(exclude=["programme", "current_version", "created_by", "updated_by"])
    form.save()
    version = FormVersion.objects.create(form=form, number=1, definition=definition, created_by=actor)
    form.current_version = version
    form.save(update_fields=["current_version"])
    audit_record(actor=actor, action="surveys.form_create", obj=form, changes={"title": title, "version": 1})
    return form


@transaction.atomic
def form_update(
    *, actor, form: Form, definition: dict | None = None, title: str | None = None, description: str | None = None
) -> Form:
    """Change the title, description or questions. New questions replace the current version
    while nobody has answered it; once someone has, they become the next version and the
    answered one stays as it was."""
    _require(access.can_design, actor, form.programme, _design_denied())
    form = Form.objects.select_for_update(of=("self",)).select_related("current_version").get(pk=form.pk)
    before = snapshot(form, ["title", "description"])
    if title is not None:
        form.title = normalise(title)
        if not form.title:
            raise ValidationError({"title": _("Hãy nhập tiêu đề biểu mẫu.")})
    if description is not None:
        form.description = description.strip()
    changes = diff(before, form)
    if definition is not None and definition != form.current_version.definition:
        check_definition(definition)
        current = form.current_version
        if current.responses.exists():
            number = current.number + 1
            form.current_version = FormVersion.objects.create(
                form=form, number=number, definition=definition, created_by=actor
            )
            changes["version"] = [current.number, number]
        else:
            current.definition = definition
            current.save(update_fields=["definition"])
            changes["questions"] = _("đã sửa câu hỏi của phiên bản %(n)s") % {"n": current.number}
    form.updated_by = actor
    form.save()
    if changes:
        audit_record(actor=actor, action="surveys.form_update", obj=form, changes=changes)
    return form


# Collections -------------------------------------------------------------------------------


def _clean_context(context: dict | None) -> dict:
    context = context or {}
    unknown = set(context) - set(CONTEXT_KEYS)
    if unknown:
        raise ValidationError(
            {"context": _("Không có thông tin bối cảnh “%(k)s”.") % {"k": ", ".join(sorted(unknown))}}
        )
    return {k: normalise(str(v)) for k, v in context.items() if v not in (None, "")}


def _validate_collection(collection: Collection) -> None:
    collection.title = normalise(collection.title)
    if not collection.title:
        raise ValidationError({"title": _("Hãy đặt tên cho đợt khảo sát, ví dụ “Bài giảng 12/10 – lớp HN01”.")})
    if collection.closes_at and collection.closes_at <= collection.opens_at:
        raise ValidationError({"closes_at": _("Thời điểm đóng phải sau thời điểm mở.")})
    if collection.max_responses is not None and collection.max_responses < 1:
        raise ValidationError({"max_responses": _("Số phiếu tối đa phải từ 1 trở lên (để trống nếu không giới hạn).")})
    collection.full_clean(exclude=["form", "target_type", "created_by", "updated_by"], validate_constraints=False)


@transaction.atomic
def collection_open(
    *,
    actor,
    form: Form,
    title: str,
    target=None,
    target_label: str = "",
    context: dict | None = None,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    max_responses: int | None = None,
    mode: str = Collection.Mode.ANONYMOUS,
) -> Collection:
    """Open the form for answers through a new share link. `target` is any model instance
    (a teaching session, a class, a workshop); its label and context are copied."""
    _require(
        access.can_collect,
        actor,
        form.programme,
        _("Vai trò của bạn không được mở đợt khảo sát. Hãy nhờ điều phối viên."),
    )
    collection = Collection(
        form=form,
        title=title,
        target_label=normalise(target_label) or (str(target) if target is not None else ""),
        context=_clean_context(context),
        opens_at=opens_at or timezone.now(),
        closes_at=closes_at,
        max_responses=max_responses,
        mode=mode,
        created_by=actor,
        updated_by=actor,
    )
    if target is not None:
        from django.contrib.contenttypes.models import ContentType

        collection.target_type = ContentType.objects.get_for_model(target)
        collection.target_id = str(target.pk)
    _validate_collection(collection)
    collection.save()
    audit_record(
        actor=actor,
        action="surveys.collection_open",
        obj=collection,
        changes=snapshot(collection, list(COLLECTION_FIELDS)),
    )
    return collection


@transaction.atomic
def collection_update(*, actor, collection: Collection, **changes: Any) -> Collection:
    _require(access.can_collect, actor, collection.form.programme, _("Vai trò của bạn không được sửa đợt khảo sát."))
    unknown = set(changes) - set(COLLECTION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    collection = Collection.objects.select_for_update(of=("self",)).select_related("form").get(pk=collection.pk)
    before = snapshot(collection, list(COLLECTION_FIELDS))
    if "context" in changes:
        changes["context"] = _clean_context(changes["context"])
    if "mode" in changes and changes["mode"] != collection.mode and collection.responses.exists():
        raise ValidationError({"mode": _("Đợt khảo sát đã có phiếu trả lời: không đổi được chế độ ẩn danh.")})
    for name, value in changes.items():
        setattr(collection, name, value)
    _validate_collection(collection)
    collection.updated_by = actor
    collection.save()
    if changed := diff(before, collection):
        audit_record(actor=actor, action="surveys.collection_update", obj=collection, changes=changed)
    return collection


def collection_close(*, actor, collection: Collection) -> Collection:
    """Stop answers now. A collection not yet open is closed as if it had opened a moment ago."""
    now = timezone.now()
    if collection.closes_at is not None and collection.closes_at <= now:
        return collection
    changes = {"closes_at": now}
    if collection.opens_at >= now:
        changes["opens_at"] = now - timedelta(microseconds=1)
    return collection_update(actor=actor, collection=collection, **changes)


# Responses ---------------------------------------------------------------------------------


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


def _repeat(collection: Collection, response_uuid: uuid_module.UUID, answers: dict) -> Response | None:
    """The stored response with this UUID if its answers match; a conflict if they differ."""
    existing = Response.objects.filter(uuid=response_uuid).first()
    if existing is None:
        return None
    if existing.collection_id != collection.pk or existing.answers != answers:
        raise SubmissionRefused(
            _("Mã phiếu này đã được dùng cho một phiếu khác. Hãy tải lại trang để làm phiếu mới."), status=409
        )
    return existing


def response_submit(
    *, collection: Collection, uuid: Any, answers: Any, version: Any = None, user=None
) -> tuple[Response, bool]:
    """Store one response. Returns (response, created): created is False for a repeat of a
    response already stored. Raises ValidationError naming the question, or SubmissionRefused."""
    response_uuid = _parse_uuid(uuid)
    form_version = _version_for(collection, version)
    cleaned = check_answers(form_version.definition, answers, today=timezone.localdate())
    identified = collection.mode == Collection.Mode.IDENTIFIED
    if identified and not getattr(user, "is_authenticated", False):
        raise SubmissionRefused(_("Đợt khảo sát này cần đăng nhập trước khi trả lời."), status=403)
    now = timezone.now()
    if not collection.is_open(now):
        repeat = _repeat(collection, response_uuid, cleaned)
        if repeat is not None:
            return repeat, False
        if now < collection.opens_at:
            raise SubmissionRefused(_("Đợt khảo sát chưa mở."), status=403)
        raise SubmissionRefused(_("Đợt khảo sát đã đóng, không nhận thêm phiếu."), status=410)
    capped = collection.max_responses is not None
    # Without a cap the INSERT is the whole write, and one statement commits on its own: SQLite
    # then holds its write lock only while that statement runs, never while Python runs between
    # BEGIN and COMMIT (with concurrent writers that wait is what limits submissions per second).
    # Inside a caller's transaction a savepoint still keeps a refused INSERT from spoiling it.
    write = transaction.atomic() if capped or transaction.get_connection().in_atomic_block else nullcontext()
    try:
        with write:
            if capped:
                # Lock the collection so two last answers cannot both take the last place.
                Collection.objects.select_for_update().filter(pk=collection.pk).first()
                if collection.responses.count() >= collection.max_responses:
                    repeat = _repeat(collection, response_uuid, cleaned)
                    if repeat is not None:
                        return repeat, False
                    raise SubmissionRefused(_("Đợt khảo sát đã nhận đủ số phiếu."), status=410)
            response = Response.objects.create(
                uuid=response_uuid,
                collection=collection,
                version=form_version,
                answers=cleaned,
                submitted_at=now,
                respondent=user if identified else None,
            )
    except IntegrityError:
        repeat = _repeat(collection, response_uuid, cleaned)
        if repeat is None:  # pragma: no cover - a constraint other than the UUID
            raise
        return repeat, False
    return response, True
