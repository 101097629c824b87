"""Collections: opening a form for answers, its share page (link and QR code), changing or
closing it, and a projector page with a QR code to show in the room."""

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ketnoi.core.audit import audit_for
from ketnoi.core.web import perform, submit
from ketnoi.programmes.models import Programme

from . import access, services
from .forms import CONTEXT_FIELDS, CollectionForm
from .models import Collection, Form
from .views_design import (
    STATUS_BADGES,
    STATUS_LABELS,
    collection_status,
    survey_context,
    survey_view,
)

CONTEXT_LABELS = {
    "class": gettext_lazy("Lớp"),
    "campus": gettext_lazy("Cơ sở đào tạo"),
    "semester": gettext_lazy("Học kỳ"),
    "lecturer": gettext_lazy("Giảng viên"),
    "city": gettext_lazy("Thành phố"),
    "session": gettext_lazy("Buổi"),
}


def _get_collection(request: HttpRequest, programme: Programme, survey: Form, cpk: int) -> Collection:
    collections = access.collections_for(request.user, programme).filter(form=survey)
    return get_object_or_404(collections.annotate(response_count=Count("responses")), pk=cpk)


def share_context(request: HttpRequest, collection: Collection) -> dict:
    """The share link (the respondent pages' short link, /s/<token>/) and its QR code, the
    image the respondent pages draw (respond:qr) as SVG and PNG."""
    token = collection.token
    path = reverse("respond:form", kwargs={"token": token})
    status = collection_status(collection, collection.response_count)
    return {
        "collection": collection,
        "share_link": request.build_absolute_uri(path),
        "share_path": path,
        "qr_url": reverse("respond:qr", kwargs={"token": token, "fmt": "svg"}),
        "qr_png_url": reverse("respond:qr", kwargs={"token": token, "fmt": "png"}),
        "status": status,
        "status_label": STATUS_LABELS[status],
        "status_badge": STATUS_BADGES[status],
    }


def _context_rows(collection: Collection) -> list[tuple[str, str]]:
    return [(CONTEXT_LABELS.get(key, key), value) for key, value in (collection.context or {}).items() if value]


def _collection_form_page(
    request: HttpRequest, programme: Programme, survey: Form, form, collection: Collection | None = None
) -> HttpResponse:
    """The form that opens a collection of `survey`, or that changes `collection`."""
    if collection is None:
        texts = {
            "title": _("Mở đợt khảo sát"),
            "submit_label": _("Mở đợt khảo sát"),
            "intro": _("Mỗi đợt có đường dẫn và mã QR riêng, ví dụ một đợt cho mỗi buổi giảng hay mỗi hội thảo."),
        }
    else:
        texts = {
            "collection": collection,
            "title": _("Sửa đợt khảo sát"),
            "submit_label": _("Lưu"),
            "intro": _("Đường dẫn và mã QR giữ nguyên."),
        }
    context = {**survey_context(request, programme), "survey": survey, "form": form, **texts}
    return render(request, "surveys/design/collection_form.html", context)


@survey_view("collect")
@require_http_methods(["GET", "POST"])
def collection_open(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    survey = access.get_form_for_user(request.user, programme, pk)
    form = CollectionForm(request.POST or None, programme=programme, initial={"title": survey.title})
    collection = submit(
        request, form, lambda f: services.collection_open(actor=request.user, form=survey, **f.service_values())
    )
    if collection is not None:
        messages.success(request, _("Đã mở đợt khảo sát. Gửi đường dẫn hoặc chiếu mã QR để mọi người trả lời."))
        return redirect("surveys:collection_detail", programme.code, survey.pk, collection.pk)
    return _collection_form_page(request, programme, survey, form)


@survey_view()
@require_GET
def collection_detail(request: HttpRequest, programme: Programme, pk: int, cpk: int) -> HttpResponse:
    survey = access.get_form_for_user(request.user, programme, pk)
    collection = _get_collection(request, programme, survey, cpk)
    context = {
        **survey_context(request, programme),
        **share_context(request, collection),
        "survey": survey,
        "context_rows": _context_rows(collection),
        "results_url": reverse("surveys:results", args=[programme.code, survey.pk]),
    }
    if context["can_collect"]:
        context["audit_entries"] = list(audit_for(collection)[:50])
    return render(request, "surveys/design/collection_detail.html", context)


@survey_view("collect")
@require_http_methods(["GET", "POST"])
def collection_edit(request: HttpRequest, programme: Programme, pk: int, cpk: int) -> HttpResponse:
    survey = access.get_form_for_user(request.user, programme, pk)
    collection = _get_collection(request, programme, survey, cpk)
    form = CollectionForm(request.POST or None, programme=programme, collection=collection)

    def save(form: CollectionForm) -> Collection:
        values = form.service_values()
        # Context this page does not show (a city, a session set by another app) is kept.
        shown = set(CONTEXT_FIELDS.values())
        values["context"] = {
            **{k: v for k, v in (collection.context or {}).items() if k not in shown},
            **values["context"],
        }
        return services.collection_update(actor=request.user, collection=collection, **values)

    if submit(request, form, save) is not None:
        messages.success(request, _("Đã lưu đợt khảo sát."))
        return redirect("surveys:collection_detail", programme.code, survey.pk, collection.pk)
    return _collection_form_page(request, programme, survey, form, collection)


@survey_view("collect")
@require_POST
def collection_close(request: HttpRequest, programme: Programme, pk: int, cpk: int) -> HttpResponse:
    survey = access.get_form_for_user(request.user, programme, pk)
    collection = _get_collection(request, programme, survey, cpk)
    perform(
        request,
        lambda: services.collection_close(actor=request.user, collection=collection),
        _("Đã đóng đợt khảo sát: đường dẫn không nhận thêm phiếu."),
    )
    return redirect("surveys:collection_detail", programme.code, survey.pk, collection.pk)


@survey_view()
@require_GET
def collection_project(request: HttpRequest, programme: Programme, pk: int, cpk: int) -> HttpResponse:
    survey = access.get_form_for_user(request.user, programme, pk)
    collection = _get_collection(request, programme, survey, cpk)
    context = {"programme": programme, "survey": survey, **share_context(request, collection)}
    return render(request, "surveys/design/collection_project.html", context)
