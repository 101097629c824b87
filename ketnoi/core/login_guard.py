"""What stands between an attacker and a password: failed logins counted and locked out
(django-axes, configured in settings.py), each failure and lockout in the audit log, and a
limit on password-reset e-mails.

The audit entries name the username tried and the client address, never the password.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from .audit import audit_record
from .ratelimit import cache_key_part, take
from .services.actions import CoreAction


def _audit_target(username: str, request):
    """The account tried, when it exists; else axes' record of the attempts (an unknown name)."""
    user = get_user_model().objects.filter(username=username).first() if username else None
    if user is not None:
        return user
    return (
        AccessAttempt.objects.filter(username=username or None, ip_address=request.axes_ip_address)
        .order_by("-attempt_time")
        .first()
    )


class AuditedAxesHandler(AxesDatabaseHandler):
    """axes' database handler, which also writes core.login_failed and core.login_locked_out."""

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        refused_while_locked = bool(getattr(request, "axes_locked_out", False))
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        # A try made during a lockout was refused before the password was checked and is not
        # counted (the cool-off runs on); not auditing it keeps the log from being flooded.
        if request is None or refused_while_locked:
            return
        username = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD) or (credentials or {}).get("username")
        username = str(username or "")[:150]
        target = _audit_target(username, request)
        if target is None:
            return
        details = {
            "username": username,
            "address": request.axes_ip_address,
            "path": request.axes_path_info,
            "failures": getattr(request, "axes_failures_since_start", None),
        }
        with transaction.atomic():
            audit_record(actor=None, action=CoreAction.LOGIN_FAILED, obj=target, changes=details)
            if getattr(request, "axes_locked_out", False):
                minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
                audit_record(
                    actor=None,
                    action=CoreAction.LOGIN_LOCKED_OUT,
                    obj=target,
                    changes={**details, "cooloff_minutes": minutes},
                )


def lift_account_lockout(user) -> None:
    """A password reset proves the person holds the account's e-mail: its lock ends at once."""
    from axes.utils import reset

    reset(username=user.get_username())


def password_reset_allowed(*, email: str, client_address: str) -> bool:
    """Count one password-reset request against its e-mail address and client address; False
    once either has had its hourly share (settings.PASSWORD_RESET_PER_*_PER_HOUR)."""
    by_email = take(
        f"password-reset:email:{cache_key_part(email.strip().lower())}",
        limit=settings.PASSWORD_RESET_PER_EMAIL_PER_HOUR,
        window_seconds=3600,
    )
    by_client = take(
        f"password-reset:client:{cache_key_part(client_address)}",
        limit=settings.PASSWORD_RESET_PER_CLIENT_PER_HOUR,
        window_seconds=3600,
    )
    return by_email and by_client


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out login gets (429): what happened and what to do, in the reader's language."""
    from django.shortcuts import render

    return render(
        request,
        "registration/lockout.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
        status=429,
    )
