"""Helpers every programme service shares: permission gates, date rules, numbering. Fields are
applied with `ketnoi.core.writes.apply_fields(..., clean_text=normalise_line)`: one-line values
have their spaces collapsed, as the programme pages always did."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from .. import access
from ..models import Programme

# Fields the services fill themselves; model validation must not ask the caller for them.
AUTOMATIC = ["created_by", "updated_by"]


def require_planner(actor, programme: Programme) -> None:
    if not access.can_view(actor, programme):
        # Out of sight reads as "not found" everywhere, services included.
        raise PermissionDenied(_("Bạn không có quyền truy cập chương trình này."))
    if not access.can_plan(actor, programme):
        raise PermissionDenied(
            _("Chỉ điều phối viên của chương trình mới được thay đổi kế hoạch. Hãy liên hệ điều phối viên.")
        )


def check_dates(start: date | None, end: date | None, *, end_field: str = "end_date") -> None:
    if start and end and end < start:
        raise ValidationError(
            {
                end_field: _("Ngày kết thúc (%(end)s) phải sau hoặc trùng ngày bắt đầu (%(start)s).")
                % {"end": end.strftime("%d/%m/%Y"), "start": start.strftime("%d/%m/%Y")}
            }
        )


def check_same_programme(programme: Programme, **related: models.Model | None) -> None:
    """Objectives, activities, components and agreements only link within one programme."""
    for field, obj in related.items():
        if obj is not None and obj.programme_id != programme.pk:
            raise ValidationError({field: _("“%(name)s” thuộc chương trình khác.") % {"name": obj}})


def require_text(value: str, field: str, message: str) -> None:
    if not (value or "").strip():
        raise ValidationError({field: message})


def next_number(queryset) -> int:
    last = queryset.aggregate(models.Max("number"))["number__max"]
    return (last or 0) + 1
