"""Indicator metrics of the library (registered at start-up, LibraryConfig.ready): documents
selected for partners' collections, and documents delivered to them. Each document counts once
however many collections it went into; params {"collection": id or name} counts one collection only."""

from datetime import date

from django.utils.translation import gettext_lazy as _

from ketnoi.core.metrics import in_period
from ketnoi.core.parsing import whole_number
from ketnoi.core.registry import register_metric

from .models import CollectionItem

CHOSEN = CollectionItem.IN_SET


def _narrowed(items, params: dict | None):
    """Indicators store their params as the text a coordinator typed: a collection's id, or its
    name (anything that is not a number, which as an id would make the dashboard fail)."""
    collection = str((params or {}).get("collection") or "").strip()
    if not collection:
        return items
    collection_id = whole_number(collection)
    if collection_id is not None:
        return items.filter(collection_id=collection_id)
    return items.filter(collection__name=collection)


def documents_selected(
    *, programme, start: date | None, end: date | None, disaggregate_by: str | None = None, params: dict | None = None
) -> int:
    """Documents a curator selected (delivered ones included), by the date of the decision."""
    if disaggregate_by is not None:
        raise ValueError(disaggregate_by)
    items = CollectionItem.objects.filter(collection__programme=programme, status__in=CHOSEN)
    items = items.filter(in_period("decided_at__date", start, end))
    return _narrowed(items, params).values("document_id").distinct().count()


def documents_delivered(
    *, programme, start: date | None, end: date | None, disaggregate_by: str | None = None, params: dict | None = None
) -> int:
    """Documents delivered to a partner, by the delivery date."""
    if disaggregate_by is not None:
        raise ValueError(disaggregate_by)
    items = CollectionItem.objects.filter(collection__programme=programme, status=CollectionItem.Status.DELIVERED)
    items = items.filter(in_period("delivered_on", start, end))
    return _narrowed(items, params).values("document_id").distinct().count()


register_metric(
    "library.documents_selected",
    label=_("Tài liệu được tuyển chọn"),
    unit=_("tài liệu"),
    compute=documents_selected,
    params=("collection",),
)
register_metric(
    "library.documents_delivered",
    label=_("Tài liệu đã bàn giao cho đối tác"),
    unit=_("tài liệu"),
    compute=documents_delivered,
    params=("collection",),
)
