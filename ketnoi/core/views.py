from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import services
from .web import paginate


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


@login_required
def mail_undelivered(request: HttpRequest) -> HttpResponse:
    """The e-mails the user's actions caused that could not be delivered (staff: everyone's),
    with why, so that they can reach the person another way."""
    page, query = paginate(request, services.undelivered_for(request.user))
    services.mail_undelivered_seen(actor=request.user)
    return render(request, "core/mail_undelivered.html", {"page": page, "query": query})
