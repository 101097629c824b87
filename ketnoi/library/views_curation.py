"""Collections, curation and the delivery register under /programmes/<code>/library/collections/.

Thin: fetch through access.py, call services/curation.py, render. Anyone with a role on the
programme reads collections and the register, and sees only the items whose document they may
see; proposing needs a working role, choosing a curator, creating, editing and delivering
library staff. Whatever the user may not do is a 404, as for a programme out of sight.
"""

from collections.abc import Callable
from datetime import date
from functools import wraps
from io import BytesIO

import xlsxwriter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from ketnoi.core.parsing import whole_number
from ketnoi.core.text import fold
from ketnoi.core.web import REFUSALS, perform, submit
from ketnoi.programmes.models import Programme
from ketnoi.programmes.web import programme_context, render_form

from . import access
from .forms_curation import CollectionForm, DecisionForm, DeliverForm, ProposeForm, RegisterFilterForm
from .models import Collection, CollectionItem, Document
from .services import curation

Status = CollectionItem.Status
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REGISTER_PER_PAGE = 50
CANDIDATES_SHOWN = 30
GROUPS = (Status.PROPOSED, Status.SELECTED, Status.DELIVERED, Status.DECLINED)


def library_view(need: str = "view") -> Callable:
    """Log in, fetch the programme through access.get_library_programme (404 when out of sight
    or when the user lacks `need`), then call the view with the programme."""

    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, code: str, *args, **kwargs) -> HttpResponse:
            programme = access.get_library_programme(request.user, code, need=need)
            return view(request, programme, *args, **kwargs)

        return wrapper

    return decorator


def _collection(request: HttpRequest, programme: Programme, pk: int) -> Collection:
    return get_object_or_404(access.collections_for(request.user, programme), pk=pk)


def _visible_items(user, programme: Programme) -> QuerySet[CollectionItem]:
    return CollectionItem.objects.filter(
        collection__programme=programme, document__in=access.visible_documents(user).values("pk")
    )


def _item(request: HttpRequest, collection: Collection, item_pk: int) -> CollectionItem:
    items = _visible_items(request.user, collection.programme).filter(collection=collection)
    return get_object_or_404(items.select_related("collection__programme", "document"), pk=item_pk)


def _context(request: HttpRequest, programme: Programme, audit_object=None, **extra) -> dict:
    user = request.user
    return {
        **programme_context(request, programme, audit_object=audit_object),
        "section": "library",
        "can_manage": access.is_library_staff(user, programme),
        "can_propose": access.can_propose(user, programme),
        "can_select": access.can_select(user, programme),
        **extra,
    }


def collection_url(collection: Collection) -> str:
    return reverse("library:collection_detail", args=[collection.programme.code, collection.pk])


# Collections -------------------------------------------------------------------------------------


@library_view()
def collections(request: HttpRequest, programme: Programme) -> HttpResponse:
    visible = access.visible_documents(request.user).values("pk")
    counts = {
        f"n_{status}": Count("items", filter=Q(items__status=status, items__document__in=visible)) for status in GROUPS
    }
    rows = list(access.collections_for(request.user, programme).annotate(**counts).order_by("name", "pk"))
    return render(request, "library/curation/collections.html", _context(request, programme, collections=rows))


@library_view("manage")
def collection_create(request: HttpRequest, programme: Programme) -> HttpResponse:
    form = CollectionForm(request.POST or None)
    created = submit(
        request, form, lambda f: curation.collection_create(actor=request.user, programme=programme, **f.cleaned_data)
    )
    if created:
        messages.success(request, _("Đã tạo bộ sưu tập “%(name)s”.") % {"name": created.name})
        return redirect(collection_url(created))
    return render_form(
        request,
        programme,
        form,
        title=_("Tạo bộ sưu tập"),
        cancel_url=reverse("library:collections", args=[programme.code]),
        section="library",
    )


@library_view("manage")
def collection_edit(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    collection = _collection(request, programme, pk)
    initial = {"name": collection.name, "partner": collection.partner_id, "description": collection.description}
    form = CollectionForm(request.POST or None, initial=initial)
    saved = submit(
        request,
        form,
        lambda f: curation.collection_update(actor=request.user, collection=collection, **f.cleaned_data),
    )
    if saved:
        messages.success(request, _("Đã lưu bộ sưu tập."))
        return redirect(collection_url(saved))
    return render_form(
        request,
        programme,
        form,
        title=_("Sửa bộ sưu tập “%(name)s”") % {"name": collection.name},
        cancel_url=collection_url(collection),
        audit_object=collection,
        section="library",
    )


def _deliverable(collection: Collection, user) -> QuerySet[CollectionItem]:
    return (
        _visible_items(user, collection.programme)
        .filter(collection=collection, status=Status.SELECTED)
        .select_related("document")
        .order_by("document__title", "pk")
    )


def _detail(request: HttpRequest, programme: Programme, collection: Collection, *, deliver_form=None, status=200):
    user = request.user
    items = list(
        _visible_items(user, programme)
        .filter(collection=collection)
        .select_related("document", "decided_by", "delivered_by")
        .order_by("-delivered_on", "document__title", "pk")
    )
    collection.programme = programme
    for item in items:
        item.collection = collection
    proposed = [item for item in items if item.status == Status.PROPOSED]
    proposers = curation.proposers_of(proposed)
    for item in proposed:
        item.can_withdraw = curation.can_withdraw(user, item, proposers.get(item.pk))
    groups = [(status, Status(status).label, [item for item in items if item.status == status]) for status in GROUPS]
    can_deliver = access.can_deliver(user, programme)
    if deliver_form is None and can_deliver:
        deliver_form = DeliverForm(items=_deliverable(collection, user))
    sent = deliver_form.data.getlist("items") if deliver_form else []
    ticked = {pk for pk in map(whole_number, sent) if pk is not None}
    context = _context(
        request,
        programme,
        collection=collection,
        groups=groups,
        total=len(items),
        can_deliver=can_deliver,
        deliver_form=deliver_form,
        ticked=ticked,
        audit_object=collection,
    )
    return render(request, "library/curation/collection_detail.html", context, status=status)


@library_view()
def collection_detail(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    return _detail(request, programme, _collection(request, programme, pk))


# Curation ----------------------------------------------------------------------------------------


def _candidates(user, collection: Collection) -> QuerySet[Document]:
    """Documents of the programme the user sees that are not on their way into the collection
    (a declined one may be proposed again)."""
    taken = CollectionItem.objects.filter(collection=collection).exclude(status=Status.DECLINED).values("document_id")
    return access.visible_documents(user).filter(programme=collection.programme).exclude(pk__in=taken)


def _title_matches(candidates: QuerySet[Document], query: str) -> tuple[list[Document], bool]:
    """Candidates whose folded title holds every folded word of the query, newest first. The
    titles are folded here, not in the database: a curated library holds thousands of titles at
    most, and neither engine folds đ."""
    words = fold(query).split()
    found: list[int] = []
    more = False
    for pk, title in candidates.order_by("-created_at", "-pk").values_list("pk", "title").iterator():
        folded = fold(title)
        if all(word in folded for word in words):
            if len(found) == CANDIDATES_SHOWN:
                more = True
                break
            found.append(pk)
    documents = {d.pk: d for d in Document.objects.filter(pk__in=found)}
    return [documents[pk] for pk in found if pk in documents], more


@library_view("propose")
def item_propose(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    collection = _collection(request, programme, pk)
    candidates = _candidates(request.user, collection)
    form = ProposeForm(request.POST or None, candidates=candidates)
    proposed = submit(
        request,
        form,
        lambda f: curation.item_propose(
            actor=request.user, collection=collection, document=f.cleaned_data["document"], note=f.cleaned_data["note"]
        ),
    )
    if proposed:
        messages.success(request, _("Đã đề xuất “%(title)s”.") % {"title": proposed.document.title})
        return redirect(collection_url(collection) + "#proposed")
    if request.method == "POST":
        for error in form.errors.values():
            for message in error:
                messages.error(request, message)
    query = (request.GET.get("q") or "").strip()[:200]
    documents, more = _title_matches(candidates, query)
    return render(
        request,
        "library/curation/propose.html",
        _context(request, programme, collection=collection, query=query, documents=documents, more=more),
    )


def _act(request: HttpRequest, collection: Collection, action: Callable[[], object], done: str) -> HttpResponse:
    perform(request, action, done, refusals=REFUSALS)
    return redirect(collection_url(collection))


def _item_action(need: Callable) -> Callable:
    """A POST on one item: the collection and item the user sees, `need(user, programme)` or 404."""

    def decorator(view: Callable) -> Callable:
        @require_POST
        @library_view()
        @wraps(view)
        def wrapper(request: HttpRequest, programme: Programme, pk: int, item_pk: int) -> HttpResponse:
            if not need(request.user, programme):
                raise Http404
            collection = _collection(request, programme, pk)
            return view(request, collection, _item(request, collection, item_pk))

        return wrapper

    return decorator


@_item_action(access.can_select)
def item_select(request: HttpRequest, collection: Collection, item: CollectionItem) -> HttpResponse:
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _act(
        request,
        collection,
        lambda: curation.item_select(actor=request.user, item=item, note=note),
        _("Đã chọn “%(title)s”.") % {"title": item.document.title},
    )


@_item_action(access.can_select)
def item_decline(request: HttpRequest, collection: Collection, item: CollectionItem) -> HttpResponse:
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return redirect(collection_url(collection))
    return _act(
        request,
        collection,
        lambda: curation.item_decline(actor=request.user, item=item, note=form.cleaned_data["note"]),
        _("Đã ghi “%(title)s” là không chọn.") % {"title": item.document.title},
    )


@_item_action(access.can_propose)
def item_withdraw(request: HttpRequest, collection: Collection, item: CollectionItem) -> HttpResponse:
    return _act(
        request,
        collection,
        lambda: curation.item_withdraw(actor=request.user, item=item),
        _("Đã rút đề xuất “%(title)s”.") % {"title": item.document.title},
    )


@_item_action(access.can_deliver)
def item_undo_delivery(request: HttpRequest, collection: Collection, item: CollectionItem) -> HttpResponse:
    return _act(
        request,
        collection,
        lambda: curation.item_undo_delivery(actor=request.user, item=item),
        _("Đã huỷ ghi nhận bàn giao “%(title)s”; tài liệu trở lại danh sách đã chọn.") % {"title": item.document.title},
    )


@require_POST
@library_view("manage")
def item_deliver(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    collection = _collection(request, programme, pk)
    form = DeliverForm(request.POST, items=_deliverable(collection, request.user))
    delivered = submit(
        request,
        form,
        lambda f: curation.item_deliver(
            actor=request.user,
            items=list(f.cleaned_data["items"]),
            delivered_on=f.cleaned_data["delivered_on"],
            note=f.cleaned_data["note"],
        ),
    )
    if delivered:
        messages.success(
            request,
            _("Đã ghi bàn giao %(count)d tài liệu cho %(partner)s.")
            % {"count": len(delivered), "partner": collection.partner or collection.name},
        )
        return redirect(collection_url(collection) + "#delivered")
    return _detail(request, programme, collection, deliver_form=form, status=400)


# The delivery register ---------------------------------------------------------------------------


def _register(request: HttpRequest, programme: Programme) -> tuple[RegisterFilterForm, QuerySet[CollectionItem]]:
    collections_seen = access.collections_for(request.user, programme).order_by("name", "pk")
    form = RegisterFilterForm(request.GET or None, collections=collections_seen)
    items = _visible_items(request.user, programme).filter(status=Status.DELIVERED)
    if form.is_bound:
        form.is_valid()
        data = getattr(form, "cleaned_data", {})
        if data.get("partner"):
            items = items.filter(collection__partner=data["partner"])
        if data.get("collection"):
            items = items.filter(collection=data["collection"])
        if data.get("start"):
            items = items.filter(delivered_on__gte=data["start"])
        if data.get("end"):
            items = items.filter(delivered_on__lte=data["end"])
    return form, items


def _register_rows(items: QuerySet[CollectionItem]) -> QuerySet[CollectionItem]:
    return items.select_related("collection__partner", "document", "delivered_by").order_by("-delivered_on", "-pk")


@library_view()
def register(request: HttpRequest, programme: Programme) -> HttpResponse:
    form, items = _register(request, programme)
    totals = items.aggregate(
        items=Count("pk"),
        documents=Count("document", distinct=True),
        partners=Count("collection__partner", distinct=True),
    )
    page = Paginator(_register_rows(items), REGISTER_PER_PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "library/curation/register.html",
        _context(request, programme, form=form, page=page, query_string=params.urlencode(), totals=totals),
    )


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def register_workbook(items) -> bytes:
    """The register as a workbook. Every text is written as a string: a title or note that
    starts with "=" stays text and never runs as a formula in the reader's spreadsheet."""
    buffer = BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    )
    bold = workbook.add_format({"bold": True})
    day = workbook.add_format({"num_format": "dd/mm/yyyy"})
    sheet = workbook.add_worksheet(_("Sổ bàn giao"))
    headers = [
        _("Ngày bàn giao"),
        _("Đối tác"),
        _("Bộ sưu tập"),
        pgettext("library", "Tài liệu"),
        _("Năm"),
        _("Người bàn giao"),
    ]
    headers.append(_("Ghi chú"))
    for column, (header, width) in enumerate(zip(headers, (14, 36, 30, 60, 8, 24, 40), strict=True)):
        sheet.write_string(0, column, header, bold)
        sheet.set_column(column, column, width)
    sheet.freeze_panes(1, 0)
    row = 0
    for row, item in enumerate(items, start=1):
        delivered_on: date | None = item.delivered_on
        if delivered_on:
            sheet.write_datetime(row, 0, delivered_on, day)
        partner = item.collection.partner
        for column, text in (
            (1, str(partner) if partner else ""),
            (2, item.collection.name),
            (3, item.document.title),
            (5, _person(item.delivered_by)),
            (6, item.delivery_note),
        ):
            sheet.write_string(row, column, text)
        if item.document.year:
            sheet.write_number(row, 4, item.document.year)
    sheet.autofilter(0, 0, max(row, 1), len(headers) - 1)
    workbook.close()
    return buffer.getvalue()


@library_view()
def register_export(request: HttpRequest, programme: Programme) -> HttpResponse:
    _form, items = _register(request, programme)
    response = HttpResponse(register_workbook(_register_rows(items).iterator(chunk_size=500)), content_type=XLSX_TYPE)
    name = f"so-ban-giao-{programme.code}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
