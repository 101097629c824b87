"""Collections and their curation: a document is proposed for a collection (any working role),
selected or declined by a curator, then delivered to the partner by library staff (a date, who,
a note). The delivered items are the delivery register.

Keyword arguments, one transaction each (`@transaction.atomic`), the item row locked while its
status moves, an audit entry with the status before and after. A refusal is raised before
anything is written: PermissionDenied for who, ValidationError naming the field for what.

The item keeps no `proposed_by` column; who proposed it is read from the audit entry of the
proposal (only `item_withdraw` needs it).
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketnoi.core.audit import audit_record, diff, snapshot
from ketnoi.core.writes import as_given, locked, save_changed, save_created
from ketnoi.directory.models import Organisation
from ketnoi.programmes.models import Programme

from .. import access
from ..models import Collection, CollectionItem, Document
from .actions import LibraryAction

Status = CollectionItem.Status
COLLECTION_FIELDS = ("name", "partner", "description")
NOTE_MAX = 500


def _require_staff(actor, programme: Programme) -> None:
    if not access.is_library_staff(actor, programme):
        raise PermissionDenied(
            _("Chỉ cán bộ thư viện (thủ thư, điều phối viên) của chương trình mới làm được việc này.")
        )


def _require_select(actor, programme: Programme) -> None:
    if not access.can_select(actor, programme):
        raise PermissionDenied(_("Chỉ thủ thư của chương trình mới chọn hoặc loại tài liệu đề xuất."))


def require_propose(actor, programme: Programme) -> None:
    if not access.can_propose(actor, programme):
        raise PermissionDenied(
            _("Chỉ thành viên có vai trò (thủ thư, điều phối viên, giảng viên, chuyên gia) mới đề xuất được tài liệu.")
        )


def _note(value: str | None, field: str = "note") -> str:
    text = (value or "").strip()
    if len(text) > NOTE_MAX:
        raise ValidationError({field: _("Ghi chú dài quá %(max)d ký tự, hãy viết ngắn lại.") % {"max": NOTE_MAX}})
    return text


def _status_label(value: str) -> str:
    return str(Status(value).label)


def _gone() -> str:
    """The refusal when the item was withdrawn (deleted) since the page was shown."""
    return _("Tài liệu này không còn trong bộ sưu tập; hãy tải lại trang.")


def _require_status(item: CollectionItem, allowed: Status, doing: str) -> None:
    if item.status != allowed:
        raise ValidationError(
            {
                "status": _("Không thể %(doing)s “%(title)s”: tài liệu đang ở trạng thái “%(now)s”, cần “%(need)s”.")
                % {
                    "doing": doing,
                    "title": item.document.title,
                    "now": _status_label(item.status),
                    "need": _status_label(allowed),
                }
            }
        )


def _audit_move(
    actor, item: CollectionItem, action: LibraryAction, before: str, to: str | None = None, **extra
) -> None:
    changes = {
        "status": [before, item.status if to is None else to],
        "document": {"id": item.document_id, "repr": str(item.document)},
    }
    changes.update(extra)
    audit_record(actor=actor, action=action, obj=item, changes=changes)


# Collections -----------------------------------------------------------------------------------


def _touch(document_ids: list[int]) -> None:
    """A document entering or leaving a collection's set changed its OAI-PMH record: move its
    datestamp so that incremental harvesters fetch it again."""
    Document.objects.filter(pk__in=document_ids).update(updated_at=timezone.now())


def _clean_collection(values: dict) -> dict:
    name = (values.get("name") or "").strip()
    if not name:
        raise ValidationError({"name": _("Hãy đặt tên cho bộ sưu tập, ví dụ “Góc tri thức của Viện”.")})
    if len(name) > 255:
        raise ValidationError({"name": _("Tên bộ sưu tập dài quá 255 ký tự, hãy viết ngắn lại.")})
    partner = values.get("partner")
    if partner is not None and not isinstance(partner, Organisation):
        raise ValidationError({"partner": _("Hãy chọn đối tác trong danh bạ tổ chức.")})
    return {"name": name, "partner": partner, "description": (values.get("description") or "").strip()}


@transaction.atomic
def collection_create(
    *, actor, programme: Programme, name: str, partner: Organisation | None = None, description: str = ""
) -> Collection:
    _require_staff(actor, programme)
    values = _clean_collection({"name": name, "partner": partner, "description": description})
    collection = Collection(programme=programme, **values)
    return save_created(collection, actor=actor, action=LibraryAction.COLLECTION_CREATE, fields=COLLECTION_FIELDS)


@transaction.atomic
def collection_update(*, actor, collection: Collection, **fields) -> Collection:
    unknown = set(fields) - set(COLLECTION_FIELDS)
    if unknown:
        raise TypeError(f"collection_update: unknown fields {sorted(unknown)}")
    _require_staff(actor, collection.programme)
    collection = locked(collection)
    current = {name: getattr(collection, name) for name in COLLECTION_FIELDS}
    values = _clean_collection({**current, **fields})
    if values["partner"] != collection.partner and collection.items.filter(status=Status.DELIVERED).exists():
        raise ValidationError(
            {
                "partner": _(
                    "Bộ sưu tập đã bàn giao tài liệu cho %(partner)s; sổ bàn giao phải giữ đúng người nhận, "
                    "nên không đổi được đối tác. Hãy tạo bộ sưu tập mới cho đối tác khác."
                )
                % {"partner": collection.partner or _("(chưa ghi đối tác)")}
            }
        )
    return save_changed(
        collection,
        values,
        actor=actor,
        action=LibraryAction.COLLECTION_UPDATE,
        allowed=COLLECTION_FIELDS,
        validate=None,  # the values were checked and cleaned by _clean_collection
        clean_text=as_given,
    )


# Items ------------------------------------------------------------------------------------------


@transaction.atomic
def item_propose(*, actor, collection: Collection, document: Document, note: str = "") -> CollectionItem:
    """Propose a document of the collection's programme that the actor may see. A document
    declined earlier is proposed again (its earlier decision cleared); one already on its way
    is refused with its status."""
    programme = collection.programme
    require_propose(actor, programme)
    note = _note(note)
    if document.programme_id != programme.pk or not access.visible_documents(actor).filter(pk=document.pk).exists():
        raise ValidationError({"document": _("Hãy chọn một tài liệu trong thư viện của chương trình này.")})
    item = CollectionItem.objects.select_for_update().filter(collection=collection, document=document).first()
    return propose_row(actor, collection, document, note, item)


def propose_row(
    actor, collection: Collection, document: Document, note: str, item: CollectionItem | None
) -> CollectionItem:
    """Propose a checked document given its item in the collection (read locked) or None: the
    rule of one proposal, for `item_propose` and `items_propose_many`. Call inside the service's
    transaction; a document already on its way raises ValidationError with its status."""
    if item is None:
        try:
            # A savepoint: someone proposing the same document at the same moment breaks the
            # unique constraint, and the IntegrityError is turned into a message below.
            with transaction.atomic():
                item = CollectionItem.objects.create(
                    collection=collection,
                    document=document,
                    status=Status.PROPOSED,
                    proposal_note=note,
                    proposed_by=actor,
                )
        except IntegrityError:
            raise ValidationError(
                {"document": _("Tài liệu này vừa được người khác đề xuất; hãy tải lại trang.")}
            ) from None
        _audit_move(actor, item, LibraryAction.ITEM_PROPOSE, "", note=note)
        return item
    if item.status != Status.DECLINED:
        raise ValidationError(
            {
                "document": _("“%(title)s” đã có trong bộ sưu tập (trạng thái “%(status)s”).")
                % {"title": document.title, "status": _status_label(item.status)}
            }
        )
    item.status = Status.PROPOSED
    item.proposal_note = note
    item.proposed_by = actor
    item.decided_at = None
    item.decided_by = None
    item.decision_note = ""
    item.save()
    _audit_move(actor, item, LibraryAction.ITEM_PROPOSE, Status.DECLINED, note=note)
    return item


def _decide(*, actor, item: CollectionItem, to: Status, note: str, action: LibraryAction, doing: str) -> CollectionItem:
    """A curator's decision on a proposal. Call inside the service's transaction."""
    _require_select(actor, item.collection.programme)
    item = locked(item, related=("collection", "document"), gone=_gone())
    _require_status(item, Status.PROPOSED, doing)
    item.status = to
    item.decided_at = timezone.now()
    item.decided_by = actor
    item.decision_note = note
    item.save()
    _touch([item.document_id])
    _audit_move(actor, item, action, Status.PROPOSED, note=note)
    return item


@transaction.atomic
def item_select(*, actor, item: CollectionItem, note: str = "") -> CollectionItem:
    return _decide(
        actor=actor, item=item, to=Status.SELECTED, note=_note(note), action=LibraryAction.ITEM_SELECT, doing=_("chọn")
    )


@transaction.atomic
def item_decline(*, actor, item: CollectionItem, note: str) -> CollectionItem:
    note = _note(note)
    if not note:
        raise ValidationError({"note": _("Hãy ghi lý do không chọn để người đề xuất biết.")})
    return _decide(
        actor=actor, item=item, to=Status.DECLINED, note=note, action=LibraryAction.ITEM_DECLINE, doing=_("không chọn")
    )


@transaction.atomic
def item_deliver(*, actor, items: list[CollectionItem], delivered_on: date, note: str = "") -> list[CollectionItem]:
    """Record that the selected items were handed to the partner on `delivered_on`: all of them
    or, when one cannot be delivered, none."""
    if not items:
        raise ValidationError({"items": _("Hãy đánh dấu ít nhất một tài liệu đã chọn để bàn giao.")})
    if delivered_on is None:
        raise ValidationError({"delivered_on": _("Hãy nhập ngày bàn giao dạng dd/mm/yyyy.")})
    if delivered_on > timezone.localdate():
        raise ValidationError(
            {"delivered_on": _("Ngày bàn giao không thể ở tương lai; hãy ghi lại sau khi đã bàn giao.")}
        )
    note = _note(note)
    rows = list(
        CollectionItem.objects.select_for_update()
        .select_related("collection__programme", "document")
        .filter(pk__in=[item.pk for item in items])
        .order_by("pk")
    )
    if len(rows) != len({item.pk for item in items}):
        raise ValidationError({"items": _("Có tài liệu không còn trong bộ sưu tập; hãy tải lại trang.")})
    for programme in {item.collection.programme for item in rows}:
        _require_staff(actor, programme)
    waiting = [item.document.title for item in rows if item.status != Status.SELECTED]
    if waiting:
        raise ValidationError(
            {
                "items": _(
                    "Chỉ bàn giao được tài liệu đã được chọn. Chưa bàn giao được: %(titles)s. "
                    "Hãy bỏ đánh dấu các tài liệu này rồi thử lại."
                )
                % {"titles": "; ".join(waiting)}
            }
        )
    for item in rows:
        item.status = Status.DELIVERED
        item.delivered_on = delivered_on
        item.delivered_by = actor
        item.delivery_note = note
        item.save()
        _touch([item.document_id])
        _audit_move(actor, item, LibraryAction.ITEM_DELIVER, Status.SELECTED, delivered_on=delivered_on, note=note)
    return rows


@transaction.atomic
def item_undo_delivery(*, actor, item: CollectionItem) -> CollectionItem:
    """A delivery recorded by mistake goes back to selected; the audit keeps what it was."""
    _require_staff(actor, item.collection.programme)
    item = locked(item, related=("collection", "document"), gone=_gone())
    _require_status(item, Status.DELIVERED, _("huỷ bàn giao"))
    before = snapshot(item, ["delivered_on", "delivered_by", "delivery_note"])
    item.status = Status.SELECTED
    item.delivered_on = None
    item.delivered_by = None
    item.delivery_note = ""
    item.save()
    _touch([item.document_id])
    _audit_move(actor, item, LibraryAction.ITEM_UNDO_DELIVERY, Status.DELIVERED, **diff(before, item))
    return item


def proposers_of(items: list[CollectionItem]) -> dict[int, int | None]:
    """{item id: id of who made its latest proposal}."""
    return {item.pk: item.proposed_by_id for item in items}


def proposer_id(item: CollectionItem) -> int | None:
    return item.proposed_by_id


def can_withdraw(actor, item: CollectionItem, proposer: int | None) -> bool:
    if item.status != Status.PROPOSED:
        return False
    if access.is_library_staff(actor, item.collection.programme):
        return True
    return bool(getattr(actor, "is_authenticated", False) and proposer is not None and proposer == actor.pk)


@transaction.atomic
def item_withdraw(*, actor, item: CollectionItem) -> None:
    """The proposer, or library staff, take back a proposal that no curator has decided yet."""
    item = locked(item, related=("collection", "document"), gone=_gone())
    if not can_withdraw(actor, item, proposer_id(item)):
        _require_status(item, Status.PROPOSED, _("rút đề xuất"))
        raise PermissionDenied(_("Chỉ người đề xuất hoặc cán bộ thư viện mới rút được đề xuất này."))
    _audit_move(actor, item, LibraryAction.ITEM_WITHDRAW, Status.PROPOSED, to="")
    item.delete()
