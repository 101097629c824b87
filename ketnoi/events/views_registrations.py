"""The registrations list's organisation column: the coordinator ticks rows whose organisation is
not known (or known wrongly) and matches them, in one go, to a directory organisation or to a
new one created with its type — POST /programmes/<code>/events/<pk>/registrations/organisation/.
What the list shows for it is registrations_match.py's."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ketnoi.core.parsing import whole_number
from ketnoi.core.web import REFUSALS, picker_search_pressed, refusal_text
from ketnoi.programmes.models import Programme

from . import services
from .forms import OrganisationMatchForm
from .models import Workshop
from .registrations_match import list_url
from .views import workshop_view


@require_POST
@workshop_view("organise")
def registrations_organisation(request: HttpRequest, programme: Programme, workshop: Workshop) -> HttpResponse:
    ids = [n for n in (whole_number(v) for v in request.POST.getlist("registration")) if n is not None]
    if picker_search_pressed(request.POST):  # the picker's search without JavaScript: back to show it
        pick = request.POST.get("organisation__q", "").replace("\x00", "")
        return redirect(list_url(workshop, ids=ids, pick=pick, anchor="organisation-match"))
    action = request.POST.get("action")
    if action not in ("create", "match"):
        return HttpResponse(_("Yêu cầu không hợp lệ."), status=400, content_type="text/plain; charset=utf-8")
    form = OrganisationMatchForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.error_text())
        return redirect(list_url(workshop, ids=ids, anchor="organisation-match"))
    typed = form.cleaned_data
    if action == "create":
        arguments = {
            "new_organisation_name": typed["new_organisation_name"].strip(),
            "new_organisation_type": typed["new_organisation_type"],
        }
    else:
        if typed["organisation"] is None:
            messages.error(request, _("Hãy tìm và chọn một tổ chức có trong danh bạ, hoặc tạo tổ chức mới."))
            return redirect(list_url(workshop, ids=ids, anchor="organisation-match"))
        arguments = {"organisation": typed["organisation"]}
    try:
        rows = services.registrations_match_organisation(
            actor=request.user, workshop=workshop, registrations=ids, **arguments
        )
    except REFUSALS as error:
        messages.error(request, refusal_text(error))
        return redirect(list_url(workshop, ids=ids, name=typed["new_organisation_name"], anchor="organisation-match"))
    organisation = rows[0].organisation
    messages.success(
        request,
        _("Đã gắn %(n)s người với “%(name)s” (%(type)s).")
        % {"n": len(rows), "name": organisation.name, "type": organisation.get_type_display()},
    )
    return redirect(list_url(workshop))
