from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import services


def healthz(request: HttpRequest) -> JsonResponse:
    """For a load balancer: the app answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


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
