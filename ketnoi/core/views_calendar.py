"""Private calendar links: the subscribe page (/cal/subscribe/?feed=<scope>:<id>: make a link,
see one's links, revoke) and the feed a calendar app fetches without a cookie (/cal/<key>.ics).

The feed is served as the link's owner, through the builder the app registered — the same
function its logged-in feed page calls — so the checks are those of the page, at each fetch. A
link that is unknown, whose owner is inactive or may no longer see the calendar is a 404; a
revoked one a 410 (calendar apps stop asking). Nothing here reads the session."""

from datetime import timedelta
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from . import calendars, services
from .models import CalendarFeedToken
from .ratelimit import take
from .web import refusal_text

# A calendar app asks every few hours; a few dozen fetches in ten minutes is a loop or a leak.
FETCHES_PER_WINDOW = 30
FETCH_WINDOW_SECONDS = 600
# Apps may keep a fetched feed this long before asking again.
FEED_MAX_AGE = 300
# last_used_at is written at most this often, not on every fetch.
TOUCH_EVERY = timedelta(minutes=15)
KEY_MAX_LENGTH = 100


def _plain(status: int, text: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/plain; charset=utf-8", status=status)
    add_never_cache_headers(response)
    return response


def _over_limit(token: CalendarFeedToken) -> bool:
    return not take(f"calfeed:{token.pk}", limit=FETCHES_PER_WINDOW, window_seconds=FETCH_WINDOW_SECONDS)


def _touch(token: CalendarFeedToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        CalendarFeedToken.objects.filter(pk=token.pk).update(last_used_at=now)


@require_safe
def calendar_feed(request: HttpRequest, key: str) -> HttpResponse:
    unknown = _("Liên kết lịch này không dùng được. Hãy mở trang lịch trên Kết Nối và tạo liên kết mới.")
    if not key.startswith(CalendarFeedToken.KEY_START) or len(key) > KEY_MAX_LENGTH:
        return _plain(404, unknown)
    token = CalendarFeedToken.objects.select_related("user").filter(key_hash=CalendarFeedToken.hash_key(key)).first()
    if token is None or not token.user.is_active:
        return _plain(404, unknown)
    if token.revoked_at is not None:
        return _plain(410, _("Liên kết lịch này đã bị thu hồi. Hãy tạo liên kết mới trên trang lịch của Kết Nối."))
    if _over_limit(token):
        response = _plain(429, _("Lịch được tải quá nhiều lần. Hãy thử lại sau ít phút."))
        response["Retry-After"] = str(FETCH_WINDOW_SECONDS)
        return response
    try:
        feed = services.calendar_feed_for(token.user, token.scope, token.object_id)
    except Http404:
        return _plain(404, unknown)
    _touch(token)
    response = HttpResponse(feed.content, content_type=calendars.CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{feed.filename}"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    patch_cache_control(response, private=True, max_age=FEED_MAX_AGE)
    return response


def _feed_arg(text: str) -> tuple[str, str]:
    scope, colon, object_id = (text or "").partition(":")
    if not colon or not scope or not object_id or len(scope) > 40 or len(object_id) > 64:
        raise Http404("calendar feed")
    return scope, object_id


def _links(key: str) -> dict[str, str]:
    address = settings.SITE_URL.rstrip("/") + reverse("calendar_feed", args=[key])
    webcal = "webcal://" + address.split("://", 1)[1] if urlsplit(address).scheme else address
    return {
        "https": address,
        "webcal": webcal,
        "google": "https://calendar.google.com/calendar/render?cid=" + quote(webcal, safe=""),
    }


@login_required
@require_http_methods(["GET", "POST"])
def calendar_subscribe(request: HttpRequest) -> HttpResponse:
    """With ?feed=<scope>:<id>: that calendar's private links (a 404 for a calendar out of the
    user's sight). Without: all the user's links, to revoke any of them."""
    feed_arg = request.GET.get("feed", "")
    scope, object_id = _feed_arg(feed_arg) if feed_arg else ("", "")
    feed = services.calendar_feed_for(request.user, scope, object_id) if feed_arg else None
    new_links = None
    if request.method == "POST":
        if "revoke" in request.POST:
            services.calendar_link_revoke(actor=request.user, token_id=request.POST["revoke"])
            done = _("Đã thu hồi liên kết. Lịch đã đăng ký bằng liên kết này sẽ không cập nhật nữa.")
            messages.success(request, done)
            return redirect(request.get_full_path())
        if feed is None:
            raise Http404("calendar feed")
        try:
            _token, key = services.calendar_link_create(actor=request.user, scope=scope, object_id=object_id)
            new_links = _links(key)
        except ValidationError as refusal:
            messages.error(request, refusal_text(refusal))
    links = request.user.calendar_feed_tokens.filter(revoked_at__isnull=True).order_by("-created_at")
    if feed is not None:
        links = links.filter(scope=scope, object_id=object_id)
    context = {"feed": feed, "feed_arg": feed_arg, "links": links, "new_links": new_links}
    response = render(request, "core/calendar_subscribe.html", context)
    # A new key is on this page (and in the Google link): no click may carry the page to another
    # site. "same-origin", not "no-referrer": under no-referrer Chromium sends `Origin: null` with
    # the page's own forms, which Django's CSRF check refuses.
    response["Referrer-Policy"] = "same-origin"
    if new_links:
        add_never_cache_headers(response)  # the key is on this page once; keep it out of caches
    return response
