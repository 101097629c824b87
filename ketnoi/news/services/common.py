"""What the news services share: the coordinator's permission check."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from ketnoi.programmes.models import Programme

from .. import access


def _require_manager(actor, programme: Programme) -> None:
    if not access.can_manage(actor, programme):
        raise PermissionDenied(_("Chỉ điều phối viên của chương trình mới được quản lý tin bài."))
