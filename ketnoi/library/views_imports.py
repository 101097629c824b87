"""Importing a catalogue of documents into a programme's library (library staff only): upload,
progress while a task reads or writes it, a paged preview (all rows or only those with
problems), the refused rows as a workbook, confirm or cancel. The same page kit as the
directory's import (`core.imports`, `core/_import_progress.html`)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from ketnoi.core.imports import XLSX_TYPE, counts_by_status, refused_rows_xlsx
from ketnoi.core.web import apply_errors, paginate, perform
from ketnoi.programmes.models import Programme

from . import access, importing, services
from .models import DocumentImport, DocumentImportRow
from .views_documents import _context

STOP_POLLING = 286  # htmx stops polling on this status


class CatalogueForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp danh mục (CSV hoặc XLSX)"),
        help_text=gettext_lazy("Tối đa 5 MB và 10.000 dòng; mỗi tài liệu một dòng, dòng đầu là tiêu đề cột."),
    )


def _programme(request: HttpRequest, code: str) -> Programme:
    return access.get_library_programme(request.user, code, need="manage")


def _import(programme: Programme, pk: int) -> DocumentImport:
    """An import of this programme's library (its staff see every one of them)."""
    return get_object_or_404(DocumentImport.objects.filter(programme=programme), pk=pk)


def _url(name: str, document_import: DocumentImport) -> str:
    return reverse(f"library:{name}", args=[document_import.programme.code, document_import.pk])


@login_required
@require_http_methods(["GET", "POST"])
def catalogue_import(request: HttpRequest, code: str) -> HttpResponse:
    programme = _programme(request, code)
    form = CatalogueForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document_import = services.document_import_start(
                actor=request.user, programme=programme, uploaded_file=form.cleaned_data["file"]
            )
        except ValidationError as error:
            apply_errors(form, ValidationError({"file": error.messages}))
        else:
            return redirect(_url("catalogue_import_preview", document_import))
    recent = DocumentImport.objects.filter(programme=programme).select_related("created_by")[:10]
    context = _context(request, programme, form=form, recent=recent, headers=importing.TEMPLATE_HEADERS)
    return render(request, "library/manage/import_upload.html", context)


@login_required
def catalogue_import_preview(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    programme = _programme(request, code)
    document_import = _import(programme, pk)
    problems = request.GET.get("problems") == "1"
    rows = document_import.import_rows.order_by("line")
    if problems:
        rows = rows.filter(status__in=DocumentImportRow.PROBLEMS)
    page, query = paginate(request, rows)
    context = _context(
        request,
        programme,
        document_import=document_import,
        job=document_import,
        progress=document_import.progress,
        progress_url=_url("catalogue_import_progress", document_import),
        page=page,
        query=query,
        problems=problems,
        counts=counts_by_status(document_import.import_rows.all()),
    )
    return render(request, "library/manage/import_preview.html", context)


@login_required
def catalogue_import_progress(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    document_import = _import(_programme(request, code), pk)
    context = {
        "job": document_import,
        "progress": document_import.progress,
        "progress_url": _url("catalogue_import_progress", document_import),
    }
    response = render(request, "core/_import_progress.html", context)
    if not document_import.running:
        response.status_code = STOP_POLLING
        response["HX-Refresh"] = "true"
    return response


@login_required
def catalogue_import_refused(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    document_import = _import(_programme(request, code), pk)
    refused = document_import.import_rows.filter(status=DocumentImportRow.Status.ERROR).order_by("line")
    rows = ((row.cells, "; ".join(row.errors)) for row in refused.only("cells", "errors").iterator())
    content = refused_rows_xlsx(
        document_import.header or importing.TEMPLATE_HEADERS, rows, reason_label=_("Lý do"), sheet=_("Dòng bị từ chối")
    )
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="tai-lieu-bi-tu-choi-{document_import.pk}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def catalogue_import_confirm(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    document_import = _import(_programme(request, code), pk)
    perform(
        request,
        lambda: services.document_import_confirm(actor=request.user, document_import=document_import),
        _("Đang thêm các tài liệu mới vào thư viện; trang này cho biết khi xong."),
    )
    return redirect(_url("catalogue_import_preview", document_import))


@login_required
@require_POST
def catalogue_import_cancel(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    programme = _programme(request, code)
    document_import = _import(programme, pk)
    perform(
        request,
        lambda: services.document_import_cancel(actor=request.user, document_import=document_import),
        _("Đã huỷ lượt nhập; không có tài liệu nào được thêm."),
    )
    return redirect(reverse("library:catalogue_import", args=[programme.code]))
