"""Proposing many documents for a collection at once, from the programme's document list (with
its filters and search): the ticked documents and the collection chosen are posted to
POST /programmes/<code>/library/propose/, which first shows them for confirmation (works without
JavaScript), then, with `step=confirm`, proposes them through one service call
(`services.items_propose_many`) and reports how many were proposed and which were skipped.
Whoever may not propose in the programme gets a 404, as on the library's other pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ketnoi.core.bulk import bulk_messages, read_ids
from ketnoi.core.parsing import whole_number
from ketnoi.core.web import REFUSALS, refusal_text
from ketnoi.programmes.web import programme_context

from . import access, services
from .models import CollectionItem

FIELD = "document"
FILTERS = ("q", "type", "access", "files", "page")


def _back(request: HttpRequest, code: str) -> str:
    """The document list as it was filtered when the documents were ticked."""
    sent = QueryDict((request.POST.get("filters") or "")[:1000])
    kept = [(key, sent[key][:200]) for key in FILTERS if sent.get(key)]
    url = reverse("library:documents", args=[code])
    return f"{url}?{urlencode(kept)}" if kept else url


@login_required
@require_POST
def documents_propose(request: HttpRequest, code: str) -> HttpResponse:
    programme = access.get_library_programme(request.user, code, need="propose")
    back = _back(request, code)
    collection_id = whole_number(request.POST.get("collection", ""), low=1)
    collection = (
        access.collections_for(request.user, programme).filter(pk=collection_id).first() if collection_id else None
    )
    if collection is None:
        messages.error(request, _("Hãy chọn bộ sưu tập để đề xuất các tài liệu đã đánh dấu vào."))
        return redirect(back)
    try:
        ids = read_ids(request.POST.getlist(FIELD), field_name=FIELD)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
        return redirect(back)
    if request.POST.get("step") == "confirm":
        try:
            result = services.items_propose_many(actor=request.user, collection=collection, documents=ids)
        except REFUSALS as error:
            messages.error(request, refusal_text(error))
            return redirect(back)
        bulk_messages(
            request,
            result,
            done=_("Đã đề xuất %(n)s tài liệu vào bộ sưu tập “%(name)s”."),
            refused=_("%(n)s tài liệu được bỏ qua:"),
            name=collection.name,
        )
        return redirect(back)
    documents = list(
        access.visible_documents(request.user).filter(programme=programme, pk__in=ids).order_by("title", "pk")
    )
    if len(documents) != len(ids):
        messages.error(
            request,
            _(
                "Có %(n)s tài liệu không tìm thấy trong thư viện của chương trình này hoặc bạn không được xem: "
                "hãy tải lại trang rồi đánh dấu lại. Chưa tài liệu nào được đề xuất."
            )
            % {"n": len(ids) - len(documents)},
        )
        return redirect(back)
    present = dict(
        CollectionItem.objects.filter(collection=collection, document_id__in=ids)
        .exclude(status=CollectionItem.Status.DECLINED)
        .values_list("document_id", "status")
    )
    for document in documents:
        status = present.get(document.pk)
        document.present_as = CollectionItem.Status(status).label if status else ""
    return render(
        request,
        "library/manage/propose_confirm.html",
        {
            **programme_context(request, programme),
            "section": "library",
            "collection": collection,
            "documents": documents,
            "proposable": sum(1 for d in documents if not d.present_as),
            "ids": [d.pk for d in documents],
            "field": FIELD,
            "hidden": [("collection", collection.pk), ("filters", request.POST.get("filters", "")[:1000])],
            "back": back,
        },
    )
