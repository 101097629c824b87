"""What a delegate sees without an account: their ticket (status, QR code for the door, cancel),
reached by the personal link in their e-mail. The link's code is the only key: 128 random bits."""

import segno
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ketnoi.core.web import perform

from . import services
from .models import Registration


def _registration(code: str) -> Registration:
    queryset = Registration.objects.select_related(
        "workshop", "workshop__province", "person", "person__organisation", "organisation"
    )
    return get_object_or_404(queryset, code=code)


def ticket_qr_svg(registration: Registration) -> str:
    code = segno.make(services.checkin_payload(registration), error="m")
    title = _("Mã điểm danh của %(name)s") % {"name": registration.delegate.full_name}
    return mark_safe(code.svg_inline(scale=1, border=2, omitsize=True, svgclass="qr", light="#fff", title=title))  # noqa: S308 - segno escapes the title


@require_http_methods(["GET", "POST"])
def ticket(request: HttpRequest, code: str) -> HttpResponse:
    registration = _registration(code)
    if request.method == "POST" and request.POST.get("action") == "cancel":
        perform(
            request,
            lambda: services.registration_cancel(actor=None, registration=registration),
            _("Đã huỷ đăng ký. Cảm ơn anh/chị đã báo để người khác có chỗ."),
        )
        return redirect("events_public:ticket", code=code)
    shows_qr = registration.status in (Registration.Status.CONFIRMED, Registration.Status.ATTENDED)
    context = {
        "registration": registration,
        "workshop": registration.workshop,
        "qr": ticket_qr_svg(registration) if shows_qr else "",
        "can_cancel": registration.status
        in (Registration.Status.PENDING, Registration.Status.CONFIRMED, Registration.Status.WAITING),
    }
    return render(request, "events/ticket.html", context)
