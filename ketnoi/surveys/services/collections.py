"""Collections: a form opened for answers through a share link, about a target (a teaching
session, a workshop…) with its context; changed and closed. And the one flow the other apps use
to open a collection from a ready form."""

from datetime import datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketnoi.core.text import normalise
from ketnoi.core.writes import locked, save_changed, save_created
from ketnoi.programmes.models import Programme

from .. import access
from ..models import Collection, Form
from ..ready_forms import ready_form
from .actions import SurveysAction
from .common import _require
from .forms import form_create, ready_form_find

COLLECTION_FIELDS = ("title", "target_label", "context", "opens_at", "closes_at", "max_responses", "mode")
CONTEXT_KEYS = ("class", "campus", "semester", "lecturer", "city", "session")


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
    target: models.Model | None = None,
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
        collection.target_type = ContentType.objects.get_for_model(target)
        collection.target_id = str(target.pk)
    _validate_collection(collection)
    return save_created(collection, actor=actor, action=SurveysAction.COLLECTION_OPEN, fields=COLLECTION_FIELDS)


@transaction.atomic
def collection_open_from_ready_form(
    *,
    actor,
    programme: Programme,
    ready: str,
    title: str,
    target: models.Model | None = None,
    target_label: str = "",
    context: dict | None = None,
    refusal: str | dict[str, str] | None = None,
) -> Collection:
    """Open a collection of the programme's form made from the ready form `ready` ("lecture",
    "workshop"): the programme's form with that form's code or title, or else a new one made
    from it, then `collection_open` with the title, target, label and context.

    Making the programme's form is a coordinator's job (surveys.access.can_design). When no form
    exists yet and the actor may not design one, the caller's `refusal` (a message, or {field:
    message}) is raised as a ValidationError; without it, `form_create` refuses as always
    (PermissionDenied)."""
    definition = ready_form(ready)
    form = ready_form_find(programme, definition)
    if form is None:
        if refusal is not None and not access.can_design(actor, programme):
            raise ValidationError(refusal)
        form = form_create(actor=actor, programme=programme, definition=definition)
    return collection_open(
        actor=actor, form=form, title=title, target=target, target_label=target_label, context=context
    )


def collection_for_programme(*, programme: Programme, collection_id: int | None) -> Collection | None:
    """The collection with this id if it is one of the programme's forms' (a target such as a
    teaching session or a workshop remembers its collection by id); else None."""
    if not collection_id:
        return None
    return Collection.objects.filter(pk=collection_id, form__programme=programme).first()


@transaction.atomic
def collection_update(*, actor, collection: Collection, **changes: Any) -> Collection:
    _require(access.can_collect, actor, collection.form.programme, _("Vai trò của bạn không được sửa đợt khảo sát."))
    collection = locked(collection, related=("form",))
    if "context" in changes:
        changes["context"] = _clean_context(changes["context"])
    if "mode" in changes and changes["mode"] != collection.mode and collection.responses.exists():
        raise ValidationError({"mode": _("Đợt khảo sát đã có phiếu trả lời: không đổi được chế độ ẩn danh.")})
    collection.updated_by = actor
    return save_changed(
        collection,
        changes,
        actor=actor,
        action=SurveysAction.COLLECTION_UPDATE,
        allowed=COLLECTION_FIELDS,
        validate=_validate_collection,
    )


@transaction.atomic
def collection_close(*, actor, collection: Collection) -> Collection:
    """Stop answers now. A collection not yet open is closed as if it had opened a moment ago."""
    now = timezone.now()
    if collection.closes_at is not None and collection.closes_at <= now:
        return collection
    changes = {"closes_at": now}
    if collection.opens_at >= now:
        changes["opens_at"] = now - timedelta(microseconds=1)
    return collection_update(actor=actor, collection=collection, **changes)
