"""What the surveys services share: the permission check on a programme."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from ketnoi.programmes import access as programme_access
from ketnoi.programmes.models import Programme


def _require(check, actor, programme: Programme, message: str) -> None:
    if not programme_access.can_view(actor, programme):
        raise PermissionDenied(_("Bạn không có quyền truy cập chương trình này."))
    if not check(actor, programme):
        raise PermissionDenied(message)


def _design_denied() -> str:
    return _("Chỉ điều phối viên của chương trình mới được thiết kế biểu mẫu.")
