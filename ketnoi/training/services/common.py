"""What the teaching services share: the two permission checks and a model's own validation
with its errors by field."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from ketnoi.programmes.access import can_plan, can_report
from ketnoi.programmes.models import Programme


def _require_plan(actor, programme: Programme) -> None:
    if not can_plan(actor, programme):
        raise PermissionDenied(_("Chỉ điều phối viên của chương trình mới làm được việc này."))


def _require_report(actor, programme: Programme) -> None:
    if not can_report(actor, programme):
        raise PermissionDenied(_("Chỉ điều phối viên và giảng viên của chương trình mới ghi được buổi giảng."))


def _full_clean(instance, exclude: list[str]) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        raise ValidationError(error.message_dict) from None
