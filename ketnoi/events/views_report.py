"""What follows a workshop, under /programmes/<code>/events/<pk>/: "Publish report" (a draft
news post) and "Open the feedback survey". Both actions are POSTs for coordinators; a refusal
comes back as a message on the page the button was on."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ketnoi.core.web import refusal_text
from ketnoi.programmes.models import Programme
from ketnoi.programmes.web import programme_url, programme_view

from . import access
from .services import report


def _back(request: HttpRequest, programme: Programme) -> HttpResponse:
    """To the page the button was on, when it is on this site; else the programme's page."""
    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(referer)
    return redirect(programme_url(programme))


def _act(request: HttpRequest, programme: Programme, pk: int, service, *, success: str, then) -> HttpResponse:
    """Run `service` on the workshop; on success say `success` and answer `then(result)`, on a
    refusal go back to the page the button was on with the refusal as a message."""
    workshop = access.get_workshop_for_user(request.user, programme, pk)
    try:
        result = service(actor=request.user, workshop=workshop)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, refusal_text(error))
        return _back(request, programme)
    messages.success(request, success)
    return then(result)


@programme_view("plan")
@require_POST
def report_publish(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    return _act(
        request,
        programme,
        pk,
        lambda **kwargs: report.report_draft(**kwargs, confirm_early=request.POST.get("confirm_early") == "1"),
        success=_("Đã soạn bản nháp tin bài từ hội thảo. Hãy đọc lại, sửa rồi đăng."),
        then=lambda post: redirect("news:post_edit", code=programme.code, pk=post.pk),
    )


@programme_view("plan")
@require_POST
def feedback_open(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    return _act(
        request,
        programme,
        pk,
        report.workshop_feedback_open,
        success=_("Phiếu phản hồi của hội thảo đã mở: gửi đường dẫn hoặc mã QR cho đại biểu."),
        then=lambda collection: redirect(
            "surveys:collection_detail", code=programme.code, pk=collection.form_id, cpk=collection.pk
        ),
    )
