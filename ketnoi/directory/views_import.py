"""Importing a list of people: upload, progress while a task reads or writes it, a paged
preview (all rows or only those with problems), the refused rows as a workbook, confirm or
cancel, and the template workbook."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ketnoi.core.imports import XLSX_TYPE, refused_rows_xlsx
from ketnoi.core.web import apply_errors, paginate, perform

from . import importing, queries, services
from .forms import ImportForm
from .views import editor_required

# htmx stops polling on this status (the page reloads itself through HX-Refresh).
STOP_POLLING = 286


@editor_required
@require_http_methods(["GET", "POST"])
def people_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            person_import = services.people_import_preview(actor=request.user, uploaded_file=form.cleaned_data["file"])
        except ValidationError as error:
            apply_errors(form, ValidationError({"file": error.messages}))
        else:
            return redirect("directory:people_import_preview", pk=person_import.pk)
    recent = queries.imports_for(request.user)[:10]
    return render(request, "directory/import_upload.html", {"form": form, "recent": recent}, status=200)


def progress_context(person_import) -> dict:
    return {"job": person_import, "progress": person_import.progress}


@editor_required
def people_import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    person_import = queries.get_import_for_user(request.user, pk)
    problems = request.GET.get("problems") == "1"
    page, query = paginate(request, queries.import_rows(person_import, problems=problems))
    context = {
        "person_import": person_import,
        "page": page,
        "query": query,
        "problems": problems,
        "counts": queries.import_row_counts(person_import),
        "progress_url": reverse("directory:people_import_progress", args=[person_import.pk]),
        **progress_context(person_import),
    }
    return render(request, "directory/import_preview.html", context)


@editor_required
def people_import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment htmx polls; once the task is done, 286 stops the polling and
    HX-Refresh reloads the page to show the preview or the reason it failed."""
    person_import = queries.get_import_for_user(request.user, pk)
    context = {
        "progress_url": reverse("directory:people_import_progress", args=[person_import.pk]),
        **progress_context(person_import),
    }
    response = render(request, "core/_import_progress.html", context)
    if not person_import.running:
        response.status_code = STOP_POLLING
        response["HX-Refresh"] = "true"
    return response


@editor_required
def people_import_refused(request: HttpRequest, pk: int) -> HttpResponse:
    """The refused rows as the upload's columns plus the reason, to fix and upload again."""
    person_import = queries.get_import_for_user(request.user, pk)
    rows = (
        (row.cells, "; ".join(row.errors))
        for row in queries.import_rows(person_import, refused=True).only("cells", "errors").iterator()
    )
    content = refused_rows_xlsx(
        person_import.header or importing.TEMPLATE_HEADERS, rows, reason_label=_("Lý do"), sheet=_("Dòng bị từ chối")
    )
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="dong-bi-tu-choi-{person_import.pk}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


@editor_required
@require_POST
def people_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    person_import = queries.get_import_for_user(request.user, pk)
    perform(
        request,
        lambda: services.people_import_confirm(actor=request.user, person_import=person_import),
        _("Đang thêm những người mới vào danh bạ; trang này cho biết khi xong."),
    )
    return redirect("directory:people_import_preview", pk=person_import.pk)


@editor_required
@require_POST
def people_import_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    person_import = queries.get_import_for_user(request.user, pk)
    cancelled = perform(
        request,
        lambda: services.people_import_cancel(actor=request.user, person_import=person_import),
        _("Đã huỷ lượt nhập; không có ai được thêm vào danh bạ."),
    )
    if not cancelled:
        return redirect("directory:people_import_preview", pk=person_import.pk)
    return redirect("directory:people_import")


@editor_required
def people_import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(importing.template_workbook(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-nguoi.xlsx"'
    return response
