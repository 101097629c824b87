"""Check-in at the door, on a phone: scan the delegate's QR code with the camera (or type the
code, or let a hand-held scanner type it), find someone by name, or register a walk-in.

Every way in works as a plain form without JavaScript (POST, then back to the page with the
outcome as a message); checkin.js adds the camera and answers in place through the scan
endpoint, which speaks JSON. The rules are the services'; this module only parses and shows.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ketnoi.core.jsonbody import JSONBodyError, load_json
from ketnoi.core.ratelimit import take
from ketnoi.core.text import fold
from ketnoi.core.web import apply_errors, refusal_text
from ketnoi.directory.models import Organisation, Person
from ketnoi.programmes.models import Programme
from ketnoi.programmes.web import programme_context, programme_view

from . import services
from .access import can_check_in, get_workshop_for_user
from .forms_checkin import WalkInForm
from .models import Registration, Workshop, WorkshopOrganisation

Status = Registration.Status
SEARCH_LIMIT = 25
SEARCH_TERMS = 6
ORGANISATION_SUGGESTIONS = 300


def checkin_view(*, answers_json: bool = False) -> Callable:
    """Log in, the programme (404 without a role on it), the right to check people in (a 403
    page, or a JSON refusal for the endpoint), then the workshop (404 outside the programme)."""

    def decorator(view: Callable) -> Callable:
        @programme_view()
        @wraps(view)
        def wrapper(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
            if not can_check_in(request.user, programme):
                message = _(
                    "Điểm danh tại hội thảo dành cho điều phối viên, giảng viên, chuyên gia góp ý và người "
                    "tuyển chọn tài liệu của chương trình."
                )
                if answers_json:
                    return JsonResponse({"result": "refused", "message": message}, status=403)
                context = {**programme_context(request, programme), "message": message}
                return render(request, "events/checkin_forbidden.html", context, status=403)
            workshop = get_workshop_for_user(request.user, programme, pk)
            return view(request, programme, workshop)

        return wrapper

    return decorator


# What the page and the endpoint both say ------------------------------------------------------


def attendance(workshop: Workshop) -> dict[str, int]:
    """Who is in, against who is expected (a walk-in is expected once they are in)."""
    counts = workshop.registrations.aggregate(
        present=Count("pk", filter=Q(status=Status.ATTENDED)),
        confirmed=Count("pk", filter=Q(status__in=[Status.CONFIRMED, Status.ATTENDED])),
    )
    return {"present": counts["present"], "confirmed": counts["confirmed"]}


def counter_template() -> str:
    """One msgid for the page and for checkin.js, which fills it in after every scan."""
    return _("đã điểm danh %(present)s / %(confirmed)s đã xác nhận")


def counter_text(counts: dict[str, int]) -> str:
    return counter_template() % counts


def clock(moment) -> str:
    """HH:MM at the workshop's door: the platform's time zone (Asia/Ho_Chi_Minh)."""
    return timezone.localtime(moment, timezone.get_default_timezone()).strftime("%H:%M") if moment else ""


# Checking in before the workshop's day is confirmed once per workshop on the page (a checkbox),
# kept in the session, and passed to the service with every check-in from this browser.
EARLY_SESSION_KEY = "events_checkin_early"
# Typed codes that match no ticket, per person and workshop: a short code can be guessed, so
# after this many wrong ones in the window the page refuses typed codes for the rest of it.
WRONG_CODES_LIMIT = 20
WRONG_CODES_WINDOW = 15 * 60


def early_confirmed(request: HttpRequest, workshop: Workshop) -> bool:
    return workshop.pk in request.session.get(EARLY_SESSION_KEY, [])


def _wrong_codes_key(request: HttpRequest, workshop: Workshop) -> str:
    return f"events:checkin-wrong-code:{request.user.pk}:{workshop.pk}"


def _too_many_wrong_codes(request: HttpRequest, workshop: Workshop) -> bool:
    return (cache.get(_wrong_codes_key(request, workshop)) or 0) >= WRONG_CODES_LIMIT


def check_in(request: HttpRequest, workshop: Workshop, *, payload: str = "", registration=None) -> dict:
    """Call the service and say what happened, in the scan endpoint's words."""
    typed = bool(payload) and not services.is_signed_payload(payload)  # a scanned QR code is not guessed
    if typed and _too_many_wrong_codes(request, workshop):
        message = _("Đã nhập sai mã quá nhiều lần: hãy đợi 15 phút, hoặc quét mã QR, hoặc tìm người tham dự theo tên.")
        return {"result": "refused", "message": message, "name": "", "at": "", **attendance(workshop)}
    try:
        registration, first_time = services.registration_check_in(
            actor=request.user,
            workshop=workshop,
            payload=payload,
            registration=registration,
            confirm_early=early_confirmed(request, workshop),
        )
    except services.CheckinRefused as refusal:
        found = refusal.registration
        if typed and found is None:
            take(_wrong_codes_key(request, workshop), limit=WRONG_CODES_LIMIT, window_seconds=WRONG_CODES_WINDOW)
        outcome = {
            "result": "refused",
            "message": refusal.message,
            "name": found.delegate.full_name if found is not None else "",
            "at": clock(found.checked_in_at) if found is not None else "",
        }
    except ValidationError as error:  # before the workshop's day, not confirmed on the page
        outcome = {"result": "refused", "message": refusal_text(error), "name": "", "at": "", "early": True}
    except PermissionDenied as error:  # the page checked already; a role withdrawn meanwhile
        outcome = {"result": "refused", "message": str(error), "name": "", "at": ""}
    else:
        name, at = registration.delegate.full_name, clock(registration.checked_in_at)
        if first_time:
            outcome = {"result": "checked_in", "message": _("Đã điểm danh: %(name)s") % {"name": name}}
        else:
            outcome = {
                "result": "already",
                "message": _("%(name)s đã điểm danh lúc %(time)s.") % {"name": name, "time": at},
            }
        outcome.update(name=name, at=at)
    return {**outcome, **attendance(workshop)}


MESSAGE_LEVELS = {"checked_in": messages.SUCCESS, "already": messages.WARNING, "refused": messages.ERROR}


# The page -------------------------------------------------------------------------------------


def search(workshop: Workshop, text: str) -> list[Registration]:
    """The workshop's registrations whose name holds every typed word, diacritics or not
    ("nguyen thi" finds "Nguyễn Thị Lan"); a word of digits also matches the phone number."""
    registrations = workshop.registrations.select_related("person", "person__organisation", "organisation")
    for term in fold(text).split()[:SEARCH_TERMS]:
        # A registration still waiting for confirmation has no person: its typed name counts.
        matches = Q(person__name_folded__contains=term) | Q(person__isnull=True, name_folded__contains=term)
        if term.isdigit() and len(term) >= 4:
            matches |= Q(person__phone_normalised__contains=term) | Q(
                person__isnull=True, phone_normalised__contains=term
            )
        registrations = registrations.filter(matches)
    ordered = registrations.order_by(Coalesce("person__name_folded", "name_folded"), "pk")
    return list(ordered[: SEARCH_LIMIT + 1])


def organisation_suggestions(workshop: Workshop) -> list[str]:
    """Names for the walk-in form to offer: the organisers, the partners, the organisations of
    the people registered, and the names typed at this workshop that the directory does not
    have yet (so the next person from there types it the same way)."""
    registered = Person.objects.filter(registrations__workshop=workshop).values("organisation_id")
    matched = workshop.registrations.values("organisation_id")
    roles = WorkshopOrganisation.objects.filter(workshop=workshop).values("organisation_id")
    known = list(
        Organisation.objects.filter(Q(pk__in=registered) | Q(pk__in=matched) | Q(pk__in=roles))
        .order_by("name")
        .values_list("name", flat=True)[:ORGANISATION_SUGGESTIONS]
    )
    typed = (
        workshop.registrations.filter(organisation__isnull=True)
        .exclude(organisation_name="")
        .values_list("organisation_name", flat=True)
        .distinct()
        .order_by("organisation_name")[:ORGANISATION_SUGGESTIONS]
    )
    return sorted({*known, *typed}, key=fold)[:ORGANISATION_SUGGESTIONS]


def page_url(programme: Programme, workshop: Workshop, *, q: str = "", anchor: str = "") -> str:
    url = reverse("events:checkin", kwargs={"code": programme.code, "pk": workshop.pk})
    return url + (f"?{urlencode({'q': q})}" if q else "") + (f"#{anchor}" if anchor else "")


def render_page(
    request: HttpRequest, programme: Programme, workshop: Workshop, *, walkin_form=None, status: int = 200
) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    matches = search(workshop, q) if q else []
    counts = attendance(workshop)
    context = {
        **programme_context(request, programme),
        "workshop": workshop,
        "counts": counts,
        "counter": counter_text(counts),
        "early": services.before_its_day(workshop),
        "early_confirmed": early_confirmed(request, workshop),
        "q": q,
        "matches": matches[:SEARCH_LIMIT],
        "more_matches": len(matches) > SEARCH_LIMIT,
        "search_limit": SEARCH_LIMIT,
        "walkin_form": walkin_form or WalkInForm(),
        "organisations": organisation_suggestions(workshop),
        "scan_url": reverse("events:checkin_scan", kwargs={"code": programme.code, "pk": workshop.pk}),
        "strings": {
            "counter": counter_template(),
            "checkedInAt": _("điểm danh lúc %(time)s"),
            "attended": Status.ATTENDED.label,
            "network": _("Không gửi được: hãy kiểm tra kết nối mạng rồi thử lại."),
            "session": _("Phiên đăng nhập đã hết hạn: hãy tải lại trang và đăng nhập lại."),
            "noCamera": _("Không mở được camera trên máy này. Hãy nhập mã trên vé hoặc tìm người tham dự theo tên."),
            "cameraDenied": _(
                "Camera chưa được cho phép. Hãy cho phép trong cài đặt trình duyệt, hoặc nhập mã trên vé "
                "hoặc tìm người tham dự theo tên."
            ),
            "needsHttps": _(
                "Trình duyệt chỉ mở camera cho trang dùng HTTPS. Hãy nhập mã trên vé hoặc tìm người tham dự theo tên."
            ),
            "scanning": _("Đưa mã QR trên vé vào khung hình."),
        },
    }
    return render(request, "events/checkin.html", context, status=status)


@checkin_view()
@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest, programme: Programme, workshop: Workshop) -> HttpResponse:
    if request.method == "GET":
        return render_page(request, programme, workshop)
    action = request.POST.get("action")
    q = request.POST.get("q", "").strip()[:100]
    if action == "walkin":
        return walk_in(request, programme, workshop)
    if action == "confirm_early":
        return confirm_early(request, programme, workshop)
    if action == "code":
        outcome = check_in(request, workshop, payload=request.POST.get("payload", ""))
        anchor = "scan"
    elif action == "registration":
        registration = _registration(workshop, request.POST.get("registration"))
        if registration is None:
            outcome = {"result": "refused", "message": _("Không tìm thấy đăng ký này ở hội thảo này.")}
        else:
            outcome = check_in(request, workshop, registration=registration)
        anchor = "search"
    else:
        return HttpResponse(_("Yêu cầu không hợp lệ."), status=400, content_type="text/plain; charset=utf-8")
    messages.add_message(request, MESSAGE_LEVELS[outcome["result"]], outcome["message"])
    return redirect(page_url(programme, workshop, q=q, anchor=anchor))


def confirm_early(request: HttpRequest, programme: Programme, workshop: Workshop) -> HttpResponse:
    """The checkbox "I confirm checking people in before the workshop's day": remembered for
    this workshop in the session; each check-in's audit entry then says it was early."""
    if request.POST.get("confirm") != "1":
        messages.error(request, _("Hãy đánh dấu ô xác nhận trước khi bấm."))
    else:
        confirmed = [pk for pk in request.session.get(EARLY_SESSION_KEY, []) if pk != workshop.pk][-19:]
        request.session[EARLY_SESSION_KEY] = [*confirmed, workshop.pk]
        messages.success(request, _("Đã xác nhận: có thể điểm danh trước ngày hội thảo."))
    return redirect(page_url(programme, workshop))


def _registration(workshop: Workshop, value) -> Registration | None:
    if isinstance(value, bool):
        return None
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    return workshop.registrations.select_related("person", "organisation").filter(pk=pk).first()


def walk_in(request: HttpRequest, programme: Programme, workshop: Workshop) -> HttpResponse:
    form = WalkInForm(request.POST)
    if form.is_valid():
        values = form.service_values()
        try:
            registration = services.registration_walk_in(
                actor=request.user, workshop=workshop, confirm_early=early_confirmed(request, workshop), **values
            )
        except ValidationError as error:
            apply_errors(form, error)
        except services.CheckinRefused as refusal:
            messages.warning(request, refusal.message)
            return redirect(page_url(programme, workshop, anchor="walkin"))
        else:
            name = registration.person.full_name
            messages.success(request, _("Đã đăng ký tại chỗ và điểm danh: %(name)s") % {"name": name})
            if registration.organisation_unmatched:
                messages.warning(
                    request,
                    _(
                        "Không tìm thấy đúng một tổ chức “%(organisation)s” trong danh bạ: đã lưu tên như đã nhập, "
                        "điều phối viên sẽ gắn với danh bạ ở danh sách đăng ký."
                    )
                    % {"organisation": registration.organisation_name},
                )
            return redirect(page_url(programme, workshop, anchor="walkin"))
    return render_page(request, programme, workshop, walkin_form=form, status=400)


# The endpoint checkin.js talks to -------------------------------------------------------------


@checkin_view(answers_json=True)
@require_http_methods(["GET", "POST"])
def checkin_scan(request: HttpRequest, programme: Programme, workshop: Workshop) -> JsonResponse:
    """POST {"payload": "<the QR code's text>"} (or {"registration": <id>} from the search list)
    → the outcome and the counter; GET → the counter alone, for a page left open."""
    if request.method == "GET":
        return JsonResponse(attendance(workshop))
    try:
        body = load_json(request.body)
    except JSONBodyError:
        return _bad_request(_('Yêu cầu không hợp lệ: cần JSON dạng {"payload": "…"}.'), workshop)
    if not isinstance(body, dict):
        return _bad_request(_('Yêu cầu không hợp lệ: cần JSON dạng {"payload": "…"}.'), workshop)
    if "registration" in body and "payload" not in body:
        registration = _registration(workshop, body["registration"])
        if registration is None:
            return _bad_request(_("Không tìm thấy đăng ký này ở hội thảo này."), workshop)
        return JsonResponse(check_in(request, workshop, registration=registration))
    payload = body.get("payload")
    if not isinstance(payload, str) or not payload.strip():
        return _bad_request(_('Yêu cầu không hợp lệ: cần JSON dạng {"payload": "…"}.'), workshop)
    return JsonResponse(check_in(request, workshop, payload=payload[:1000]))


def _bad_request(message: str, workshop: Workshop) -> JsonResponse:
    return JsonResponse(
        {"result": "refused", "message": message, "name": "", "at": "", **attendance(workshop)}, status=400
    )
