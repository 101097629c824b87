"""Campuses (coordinators): where a programme's classes are taught, in a province of the current
34-unit list."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ketnoi.core.writes import save_changed, save_created
from ketnoi.directory.models import Province
from ketnoi.programmes.models import Programme

from ..models import Campus
from .actions import TrainingAction
from .common import _require_plan

CAMPUS_FIELDS = ("name", "province")


def _validate_campus(campus: Campus) -> None:
    campus.name = (campus.name or "").strip()
    if not campus.name:
        raise ValidationError({"name": _("Hãy đặt tên cho cơ sở đào tạo.")})
    if campus.province_id and campus.province.scheme != Province.Scheme.CURRENT:
        raise ValidationError({"province": _("Hãy chọn tỉnh/thành phố theo danh mục 34 đơn vị hiện hành.")})
    if Campus.objects.filter(programme=campus.programme, name=campus.name).exclude(pk=campus.pk).exists():
        raise ValidationError({"name": _("Chương trình đã có cơ sở đào tạo tên này.")})


@transaction.atomic
def campus_create(*, actor, programme: Programme, name: str, province: Province | None = None) -> Campus:
    _require_plan(actor, programme)
    campus = Campus(programme=programme, name=name, province=province)
    _validate_campus(campus)
    return save_created(campus, actor=actor, action=TrainingAction.CAMPUS_CREATE, fields=CAMPUS_FIELDS)


@transaction.atomic
def campus_update(*, actor, campus: Campus, **changes) -> Campus:
    _require_plan(actor, campus.programme)
    return save_changed(
        campus,
        changes,
        actor=actor,
        action=TrainingAction.CAMPUS_UPDATE,
        allowed=CAMPUS_FIELDS,
        validate=_validate_campus,
        audit="given",
    )
