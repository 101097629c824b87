from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import services
from .web import paginate


def healthz(request: HttpRequest) -> JsonResponse:
    """For a load balancer: the app answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


THEME_COLOUR = "#1f5f8b"  # the icon's background (scripts/make_icons.py)


@require_http_methods(["GET", "HEAD"])
def web_manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: a phone adds the site to its home screen with its name and icon."""
    icon = {"type": "image/png"}
    manifest = {
        "name": "Kết Nối",
        "short_name": "Kết Nối",
        "description": "Nền tảng quản lý chương trình hợp tác của các tổ chức xã hội.",
        "lang": "vi",
        "dir": "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": "#ffffff",
        "icons": [
            {"src": static("core/icons/favicon.svg"), "type": "image/svg+xml", "sizes": "any"},
            {**icon, "src": static("core/icons/icon-192.png"), "sizes": "192x192"},
            {**icon, "src": static("core/icons/icon-512.png"), "sizes": "512x512"},
            {**icon, "src": static("core/icons/icon-maskable-512.png"), "sizes": "512x512", "purpose": "maskable"},
        ],
    }
    response = JsonResponse(
        manifest, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_http_methods(["GET", "HEAD"])
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers and crawlers ask for /favicon.ico whatever the page says."""
    return HttpResponsePermanentRedirect(static("core/icons/favicon-32.png"))


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    new_key = None
    if request.method == "POST":
        if "revoke" in request.POST:
            services.api_token_revoke(actor=request.user, token_id=request.POST.get("revoke", ""))
            messages.success(request, _("Đã thu hồi mã truy cập."))
            return redirect("api_tokens")
        name = (request.POST.get("name") or "").strip()
        if not name:
            messages.error(request, _("Hãy đặt tên cho mã truy cập, ví dụ: “Bảng tính báo cáo”."))
        else:
            _token, new_key = services.api_token_create(actor=request.user, name=name[:100])
    tokens = request.user.api_tokens.filter(revoked_at__isnull=True).order_by("-created_at")
    return render(request, "core/api_tokens.html", {"tokens": tokens, "new_key": new_key})


@login_required
def mail_undelivered(request: HttpRequest) -> HttpResponse:
    """The e-mails the user's actions caused that could not be delivered (staff: everyone's),
    with why, so that they can reach the person another way."""
    page, query = paginate(request, services.undelivered_for(request.user))
    services.mail_undelivered_seen(actor=request.user)
    return render(request, "core/mail_undelivered.html", {"page": page, "query": query})
