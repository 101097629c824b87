"""Two-factor sign-in (django-otp): who must use it, and the middleware that sends them there.

A user must pass the second step in a session when they have enrolled (a confirmed
authenticator app), and must enrol first when a rule says they have to: staff always (the
Django admin), and whoever a higher app's rule names (core.registry.register_two_factor_rule —
programmes: the coordinators of a programme that requires it). Until then every page redirects
to the verify step or the enrolment page, /admin/ included. API calls with a bearer token carry
no session and are not affected; an API call on a session that still owes its second step is
refused (403).

The answer is kept in the session for RECHECK_SECONDS so an ordinary page costs no query; a
programme that starts requiring two-factor sign-in reaches its coordinators' open sessions
within that time.
"""

import time

from django.contrib import messages
from django.http import HttpRequest, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from .registry import two_factor_rules

SESSION_KEY = "ketnoi_two_factor"
RECHECK_SECONDS = 120


def must_use_two_factor(user) -> bool:
    """Staff always; anyone else a registered rule names."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff) or any(rule(user) for rule in two_factor_rules())


def has_two_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def forget_state(request: HttpRequest) -> None:
    """After enrolling or disabling: the next request asks again."""
    request.session.pop(SESSION_KEY, None)


def remember_state(request: HttpRequest, user) -> dict:
    state = {"at": time.time(), "enrolled": has_two_factor(user), "needed": must_use_two_factor(user)}
    request.session[SESSION_KEY] = state
    return state


def on_login(sender, request, user, **kwargs) -> None:
    """Asked at login (connected in CoreConfig.ready), so the pages after it cost no query."""
    if request is not None and hasattr(request, "session"):
        remember_state(request, user)


def _state(request: HttpRequest) -> dict:
    state = request.session.get(SESSION_KEY)
    if not isinstance(state, dict) or time.time() - state.get("at", 0) > RECHECK_SECONDS:
        state = remember_state(request, request.user)
    return state


# Pages a user who still owes the second step may open: the step itself, leaving, the static
# files, the icon and manifest, and the language switch. The enrolment page is open only to
# someone not yet enrolled.
_ALWAYS_OPEN = ("/static/", "/i18n/", "/healthz", "/manifest.webmanifest", "/favicon.ico")


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return self.get_response(request)
        path = request.path_info
        verify_url = reverse("two_factor_verify")
        open_paths = (verify_url, reverse("logout"))
        if path.startswith(_ALWAYS_OPEN) or path in open_paths:
            return self.get_response(request)
        state = _state(request)
        if not (state["enrolled"] or state["needed"]):
            return self.get_response(request)
        if path.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Hãy đăng nhập lại và nhập mã xác minh hai bước, hoặc dùng mã truy cập API.")},
                status=403,
            )
        next_query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        if state["enrolled"]:
            return redirect(f"{verify_url}?{next_query}" if next_query else verify_url)
        security_url = reverse("account_security")
        if path == security_url:
            return self.get_response(request)
        messages.warning(
            request,
            _(
                "Tài khoản của bạn bắt buộc đăng nhập hai bước (quản trị viên, hoặc điều phối viên của "
                "chương trình yêu cầu). Hãy cài một ứng dụng xác thực (ví dụ Google Authenticator, "
                "Aegis, FreeOTP) và quét mã QR dưới đây để tiếp tục."
            ),
        )
        return redirect(f"{security_url}?{next_query}" if next_query else security_url)
