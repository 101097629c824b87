"""What the workshop services share: the permission check and the workshop row's lock."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from ..models import Workshop


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("Chỉ điều phối viên của chương trình mới làm được việc này."))


def _locked(workshop: Workshop) -> Workshop:
    return Workshop.objects.select_for_update().get(pk=workshop.pk)
