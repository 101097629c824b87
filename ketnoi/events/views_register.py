"""The public registration pages, under /e/: a public workshop's page with its form
(/e/w/<pk>/), an invitation link (/e/moi/<code>/), and the calendar of public workshops.

An invitation-only workshop does not exist here without its invitation code (404). A closed or
finished workshop shows its page and says so, since its link may have gone around.

A registration typed on this page is tied to a directory person only once that person confirms
from the address on record (the link in the confirmation e-mail, /e/xac-nhan/<token>/) or is
seen at the door; see services.registration_submit.

Registering twice: the service returns the first registration. Its ticket (QR code, cancel) is
shown to the browser that made it or to the holder of a personal invitation; anyone else who
types the same name and e-mail sees that the person is registered and the link goes again to
the address on record — a name and an e-mail are not a key to someone else's ticket.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from ketnoi.core.ratelimit import cache_key_part, take
from ketnoi.core.requests import client_ip
from ketnoi.core.web import apply_errors

from . import services
from .feeds import public_calendar
from .forms_register import RegistrationForm
from .models import Invitation, Registration, Workshop

_CONFIRM_BY_MAIL = gettext_lazy(
    "Để hoàn tất, hãy mở thư xác nhận chúng tôi vừa gửi tới địa chỉ thư điện tử của anh/chị và bấm đường dẫn "
    "trong thư. Nếu anh/chị không nhận được thư, ban tổ chức sẽ xác nhận khi anh/chị đến hội thảo."
)
# Public registrations hold places before anyone confirms them: one network address may send at
# most this many valid registrations an hour to one workshop (an office behind one address
# registering its delegates stays well under it; a script filling the workshop does not).
REGISTRATIONS_PER_ADDRESS_PER_HOUR = 20
SESSION_KEY = "events_registrations"
SESSION_KEEP = 20


def _workshops():
    return Workshop.objects.select_related("province", "programme")


def _state(workshop: Workshop) -> str:
    if workshop.held or workshop.ends_at < timezone.now():
        return "over"
    if workshop.registration == Workshop.Registration.CLOSED:
        return "closed"
    return "open"


def _remember(request: HttpRequest, registration: Registration) -> None:
    codes = [c for c in request.session.get(SESSION_KEY, []) if c != registration.code]
    request.session[SESSION_KEY] = [registration.code, *codes][:SESSION_KEEP]


def _made_here(request: HttpRequest, registration: Registration) -> bool:
    return registration.code in request.session.get(SESSION_KEY, [])


def _existing_for(invitation: Invitation | None) -> Registration | None:
    if invitation is None or not invitation.person_id:
        return None
    return (
        Registration.objects.filter(workshop_id=invitation.workshop_id, person_id=invitation.person_id)
        .exclude(status=Registration.Status.CANCELLED)
        .first()
    )


def _page(request: HttpRequest, workshop: Workshop, invitation: Invitation | None) -> HttpResponse:
    state = _state(workshop)
    existing = _existing_for(invitation)
    form = RegistrationForm(
        request.POST if request.method == "POST" and state == "open" else None, invitation=invitation
    )
    if request.method == "POST" and state == "open" and form.is_valid():
        actor = request.user if request.user.is_authenticated else None
        if invitation is None and not _within_hourly_share(request, workshop):
            form.add_error(
                None,
                _(
                    "Đã có quá nhiều đăng ký gửi từ mạng của anh/chị cho hội thảo này trong một giờ qua. "
                    "Hãy thử lại sau một giờ, hoặc liên hệ ban tổ chức để được đăng ký."
                ),
            )
            return _render_page(request, workshop, invitation, existing, state, form, status=429)
        try:
            registration, created = services.registration_submit(
                actor=actor,
                workshop=workshop,
                consent=form.cleaned_data["consent"],
                invitation_code=invitation.code if invitation else "",
                **form.service_arguments(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if created:
                _remember(request, registration)
                messages.success(request, _("Đã nhận đăng ký của anh/chị."))
                if registration.awaiting_confirmation:
                    # The same words whether or not the directory knows the details: the page
                    # must not tell a stranger who is on record.
                    messages.info(request, _CONFIRM_BY_MAIL)
                return redirect("events_public:ticket", code=registration.code)
            if form.names_a_person or _made_here(request, registration):
                messages.success(request, _("Anh/chị đã đăng ký hội thảo này: đây là đăng ký của anh/chị."))
                return redirect("events_public:ticket", code=registration.code)
            return render(
                request,
                "events/register_already.html",
                {
                    "workshop": workshop,
                    "has_email": services.registration_send_link(registration),
                    "back_url": request.get_full_path(),
                },
            )
    return _render_page(request, workshop, invitation, existing, state, form)


def _within_hourly_share(request: HttpRequest, workshop: Workshop) -> bool:
    key = f"events:register:{workshop.pk}:{cache_key_part(client_ip(request))}"
    return take(key, limit=REGISTRATIONS_PER_ADDRESS_PER_HOUR, window_seconds=3600)


def _render_page(request, workshop, invitation, existing, state, form, *, status: int = 200) -> HttpResponse:
    places_left = None
    if workshop.capacity is not None and state == "open":
        places_left = max(workshop.capacity - services.places_taken(workshop), 0)
    context = {
        "workshop": workshop,
        "invitation": invitation,
        "existing": existing,
        "state": state,
        "form": form,
        "places_left": places_left,
        "agenda": list(workshop.agenda.all()),
        "organisers": [o.organisation for o in workshop.organisations.select_related("organisation")],
    }
    return render(request, "events/register.html", context, status=status)


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = get_object_or_404(_workshops(), pk=pk)
    code = (request.GET.get("moi") or "").strip()
    invitation = services.invitation_for(workshop, code) if code else None
    if code and invitation is None:
        raise Http404
    if workshop.registration == Workshop.Registration.INVITATION and invitation is None:
        raise Http404
    return _page(request, workshop, invitation)


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, code: str) -> HttpResponse:
    found = get_object_or_404(
        Invitation.objects.select_related(
            "workshop__province",
            "workshop__programme",
            "person__organisation",
            "person__province",
            "organisation",
        ),
        code=code,
    )
    return _page(request, found.workshop, found)


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the confirmation e-mail. Opening it only shows a button: mail scanners open
    links by themselves, and a confirmation must be the person's own act (POST)."""
    context = {"token": token}
    if request.method == "POST":
        try:
            registration = services.registration_confirm(token=token)
        except services.ConfirmationRefused as refusal:
            context.update(refused=refusal.message, registration=refusal.registration)
            return render(request, "events/register_confirm.html", context, status=400)
        _remember(request, registration)
        messages.success(request, _("Cảm ơn anh/chị đã xác nhận: đăng ký đã hoàn tất."))
        return redirect("events_public:ticket", code=registration.code)
    return render(request, "events/register_confirm.html", context)


@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    return public_calendar(request)
