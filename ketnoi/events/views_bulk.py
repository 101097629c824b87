"""Bulk actions on a workshop's registrations, from the rows ticked in its registrations list
(the tick boxes the organisation matching uses too): approve, cancel, move off the waiting list —
POST /programmes/<code>/events/<pk>/registrations/bulk/. The first POST shows a confirmation page
("Duyệt 12 đăng ký?") saying what will change and what cannot; the second (confirm=1) runs the one
service call and says the counts. Works without JavaScript; bulk.js only adds "select all" and the
running count. Bad input (no row, a non-number, too many, another workshop's row) is said as a
message back on the list; nothing is written."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ketnoi.core.parsing import whole_number
from ketnoi.core.web import REFUSALS, refusal_text
from ketnoi.programmes.models import Programme

from . import services
from .models import Workshop
from .views import _context, workshop_url, workshop_view

SERVICES = {
    "approve": services.registrations_approve_many,
    "cancel": services.registrations_cancel_many,
    "promote": services.registrations_promote_many,
}


def _titles(n: int) -> dict[str, str]:
    return {
        "approve": _("Duyệt %(n)s đăng ký?") % {"n": n},
        "cancel": _("Huỷ %(n)s đăng ký?") % {"n": n},
        "promote": _("Chuyển %(n)s người khỏi danh sách chờ?") % {"n": n},
    }


def _buttons(n: int) -> dict[str, str]:
    return {
        "approve": _("Duyệt %(n)s đăng ký") % {"n": n},
        "cancel": _("Huỷ %(n)s đăng ký") % {"n": n},
        "promote": _("Chuyển %(n)s người") % {"n": n},
    }


def read_ids(values: list[str]) -> list[int] | None:
    """The ticked ids, distinct; None when one is not a whole number or there are too many (a
    crafted request: the page never sends them)."""
    if len(values) > services.BULK_MAX * 2:
        return None
    ids = [whole_number(v) for v in values]
    if any(pk is None or pk < 1 for pk in ids):
        return None
    return sorted(set(ids))


@require_POST
@workshop_view("organise")
def registrations_bulk(request: HttpRequest, programme: Programme, workshop: Workshop) -> HttpResponse:
    back = redirect(workshop_url(workshop, "registrations"))
    action = request.POST.get("action")
    if action not in SERVICES:
        messages.error(request, _("Hãy chọn một việc: duyệt, huỷ hoặc chuyển khỏi danh sách chờ."))
        return back
    ids = read_ids(request.POST.getlist("registration"))
    if ids is None:
        messages.error(request, _("Danh sách đã chọn không hợp lệ: hãy tải lại trang và đánh dấu lại."))
        return back
    if request.POST.get("confirm") != "1":
        try:
            rows = services.bulk_rows(workshop, ids)
        except REFUSALS as error:
            messages.error(request, refusal_text(error))
            return back
        return _confirmation(request, programme, workshop, action, rows)
    options = {"add_places": True} if action == "promote" and request.POST.get("add_places") == "1" else {}
    try:
        result = SERVICES[action](actor=request.user, workshop=workshop, registrations=ids, **options)
    except REFUSALS as error:
        messages.error(request, refusal_text(error))
        return back
    (messages.success if result.changed else messages.warning)(request, services.bulk_result_text(result))
    return back


def _confirmation(request: HttpRequest, programme: Programme, workshop: Workshop, action: str, rows) -> HttpResponse:
    plan = services.bulk_plan(action, workshop, rows)
    n = len(plan.changed)
    if action == "promote" and plan.no_place:
        # What taking them all would need: the same plan with as many more places as it takes.
        everyone = services.bulk_plan(
            action, workshop, services.bulk_rows(workshop, [r.pk for r in rows]), add_places=True
        )
        add_places = {
            "n": len(everyone.changed),
            "k": everyone.places_added,
            "button": _("Thêm %(k)s chỗ và chuyển cả %(n)s người")
            % {"k": everyone.places_added, "n": len(everyone.changed)},
        }
    else:
        add_places = None
    context = _context(
        request,
        programme,
        workshop=workshop,
        action=action,
        plan=plan,
        ids=[r.pk for r in rows],
        ticked=len(rows),
        title=_titles(len(rows))[action],
        button=_buttons(n)[action],
        add_places=add_places,
        places_left=None if workshop.capacity is None else max(0, workshop.capacity - services.places_taken(workshop)),
        back_url=workshop_url(workshop, "registrations"),
    )
    return render(request, "events/registrations_bulk_confirm.html", context)
