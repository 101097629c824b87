"""Account security pages: the password-reset request (rate-limited), the two-factor
enrolment page ("Bảo mật tài khoản") and the second login step."""

from base64 import b32encode

import django_otp
import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_static.models import StaticDevice

from . import services
from .login_guard import lift_account_lockout, password_reset_allowed
from .requests import client_ip
from .services.two_factor import confirmed_app_device, recovery_codes_left
from .two_factor import forget_state, must_use_two_factor


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's reset request, sending nothing once the e-mail address or the client address
    has had its hourly share. The page that follows is the same either way, so it tells no one
    whether the account exists or the limit was reached."""

    def form_valid(self, form):
        if password_reset_allowed(email=form.cleaned_data["email"], client_address=client_ip(self.request)):
            return super().form_valid(form)
        return redirect(self.get_success_url())


class LockLiftingPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Setting a new password through the e-mailed link also ends the account's login lockout."""

    def form_valid(self, form):
        response = super().form_valid(form)
        lift_account_lockout(form.user)
        return response


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second login step: a code from the authenticator app, or a recovery code."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    if confirmed_app_device(request.user) is None:
        return redirect("account_security")
    error = None
    if request.method == "POST":
        try:
            device = services.two_factor_verify(actor=request.user, token=request.POST.get("token", ""))
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            if device is not None:
                django_otp.login(request, device)
                forget_state(request)
                if recovery_codes_left(request.user) <= 3 and isinstance(device, StaticDevice):
                    messages.warning(
                        request,
                        _("Bạn còn %(count)s mã khôi phục. Hãy tạo mã mới trong trang Bảo mật tài khoản.")
                        % {"count": recovery_codes_left(request.user)},
                    )
                return redirect(_next_url(request))
            error = _("Mã không đúng. Hãy nhập mã 6 chữ số đang hiện trong ứng dụng xác thực, hoặc một mã khôi phục.")
    return render(request, "core/two_factor_verify.html", {"error": error, "next": _next_url(request)})


def _qr_svg(device) -> str:
    # segno writes the SVG itself (no image service, no CDN); inline so the page needs no extra request.
    return mark_safe(segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#000", light="#fff"))  # noqa: S308


@login_required
@require_http_methods(["GET", "POST"])
def account_security(request: HttpRequest) -> HttpResponse:
    """Turn two-factor sign-in on (scan, confirm a code, keep the recovery codes), make new
    recovery codes, or turn it off with a current code."""
    user = request.user
    enrolled = confirmed_app_device(user) is not None
    if enrolled and not user.is_verified():
        return redirect("two_factor_verify")
    action = request.POST.get("action") if request.method == "POST" else None
    context = {"required": must_use_two_factor(user), "next": request.POST.get("next") or request.GET.get("next", "")}
    error = None
    codes = None
    try:
        if action == "confirm" and not enrolled:
            codes = services.two_factor_enrol_confirm(actor=user, token=request.POST.get("token", ""))
            if codes is None:
                error = _("Mã không đúng. Hãy nhập mã 6 chữ số đang hiện trong ứng dụng, trước khi nó đổi.")
            else:
                django_otp.login(request, confirmed_app_device(user))
                forget_state(request)
                enrolled = True
        elif action == "regenerate" and enrolled:
            codes = services.two_factor_recovery_codes_regenerate(actor=user)
        elif action == "disable" and enrolled:
            if services.two_factor_disable(actor=user, token=request.POST.get("token", "")):
                forget_state(request)
                messages.success(request, _("Đã tắt đăng nhập hai bước."))
                return redirect("account_security")
            error = _("Mã không đúng: để tắt đăng nhập hai bước, hãy nhập mã đang hiện trong ứng dụng.")
    except ValidationError as refusal:
        error = " ".join(refusal.messages)
    if not enrolled:
        device = services.two_factor_enrol_start(actor=user)
        context.update(qr_svg=_qr_svg(device), secret=b32encode(device.bin_key).decode())
    context.update(
        enrolled=enrolled,
        codes=codes,
        error=error,
        codes_left=recovery_codes_left(user) if enrolled else 0,
        next_url=_next_url(request),
    )
    return render(request, "core/account_security.html", context)
