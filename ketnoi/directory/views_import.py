"""Importing a list of people: upload, preview, confirm or cancel, and the template workbook."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ketnoi.core.web import apply_errors, perform

from . import importing, queries, services
from .forms import ImportForm
from .views import editor_required

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


@editor_required
def people_import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    person_import = queries.get_import_for_user(request.user, pk)
    return render(request, "directory/import_preview.html", {"person_import": person_import})


@editor_required
@require_POST
def people_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    person_import = queries.get_import_for_user(request.user, pk)
    perform(
        request,
        lambda: services.people_import_confirm(actor=request.user, person_import=person_import),
        lambda done: (
            _("Đã nhập %(created)s người. Bỏ qua %(duplicate)s dòng trùng và %(error)s dòng lỗi.")
            % {
                "created": done.summary.get("created", 0),
                "duplicate": done.summary.get("duplicate", 0),
                "error": done.summary.get("error", 0),
            }
        ),
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
