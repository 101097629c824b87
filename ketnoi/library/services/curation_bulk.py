"""Proposing many documents for a collection at once (issue 14), from the programme's document
list: one transaction, one audit entry per document proposed, by the rule of a single proposal
(`curation.propose_row`). A document already in the collection is skipped and reported; a
document the actor may not see, or of another programme, refuses the whole batch.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ketnoi.core.bulk import BULK_MAX, BulkResult, too_many_text
from ketnoi.core.web import refusal_text

from .. import access
from ..models import Collection, CollectionItem, Document
from .curation import _note, propose_row, require_propose


@transaction.atomic
def items_propose_many(
    *, actor, collection: Collection, documents: Iterable[Document | int], note: str = ""
) -> BulkResult:
    """Propose each of `documents` for `collection`; `changed` holds the items proposed,
    `refused` the documents skipped (already in the collection) with the reason."""
    programme = collection.programme
    require_propose(actor, programme)
    note = _note(note)
    ids = list(dict.fromkeys(d.pk if isinstance(d, Document) else d for d in documents))
    if not ids:
        raise ValidationError({"documents": _("Hãy đánh dấu ít nhất một tài liệu trong danh sách.")})
    if len(ids) > BULK_MAX:
        raise ValidationError({"documents": too_many_text(BULK_MAX)})
    found = list(access.visible_documents(actor).filter(programme=programme, pk__in=ids).order_by("title", "pk"))
    if len(found) != len(ids):
        raise ValidationError(
            {
                "documents": _(
                    "Có %(n)s tài liệu không tìm thấy trong thư viện của chương trình này hoặc bạn không được xem: "
                    "hãy tải lại trang rồi đánh dấu lại. Chưa tài liệu nào được đề xuất."
                )
                % {"n": len(ids) - len(found)}
            }
        )
    items = {
        item.document_id: item
        for item in CollectionItem.objects.select_for_update().filter(collection=collection, document_id__in=ids)
    }
    result = BulkResult()
    for document in found:
        try:
            result.changed.append(propose_row(actor, collection, document, note, items.get(document.pk)))
        except ValidationError as refusal:
            result.refuse(document.title, refusal_text(refusal))
    return result
