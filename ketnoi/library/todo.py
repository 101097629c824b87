"""The to-do inbox's group of this app: files whose text could not be extracted, in the
programmes where the user is library staff (coordinator or curator: who may retry or replace
them on the document's page). No due date: they come after what has one."""

from django.urls import reverse
from django.utils.translation import gettext as _

from ketnoi.core.registry import TodoGroup, TodoItem, register_todo
from ketnoi.programmes.access import programme_ids_acting

from .access import LIBRARY_STAFF
from .models import DocumentFile

FAILURE_SHOWN = 120  # characters of the reason


def todo(user, *, samples: int) -> list[TodoGroup]:
    failed = DocumentFile.objects.filter(
        status=DocumentFile.Status.FAILED,
        document__programme_id__in=programme_ids_acting(user, LIBRARY_STAFF),
    )
    count = failed.count()
    if not count:
        return []
    items = ()
    if samples:
        first = failed.select_related("document__programme").order_by("-updated_at", "-pk")[:samples]
        items = tuple(
            TodoItem(
                label=f"{f.document.title} · {f.original_name}",
                url=reverse("library:document_manage", args=[f.document.programme.code, f.document_id]),
                detail=f.failure[:FAILURE_SHOWN],
            )
            for f in first
        )
    return [
        TodoGroup(
            "library.failed",
            _("Tệp chưa trích được văn bản"),
            count,
            items=items,
            url=items[0].url if count == 1 and items else "",
        )
    ]


register_todo("library.failed", todo)
