"""The respondent's side of a survey, reached through a share link or its QR code (/s/<token>/):
the page a learner answers on a phone, the endpoint its script sends the answers to, the service
worker that keeps the page usable when the network drops, and the QR codes of the link.

The page is rendered on the server from the form's current version (every type of forms-spec §1;
a repeat's questions drawn once in a <template> the script clones per row) and made live by the
scripts of ASSETS: expressions.js, answers.js (the check, as the server's), respond.js (the
fallback check), respond_form.js (what an answer changes on the page), respond_widgets.js
(repeats, locations, files, ranks, ranges), respond_queue.js (submissions kept in IndexedDB with
their files) and respond_page.js (drafts, sending, resending until the server confirms). It does
not extend base.html: a phone on a weak connection downloads only those and respond.css, once.

An anonymous collection keeps no trace of who answered: these views never read the user or the
address of the request for it, and log nothing.
"""

import hashlib
import io
import json
import math
from urllib.parse import urlencode

import segno
from django.contrib.staticfiles import finders
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from ketnoi.core.jsonbody import JSONBodyError, load_json

from . import definition as defs
from . import expressions
from .models import Collection
from .services import SubmissionRefused, response_submit
from .services.form_attachments import form_attachment_for
from .services.media import MAX_RESPONSE_MEDIA_BYTES

ASSETS = (
    "surveys/respond.css",
    "surveys/expressions.js",
    "surveys/answers.js",
    "surveys/respond.js",
    "surveys/respond_form.js",
    "surveys/respond_widgets.js",
    "surveys/respond_queue.js",
    "surveys/respond_page.js",
)
QR_DEFAULT_PX = 1200  # a PNG this wide stays sharp on a projector
QR_SIZES = (100, 4000)
QR_SCALES = (1, 100)
MAX_VERSION = 2**31 - 1
REPEAT, RANGE, RANK = "repeat", "range", "rank"
MEDIA_ACCEPT = {"image": "image/*", "audio": "audio/*", "file": ""}
LAYOUTS = ("minimal", "horizontal", "horizontal-compact", "likert", "field-list", "table-list")
MAX_MEDIA_BYTES = 10 * 1024 * 1024  # forms-spec §3; the server checks again


# The page ----------------------------------------------------------------------------------------


def _state(request: HttpRequest, collection: Collection) -> str:
    """What the respondent can do now: "open", or why not."""
    now = timezone.now()
    if collection.form.current_version is None:
        return "unavailable"
    if now < collection.opens_at:
        return "not_open"
    if collection.closes_at is not None and now >= collection.closes_at:
        return "closed"
    if collection.max_responses is not None and collection.responses.count() >= collection.max_responses:
        return "full"
    if collection.mode == Collection.Mode.IDENTIFIED and not request.user.is_authenticated:
        return "login"
    return "open"


def _choices(question: dict, language: str, token: str) -> list[dict]:
    choices = []
    for choice in question.get("choices") or []:
        image = defs.label(((choice.get("media") or {}).get("image")), language)
        choices.append(
            {
                "name": choice["name"],
                "label": defs.label(choice.get("label"), language),
                "image": reverse("respond:attachment", args=[token, image]) if _media_name(image) else "",
            }
        )
    if question.get("or_other") and defs.OTHER not in {c["name"] for c in choices}:
        choices.append({"name": defs.OTHER, "label": _("Khác"), "image": ""})
    return choices


def _media_name(name: str) -> bool:
    return bool(name) and "/" not in name and "\\" not in name and name not in (".", "..")


def _scale(question: dict, language: str) -> dict:
    scale = question.get("scale") or {}
    low, high = int(scale.get("min", 1)), int(scale.get("max", 5))
    return {
        "min": low,
        "max": high,
        "points": list(range(low, high + 1)),
        "wide": high - low + 1 > 7,
        "min_label": defs.label(scale.get("min_label"), language),
        "max_label": defs.label(scale.get("max_label"), language),
    }


def _number(value, fallback: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return fallback
    return number if math.isfinite(number) else fallback


def _plain(number: float) -> int | float:
    """3 rather than 3.0 in the page's HTML attributes."""
    return int(number) if float(number).is_integer() else number


def _range(question: dict) -> dict:
    """An <input type=range> needs min < max; a range from 10 down to 1 is drawn reversed."""
    parameters = question.get("parameters") or {}
    start, end = _number(parameters.get("start"), 1), _number(parameters.get("end"), 10)
    step = abs(_number(parameters.get("step"), 1)) or 1
    return {
        "min": _plain(min(start, end)),
        "max": _plain(max(start, end)),
        "step": _plain(step),
        "reversed": start > end,
    }


def _relevant(question: dict, shown: bool) -> bool:
    try:
        return shown and expressions.holds(question.get("relevant", ""), {}, today=timezone.localdate())
    except expressions.ExpressionError:  # saved forms are checked; the script decides anyway
        return shown


def _prepare(questions: list[dict], language: str, shown: bool = True, token: str = "") -> list[dict]:
    """The questions as the template draws them, labels in the current language. `hidden`
    starts as the relevance with no answers yet, so nothing flickers before the script runs.
    Repeats carry their children, drawn once inside a <template> the script clones per row."""
    prepared = []
    for question in questions:
        kind = question["type"]
        relevant = _relevant(question, shown)
        appearance = str(question.get("appearance") or "").split()
        item = {
            "name": question["name"],
            "type": kind,
            "label": defs.label(question.get("label"), language),
            "hint": defs.label(question.get("hint"), language),
            "guidance_hint": defs.label(question.get("guidance_hint"), language),
            "required": bool(question.get("required")),
            "hidden": not relevant,
            "read_only": bool(question.get("read_only")) or bool(question.get("calculation")),
            "default": "" if question.get("default") is None else str(question["default"]),
            "appearance": appearance,
            "layout": next((a for a in appearance if a in LAYOUTS), ""),
        }
        if kind in (defs.GROUP, REPEAT):
            item["children"] = _prepare(question.get("children") or [], language, relevant, token)
        if kind == REPEAT:
            item["counted"] = question.get("repeat_count") not in (None, "")
        if kind in (defs.SELECT_ONE, defs.SELECT_MULTIPLE, RANK):
            item["choices"] = _choices(question, language, token)
            item["or_other"] = bool(question.get("or_other")) and kind != RANK
            item["as_list"] = "minimal" in appearance and kind == defs.SELECT_ONE
            item["defaults"] = item["default"].split()
        if kind in (defs.RATING, defs.MATRIX):
            item["scale"] = _scale(question, language)
        if kind == defs.MATRIX:
            item["items"] = [
                {"name": i["name"], "label": defs.label(i.get("label"), language)} for i in question.get("items") or []
            ]
        if kind == RANGE:
            item["range"] = _range(question)
        if kind in MEDIA_ACCEPT:
            item["accept"] = MEDIA_ACCEPT[kind]
        prepared.append(item)
    return prepared


def _messages() -> dict:
    """What respond.js says, translated here so the script carries no text of its own."""
    return {
        "required": _("Câu này bắt buộc."),
        "integer": _("Hãy nhập một số nguyên, ví dụ 12."),
        "number": _("Hãy nhập một số, ví dụ 12 hoặc 3,5."),
        "date": _("Hãy chọn một ngày."),
        "choice": _("Hãy chọn một trong các lựa chọn."),
        "other": _("Hãy ghi rõ lựa chọn khác."),
        "too_long": _("Câu trả lời dài quá %(n)s ký tự.") % {"n": defs.MAX_TEXT},
        "invalid": _("Giá trị không hợp lệ."),
        "fix": _("Còn câu trả lời cần sửa: xem các dòng màu đỏ."),
        "sending": _("Đang gửi phiếu…"),
        "offline": _("Chưa có mạng. Phiếu đã được lưu trên máy này và sẽ tự gửi khi có mạng trở lại."),
        "retrying": _("Chưa gửi được (máy chủ chưa trả lời). Phiếu đã được lưu trên máy này và sẽ tự gửi lại."),
        "refused": _("Máy chủ không nhận phiếu này. Hãy tải lại trang rồi thử lại."),
        "server_errors": _("Máy chủ báo còn câu trả lời cần sửa: xem các dòng màu đỏ rồi gửi lại."),
        "sent_earlier": _("Phiếu anh/chị trả lời trước đó đã được gửi thành công."),
        "storage": _("Trình duyệt không cho lưu tạm: đừng đóng trang cho tới khi phiếu được gửi."),
        "time": _("Hãy nhập giờ, ví dụ 14:30."),
        "datetime": _("Hãy chọn ngày và giờ."),
        "row": _("Dòng %(n)s"),
        "locating": _("Đang lấy vị trí…"),
        "location": _("Vĩ độ %(lat)s, kinh độ %(lon)s, sai số %(accuracy)s m"),
        "location_refused": _(
            "Không lấy được vị trí (máy không cho phép hoặc không có định vị). Hãy nhập vĩ độ và kinh độ bên dưới."
        ),
        "geopoint": _("Vĩ độ phải từ -90 đến 90 và kinh độ từ -180 đến 180."),
        "file_chosen": _("Đã chọn: %(name)s"),
        "file_too_big": _("Tệp “%(name)s” nặng %(size)s MB, quá giới hạn %(limit)s MB. Hãy chọn tệp nhỏ hơn.")
        % {"name": "%(name)s", "size": "%(size)s", "limit": MAX_MEDIA_BYTES // (1024 * 1024)},
        "file_lost": _("Tệp đã chọn trước đó không còn trên máy này: hãy chọn lại."),
        "unset": _("Chưa chọn"),
        "rank": _("Hãy sắp xếp các lựa chọn (dùng nút lên/xuống)."),
        "range": _("Hãy chọn một giá trị từ %(start)s đến %(end)s, bước %(step)s."),
        "ok": _("Hãy đánh dấu để xác nhận."),
        "rows": _("Cần đúng %(n)s dòng."),
        "media": _("Tên tệp không hợp lệ: hãy chọn lại tệp."),
        "media_missing": _("Thiếu tệp “%(name)s”: hãy chọn lại tệp."),
        "media_duplicate": _("Tệp “%(name)s” đã dùng cho một câu khác."),
        "max_media_bytes": MAX_MEDIA_BYTES,
    }


def _language_name(code: str, definition: dict) -> str:
    known = {"vi": "Tiếng Việt", "en": "English", "fr": "Français", "km": "ខ្មែរ", "lo": "ລາວ", "zh": "中文"}
    names = definition.get("language_names") or {}
    return str(names.get(code) or known.get(code) or code)


def _form_languages(definition: dict) -> list[tuple[str, str]]:
    """The languages the form's own texts are written in, in the order the form gives, for the
    chooser at the top of the page (none when there is only one)."""
    codes = [str(code) for code in definition.get("languages") or [] if code]
    if not codes:
        for question in defs.walk(definition.get("questions") or []):
            for key in ("label", "hint"):
                value = question.get(key)
                if isinstance(value, dict):
                    codes.extend(code for code, text in value.items() if text and code not in codes)
    return [(code, _language_name(code, definition)) for code in codes] if len(codes) > 1 else []


def _form_page(request: HttpRequest, collection: Collection) -> HttpResponse:
    version = collection.form.current_version
    definition = version.definition
    language = (get_language() or "vi")[:2]
    sw_url = reverse("respond:sw")
    context = {
        "collection": collection,
        "title": defs.label(definition.get("title"), language) or collection.form.title,
        "questions": _prepare(definition["questions"], language, token=collection.token),
        "form_languages": _form_languages(definition),
        "default_language": (definition.get("settings") or {}).get("default_language", ""),
        "definition": definition,
        "messages_js": _messages(),
        "version": version.number,
        "language": language,
        "sw_url": sw_url,
        "sw_scope": sw_url.rsplit("/", 1)[0] + "/",
        "identified": collection.mode == Collection.Mode.IDENTIFIED,
        "context_items": _context_items(collection),
    }
    return render(request, "surveys/respond.html", context)


def _context_items(collection: Collection) -> list[tuple[str, str]]:
    names = {
        "class": _("Lớp"),
        "campus": _("Cơ sở"),
        "semester": _("Học kỳ"),
        "lecturer": _("Giảng viên"),
        "city": _("Thành phố"),
        "session": _("Buổi"),
    }
    return [(names[key], value) for key, value in (collection.context or {}).items() if key in names and value]


@require_GET
def respond_form(request: HttpRequest, token: str) -> HttpResponse:
    """The questionnaire, or a page that says why it cannot be answered now."""
    collection = get_object_or_404(
        Collection.objects.select_related("form__current_version", "form__programme"), token=token
    )
    state = _state(request, collection)
    if state == "open":
        response = _form_page(request, collection)
    else:
        response = render(
            request,
            "surveys/respond_state.html",
            {
                "collection": collection,
                "state": state,
                "title": collection.form.title,
                "login_url": f"{reverse('login')}?{urlencode({'next': request.path})}",
                "messages_js": _messages(),
            },
        )
    # Always asked afresh when online; the service worker keeps the last copy for offline use.
    response["Cache-Control"] = "no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response


# Submissions -------------------------------------------------------------------------------------


def _csrf_refused(request: HttpRequest) -> bool:
    """Whether Django's CSRF check refuses this request (the view itself is exempt so that
    anonymous submissions need no cookie)."""
    return CsrfViewMiddleware(lambda _request: None).process_view(request, None, (), {}) is not None


def _error_lists(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return error.message_dict
    return {"__all__": error.messages}


# A response's files together, and its answers beside them: anything larger is refused before a
# byte of it is parsed or written to a temporary file.
MAX_SUBMISSION_BYTES = MAX_RESPONSE_MEDIA_BYTES + 5 * 1024 * 1024


def _too_big(request: HttpRequest, *, refused: bool = False) -> JsonResponse | None:
    """A 413 the page understands (JSON, saying what to do) for a body over the bounds."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if not refused and length <= MAX_SUBMISSION_BYTES:
        return None
    return JsonResponse(
        {
            "detail": _(
                "Phiếu gửi lên quá lớn (tối đa %(mb)s MB kể cả ảnh và tệp). Hãy chụp ảnh nhỏ hơn hoặc bớt tệp "
                "rồi gửi lại."
            )
            % {"mb": MAX_SUBMISSION_BYTES // (1024 * 1024)}
        },
        status=413,
    )


@csrf_exempt
@require_POST
def respond_submit(request: HttpRequest, token: str) -> JsonResponse:
    """Store one response sent as {"uuid", "answers", "version"?} (JSON, or multipart/form-data
    with that JSON in the field `submission` and one part per media file, named as its answer
    names it): 201 new, 200 a repeat of a stored one, 400 naming the questions to fix,
    403/409/410 with the reason, 404 unknown link.
    Kept lean: one query for the collection, then the service."""
    collection = Collection.objects.select_related("form__current_version").filter(token=token).first()
    if collection is None:
        return JsonResponse({"detail": _("Không có đợt khảo sát này. Hãy kiểm tra lại đường dẫn.")}, status=404)
    user = None
    if collection.mode == Collection.Mode.IDENTIFIED:
        # The session is the respondent's identity here, so a cross-site post must not use it.
        if _csrf_refused(request):
            return JsonResponse({"detail": _("Phiên làm việc đã hết hạn. Hãy tải lại trang rồi gửi lại.")}, status=403)
        user = request.user
    too_big = _too_big(request)
    if too_big:
        return too_big
    multipart = request.content_type == "multipart/form-data"
    try:
        payload = load_json(request.POST.get("submission", "") if multipart else request.body)
        parts = list(request.FILES.lists()) if multipart else []
        files = {name: uploads[-1] for name, uploads in parts}
        twice = sorted(name for name, uploads in parts if len(uploads) > 1)
    except JSONBodyError as error:
        return JsonResponse({"detail": str(error)}, status=400)
    except MultiPartParserError:
        return JsonResponse({"detail": _("Không đọc được dữ liệu gửi lên (multipart hỏng). Hãy gửi lại.")}, status=400)
    except RequestDataTooBig:
        return _too_big(request, refused=True)
    if not isinstance(payload, dict):
        return JsonResponse(
            {"detail": _("Dữ liệu gửi lên phải là một đối tượng JSON {uuid, answers, version}.")}, status=400
        )
    version = payload.get("version")
    whole = isinstance(version, int) and not isinstance(version, bool)
    if version is not None and not (whole and 0 < version <= MAX_VERSION):
        return JsonResponse({"errors": {"version": [_("Số phiên bản phải là một số nguyên dương.")]}}, status=400)
    if twice:
        return JsonResponse(
            {
                "errors": {
                    "files": [_("Tệp “%(name)s” được gửi hai lần trong cùng một phiếu.") % {"name": twice[0][:100]}]
                }
            },
            status=400,
        )
    try:
        _response, created = response_submit(
            collection=collection,
            uuid=payload.get("uuid"),
            answers=payload.get("answers"),
            version=version,
            user=user,
            files=files,
        )
    except ValidationError as error:
        return JsonResponse({"errors": _error_lists(error)}, status=400)
    except SubmissionRefused as refusal:
        return JsonResponse({"detail": refusal.message}, status=refusal.status)
    if created:
        return JsonResponse({"status": "created"}, status=201)
    return JsonResponse({"status": "duplicate"}, status=200)


# Form attachments ------------------------------------------------------------------------------


@require_GET
def respond_attachment(request: HttpRequest, token: str, name: str) -> HttpResponse:
    """A file attached to the form (a choice's image, a list the form reads), public through the
    share link: only names the current version lists in its definition's `attachments`."""
    collection = get_object_or_404(Collection.objects.select_related("form__current_version"), token=token)
    attachment = form_attachment_for(collection, name)
    if attachment is None:
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=attachment.content_type or None)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "public, max-age=3600"
    return response


# Service worker ------------------------------------------------------------------------------


def _asset_version(urls: list[str]) -> str:
    digest = hashlib.sha256()
    for name, url in zip(ASSETS, urls, strict=True):
        digest.update(url.encode())
        path = finders.find(name)
        if path:
            with open(path, "rb") as file:
                digest.update(file.read())
    return digest.hexdigest()[:16]


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """static/surveys/sw.js, served under /s/ so that it may control the respondent pages, with
    the URLs of the files it keeps for offline use written in front."""
    path = finders.find("surveys/sw.js")
    if path is None:  # pragma: no cover - the file ships with the app
        raise Http404
    with open(path, encoding="utf-8") as file:
        script = file.read()
    urls = [static(name) for name in ASSETS]
    scope = reverse("respond:sw").rsplit("/", 1)[0] + "/"
    config = {"assets": urls, "scope": scope, "version": _asset_version(urls)}
    body = f"self.KETNOI_RESPOND = {json.dumps(config)};\n{script}"
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = scope
    response["Cache-Control"] = "no-cache"
    return response


# QR codes ----------------------------------------------------------------------------------------


def _int_param(request: HttpRequest, name: str, bounds: tuple[int, int]) -> int | None:
    raw = request.GET.get(name)
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not bounds[0] <= value <= bounds[1]:
        raise ValueError(
            _("Tham số %(name)s phải là số nguyên từ %(low)s đến %(high)s.")
            % {"name": name, "low": bounds[0], "high": bounds[1]}
        )
    return value


@require_GET
def respond_qr(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    """The share link as a QR code: qr.svg or qr.png. ?size=<pixels> (default 1200, big enough
    to project) or ?scale=<pixels per module>; ?download=1 to save it as a file."""
    if fmt not in ("svg", "png") or not Collection.objects.filter(token=token).exists():
        raise Http404
    try:
        size = _int_param(request, "size", QR_SIZES)
        scale = _int_param(request, "scale", QR_SCALES)
    except ValueError as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    url = request.build_absolute_uri(reverse("respond:form", args=[token]))
    code = segno.make_qr(url, error="m")
    modules = code.symbol_size(scale=1, border=4)[0]
    if scale is None:
        scale = max(1, math.ceil((size or QR_DEFAULT_PX) / modules))
    buffer = io.BytesIO()
    if fmt == "png":
        code.save(buffer, kind="png", scale=scale, border=4)
        content_type = "image/png"
    else:
        code.save(buffer, kind="svg", scale=scale, border=4, xmldecl=False, title=url)
        content_type = "image/svg+xml"
    response = HttpResponse(buffer.getvalue(), content_type=content_type)
    response["Cache-Control"] = "public, max-age=3600"
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="khao-sat-{token}.{fmt}"'
    return response
