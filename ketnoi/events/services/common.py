"""What the workshop services share: the permission check."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("Chỉ điều phối viên của chương trình mới làm được việc này."))
