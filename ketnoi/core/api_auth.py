"""API authentication: a personal bearer token, or the browser session (with CSRF).

Who sends neither gets 401 with `WWW-Authenticate: Bearer`, for reads and writes alike: the CSRF
check belongs to a signed-in session only (django-ninja's own session auth checks it first and
answers an anonymous POST with 403 "CSRF check Failed", which tells a script nothing useful).
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.security.session import SessionAuth
from ninja.utils import check_csrf

from .models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        found = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=ApiToken.hash_key(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        # Touch at most once a minute: a busy client must not turn every read into a write.
        now = timezone.now()
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


class SignedInSession(SessionAuth):
    """The signed-in browser session; its CSRF token is checked only when there is one."""

    def __call__(self, request):
        if not request.user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, _("Phiên đăng nhập không kèm mã CSRF: hãy gửi mã API (Bearer) hoặc tải lại trang."))
        return request.user


django_auth = SignedInSession()
api_auth = [TokenAuth(), django_auth]
