"""The forms of a programme: the list, a new form (blank, ready, or from an XLSForm), the
form's page (its questions, versions and collections), its title, and the XLSForm export."""

import copy
import io
import logging
import zipfile

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ketnoi.core.text import normalise
from ketnoi.core.web import apply_errors
from ketnoi.programmes.models import Programme

from . import access, services
from .forms import START_BLANK, START_CHOICES, START_XLSFORM, FormCreateForm, FormEditForm, blank_definition
from .models import Response
from .ready_forms import ready_form
from .views_design import (
    annotate_status,
    collections_with_counts,
    question_rows,
    survey_context,
    survey_view,
)

logger = logging.getLogger(__name__)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_NOTICES = 20  # what an import skipped, said one by one up to this many


def xlsform_module():
    """ketnoi.surveys.xlsform, or None while it is not there (it is written separately)."""
    try:
        from . import xlsform
    except ImportError:
        return None
    return xlsform


@survey_view()
@require_GET
def form_list(request: HttpRequest, programme: Programme) -> HttpResponse:
    responses = (
        Response.objects.filter(collection__form=OuterRef("pk"))
        .order_by()
        .values("collection__form")
        .annotate(n=Count("pk"))
        .values("n")
    )
    forms = (
        access.forms_for(request.user, programme)
        .annotate(
            collection_count=Count("collections", distinct=True),
            response_count=Coalesce(Subquery(responses, output_field=IntegerField()), 0),
        )
        .order_by("title", "id")
    )
    context = {**survey_context(request, programme), "forms": list(forms), "start_choices": START_CHOICES}
    return render(request, "surveys/design/form_list.html", context)


def _definition_to_start(start: str, title: str) -> tuple[dict, str]:
    if start == START_BLANK:
        return blank_definition(title), title
    definition = ready_form(start)
    if title:
        definition["title"] = {"vi": title}
    return definition, title


def _import_xlsform(request: HttpRequest, programme: Programme, uploads: list, title: str):
    """The form from the uploaded XLSForm (and its files); what was skipped is said."""
    try:
        created, notices = services.form_import(
            actor=request.user, programme=programme, uploads=[(f.name, f) for f in uploads], title=title
        )
    except ValidationError:
        raise
    except Exception:  # a damaged upload must give a message, never a server error
        logger.exception("XLSForm import failed")
        raise ValidationError(
            {"xlsform": _("Không đọc được tệp này. Hãy mở lại trong Excel, lưu thành .xlsx rồi thử lại.")}
        ) from None
    for notice in notices[:MAX_NOTICES]:
        messages.info(request, notice)
    if len(notices) > MAX_NOTICES:
        messages.info(request, _("… và %(n)s ghi chú khác.") % {"n": len(notices) - MAX_NOTICES})
    return created


@survey_view("design")
@require_http_methods(["GET", "POST"])
def form_create(request: HttpRequest, programme: Programme) -> HttpResponse:
    start = request.GET.get("start")
    initial = {"start": start} if start in dict(START_CHOICES) else {}
    form = FormCreateForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        start, title = form.cleaned_data["start"], form.cleaned_data["title"]
        try:
            if start == START_XLSFORM:
                created = _import_xlsform(request, programme, form.cleaned_data["xlsform"], title)
            else:
                definition, title = _definition_to_start(start, title)
                created = services.form_create(
                    actor=request.user, programme=programme, definition=definition, title=title
                )
        except ValidationError as error:
            if start == START_XLSFORM:
                error = ValidationError({"xlsform": error.messages})
            apply_errors(form, error)
        else:
            if start == START_BLANK:
                messages.success(
                    request,
                    _("Đã tạo biểu mẫu “%(title)s” với một câu hỏi mẫu. Hãy sửa câu hỏi này rồi thêm các câu khác.")
                    % {"title": created.title},
                )
                return redirect("surveys:question_edit", programme.code, created.pk, "q1")
            messages.success(request, _("Đã tạo biểu mẫu “%(title)s”.") % {"title": created.title})
            return redirect("surveys:form_detail", programme.code, created.pk)
    context = {**survey_context(request, programme), "form": form, "title": _("Biểu mẫu mới")}
    return render(request, "surveys/design/form_create.html", context)


@survey_view()
@require_GET
def form_detail(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    survey = access.get_form_for_user(request.user, programme, pk)
    version = survey.current_version
    versions = list(survey.versions.annotate(response_count=Count("responses")).order_by("-number"))
    collections = annotate_status(collections_with_counts(survey))
    context = {
        **survey_context(request, programme, audit_object=survey),
        "survey": survey,
        "version": version,
        "rows": question_rows(version.definition.get("questions") or []),
        "versions": versions,
        "collections": collections,
        "current_responses": next((v.response_count for v in versions if v.pk == version.pk), 0),
        "results_url": reverse("surveys:results", args=[programme.code, survey.pk]),
        "can_export": xlsform_module() is not None,
    }
    return render(request, "surveys/design/form_detail.html", context)


@survey_view("design")
@require_http_methods(["GET", "POST"])
def form_edit(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    """The title and description. The title respondents see lives in the definition too, so a
    new title changes the questions' version (a new one once the current has responses)."""
    survey = access.get_form_for_user(request.user, programme, pk)
    version = survey.current_version
    shown = version.definition.get("title")
    initial = {
        "title": survey.title,
        "title_en": shown.get("en", "") if isinstance(shown, dict) else "",
        "description": survey.description,
    }
    form = FormEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        definition = copy.deepcopy(version.definition)
        definition["title"] = {"vi": normalise(data["title"])}
        if normalise(data["title_en"]):
            definition["title"]["en"] = normalise(data["title_en"])
        try:
            updated = services.form_update(
                actor=request.user,
                form=survey,
                title=data["title"],
                description=data["description"],
                definition=definition if definition["title"]["vi"] else None,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Đã lưu tiêu đề và mô tả."))
            if updated.current_version.number != version.number:
                messages.warning(
                    request,
                    _(
                        "Phiên bản %(old)s đã có phiếu trả lời nên tiêu đề mới được lưu thành phiên bản %(new)s. "
                        "Phiếu cũ vẫn giữ phiên bản %(old)s."
                    )
                    % {"old": version.number, "new": updated.current_version.number},
                )
            return redirect("surveys:form_detail", programme.code, survey.pk)
    context = {
        **survey_context(request, programme),
        "survey": survey,
        "form": form,
        "answered": version.responses.exists(),
        "title": _("Sửa tiêu đề và mô tả"),
    }
    return render(request, "surveys/design/form_edit.html", context)


@survey_view()
@require_GET
def form_xlsform(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    survey = access.get_form_for_user(request.user, programme, pk)
    module = xlsform_module()
    if module is None:
        messages.error(request, _("Chức năng xuất XLSForm chưa sẵn sàng."))
        return redirect("surveys:form_detail", programme.code, survey.pk)
    version = survey.current_version
    content = module.xlsform_from_definition(version.definition, title=survey.title, form_id=survey.code)
    name = f"{survey.code}-v{version.number}"
    files = version_attachments(version)
    if not files:
        response = HttpResponse(content, content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    # With its media and lists the form travels as one .zip, which the import takes back whole.
    bundle = io.BytesIO()
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{name}.xlsx", content)
        for file_name, data in files:
            archive.writestr(f"media/{file_name}", data)
    response = HttpResponse(bundle.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}.zip"'
    return response


def version_attachments(version) -> list[tuple[str, bytes]]:
    """(name, content) of the files attached to a form version (forms-spec §4), by name."""
    files = []
    for attachment in version.attachments.order_by("name"):
        with attachment.file.open("rb") as stored:
            files.append((attachment.name, stored.read()))
    return files
