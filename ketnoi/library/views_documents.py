"""The programme's library pages for its members and library staff: the list of documents (the
library home of the programme), a document's staff page with its files, copies and audit log,
and the forms that describe, upload and shelve.

Anyone with a role on the programme sees the list (only the documents access.py lets them see)
and the public page of each; library staff (coordinators, curators, staff admins) manage. A user
with no role gets a 404 everywhere, and so does a member on a staff page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST

from ketnoi.core.models import AuditEntry
from ketnoi.core.web import perform, submit
from ketnoi.programmes.models import Programme
from ketnoi.programmes.web import programme_context

from . import access, search_index, services, tokens
from .forms_documents import CopyForm, DocumentFilterForm, DocumentForm, FileForm
from .models import Document, DocumentFile, PhysicalCopy

PER_PAGE = 25
MAX_QUERY_SYLLABLES = 8


def _context(request: HttpRequest, programme: Programme, **extra) -> dict:
    return {
        **programme_context(request, programme),
        "section": "library",
        "is_staff": access.is_library_staff(request.user, programme),
        **extra,
    }


def _manage_url(document: Document) -> str:
    return reverse("library:document_manage", args=[document.programme.code, document.pk])


def _managed(request: HttpRequest, code: str, pk: int) -> tuple[Programme, Document]:
    programme = access.get_library_programme(request.user, code, need="manage")
    return programme, access.get_managed_document(request.user, programme, pk)


def _title_matches(query: str, visible) -> list[int] | None:
    """Documents of `visible` whose description (title, creators, subjects) holds every folded
    syllable of the query; None when the query has none."""
    _exact, folded, _pairs = tokens.fields(query)
    folded = list(dict.fromkeys(folded))[:MAX_QUERY_SYLLABLES]
    if not folded:
        return None
    found: set[int] | None = None
    for syllable in folded:
        # Only metadata passages have a head column: file text never matches here.
        hits = search_index.search([search_index.Term(syllable, ("hf",))], search_index.Scope.of(visible, visible))
        ids = {hit.document_id for hit in hits}
        found = ids if found is None else found & ids
        if not found:
            return []
    return sorted(found or ())


# The list ---------------------------------------------------------------------------------------


@login_required
def documents(request: HttpRequest, code: str) -> HttpResponse:
    programme = access.get_library_programme(request.user, code)
    visible = access.visible_documents(request.user).filter(programme=programme)
    rows = visible
    filters = DocumentFilterForm(request.GET or None)
    if filters.is_valid():
        data = filters.cleaned_data
        if data["type"]:
            rows = rows.filter(type=data["type"])
        if data["access"]:
            rows = rows.filter(access=data["access"])
        if data["files"] == "none":
            rows = rows.filter(~Exists(DocumentFile.objects.filter(document=OuterRef("pk"))))
        elif data["files"]:
            rows = rows.filter(Exists(DocumentFile.objects.filter(document=OuterRef("pk"), status=data["files"])))
        matches = _title_matches(data["q"], visible)
        if matches is not None:
            rows = rows.filter(pk__in=matches)
    page = Paginator(rows.order_by("-updated_at", "-id"), PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = _with_file_counts(page.object_list)
    params = request.GET.copy()
    params.pop("page", None)
    totals = DocumentFile.objects.filter(document__in=visible).aggregate(
        ready=Count("id", filter=Q(status=DocumentFile.Status.READY)),
        pending=Count("id", filter=Q(status=DocumentFile.Status.PENDING)),
        failed=Count("id", filter=Q(status=DocumentFile.Status.FAILED)),
    )
    return render(
        request,
        "library/manage/document_list.html",
        _context(
            request,
            programme,
            page=page,
            query_string=params.urlencode(),
            filters=filters,
            totals=totals,
            filtered=bool(
                request.GET.get("q") or request.GET.get("type") or request.GET.get("access") or request.GET.get("files")
            ),
            **_bulk_context(request, programme),
        ),
    )


def _bulk_context(request: HttpRequest, programme: Programme) -> dict:
    """The tick boxes and the bar that propose many documents for a collection (views_bulk)."""
    can_propose = access.can_propose(request.user, programme)
    collections = list(access.collections_for(request.user, programme).order_by("name", "pk")) if can_propose else []
    return {"can_propose": can_propose, "bulk_collections": collections}


# A document's description --------------------------------------------------------------------


def _document_form_page(request: HttpRequest, programme: Programme, form, **context) -> HttpResponse:
    """The description form, for a new document and for changing one."""
    return render(request, "library/manage/document_form.html", _context(request, programme, form=form, **context))


@login_required
@require_http_methods(["GET", "POST"])
def document_create(request: HttpRequest, code: str) -> HttpResponse:
    programme = access.get_library_programme(request.user, code, need="manage")
    form = DocumentForm(request.POST or None)
    document = submit(
        request,
        form,
        lambda f: services.document_create(actor=request.user, programme=programme, **f.service_fields()),
    )
    if document:
        messages.success(
            request,
            _("Đã thêm tài liệu “%(title)s”. Hãy tải tệp lên để tìm được toàn văn.") % {"title": document.title},
        )
        return redirect(_manage_url(document))
    return _document_form_page(
        request,
        programme,
        form,
        title=pgettext("library", "Thêm tài liệu"),
        cancel_url=reverse("library:documents", args=[code]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    programme, document = _managed(request, code, pk)
    form = DocumentForm(request.POST or None, initial=DocumentForm.initial_from(document))
    saved = submit(
        request, form, lambda f: services.document_update(actor=request.user, document=document, **f.service_fields())
    )
    if saved:
        messages.success(request, _("Đã lưu thông tin mô tả."))
        return redirect(_manage_url(document))
    return _document_form_page(
        request, programme, form, document=document, title=_("Sửa thông tin mô tả"), cancel_url=_manage_url(document)
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_delete(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    programme, document = _managed(request, code, pk)
    error = ""
    if request.method == "POST":
        try:
            services.document_delete(actor=request.user, document=document)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(request, _("Đã xoá tài liệu “%(title)s”.") % {"title": document.title})
            return redirect("library:documents", code)
    return render(
        request,
        "library/manage/document_delete.html",
        _context(request, programme, document=document, error=error),
        status=400 if error else 200,
    )


@login_required
def document_manage(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    programme, document = _managed(request, code, pk)
    return render(request, "library/manage/document_manage.html", _document_page(request, programme, document))


def _audit_entries(document: Document, files: list[DocumentFile]) -> list[AuditEntry]:
    """The document's entries and its files' (the extraction task writes on the file)."""
    own = Q(content_type=ContentType.objects.get_for_model(Document), object_id=str(document.pk))
    of_files = Q(content_type=ContentType.objects.get_for_model(DocumentFile), object_id__in=[str(f.pk) for f in files])
    return list(AuditEntry.objects.filter(own | of_files).select_related("actor").order_by("-created_at", "-id")[:50])


def _document_page(request: HttpRequest, programme: Programme, document: Document, **extra) -> dict:
    files = list(document.files.all())
    for file in files:
        _with_status_flags(file)
    return _context(
        request,
        programme,
        document=document,
        files=files,
        creators=list(document.creators.select_related("person", "organisation")),
        subjects=list(document.subjects.all()),
        copies=list(document.copies.all()),
        file_form=extra.pop("file_form", None) or FileForm(),
        copy_form=extra.pop("copy_form", None) or CopyForm(),
        audit_entries=_audit_entries(document, files),
        public_url=reverse("library_public:document", args=[document.pk]),
        **extra,
    )


# Files and copies -------------------------------------------------------------------------------


@login_required
@require_POST
def file_add(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    programme, document = _managed(request, code, pk)
    form = FileForm(request.POST, request.FILES)
    file = submit(
        request,
        form,
        lambda f: services.file_add(actor=request.user, document=document, uploaded=f.cleaned_data["file"]),
    )
    if file:
        messages.success(
            request, _("Đã tải lên “%(name)s”; văn bản đang được trích để tìm kiếm.") % {"name": file.original_name}
        )
        return redirect(_manage_url(document))
    return render(
        request,
        "library/manage/document_manage.html",
        _document_page(request, programme, document, file_form=form),
        status=400,
    )


def _file(request: HttpRequest, code: str, pk: int) -> DocumentFile:
    programme = access.get_library_programme(request.user, code, need="manage")
    return get_object_or_404(
        DocumentFile.objects.filter(document__programme=programme).select_related("document__programme"), pk=pk
    )


def _with_status_flags(file: DocumentFile) -> DocumentFile:
    """`retryable` (the retry button) and `polling` (the page asks again): a file still waiting
    for its text, unless it has waited so long that its task was lost (then it may be retried)."""
    file.retryable = services.is_retryable(file)
    file.polling = file.status == DocumentFile.Status.PENDING and not file.retryable
    return file


@login_required
def file_status(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """The extraction status of one file, for the document page's polling (htmx): 204 (nothing
    to swap, nothing announced) while it is still waiting, then the final status with 286, which
    htmx swaps in and stops polling on. Without htmx, the fragment. Library staff of the
    programme only, like the page (404 otherwise)."""
    file = _with_status_flags(_file(request, code, pk))
    polled = request.headers.get("HX-Request") == "true"
    if polled and file.polling:
        return HttpResponse(status=204)
    response = render(request, "library/manage/_file_status.html", {"f": file, "programme": file.document.programme})
    if polled:
        response.status_code = 286  # htmx: swap this final status, then stop polling
    return response


@login_required
@require_POST
def file_remove(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    file = _file(request, code, pk)
    services.file_remove(actor=request.user, file=file)
    messages.success(request, _("Đã gỡ tệp “%(name)s”.") % {"name": file.original_name})
    return redirect(_manage_url(file.document))


@login_required
@require_POST
def file_retry(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    file = _file(request, code, pk)
    perform(
        request,
        lambda: services.file_retry(actor=request.user, file=file),
        _("Đang trích lại văn bản của “%(name)s”.") % {"name": file.original_name},
    )
    return redirect(_manage_url(file.document))


@login_required
@require_POST
def copy_add(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    programme, document = _managed(request, code, pk)
    form = CopyForm(request.POST)
    copy = submit(request, form, lambda f: services.copy_add(actor=request.user, document=document, **f.cleaned_data))
    if copy:
        messages.success(request, _("Đã ghi bản giấy ở “%(location)s”.") % {"location": copy.location})
        return redirect(_manage_url(document))
    return render(
        request,
        "library/manage/document_manage.html",
        _document_page(request, programme, document, copy_form=form),
        status=400,
    )


@login_required
@require_POST
def copy_remove(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    programme = access.get_library_programme(request.user, code, need="manage")
    copy = get_object_or_404(
        PhysicalCopy.objects.filter(document__programme=programme).select_related("document__programme"), pk=pk
    )
    services.copy_remove(actor=request.user, copy=copy)
    messages.success(request, _("Đã bỏ bản giấy ở “%(location)s”.") % {"location": copy.location})
    return redirect(_manage_url(copy.document))


def _with_file_counts(documents) -> list[Document]:
    """The page's documents, each with `files_ready`, `files_pending` and `files_failed` —
    counted for these documents only (counting them with every document of a large library
    before taking the page grew with the library). One query."""
    documents = list(documents)
    counted = (
        Document.objects.filter(pk__in=[d.pk for d in documents])
        .annotate(
            files_ready=Count("files", filter=Q(files__status=DocumentFile.Status.READY)),
            files_pending=Count("files", filter=Q(files__status=DocumentFile.Status.PENDING)),
            files_failed=Count("files", filter=Q(files__status=DocumentFile.Status.FAILED)),
        )
        .values_list("pk", "files_ready", "files_pending", "files_failed")
    )
    counts = {pk: rest for pk, *rest in counted}
    for document in documents:
        document.files_ready, document.files_pending, document.files_failed = counts.get(document.pk, (0, 0, 0))
    return documents
