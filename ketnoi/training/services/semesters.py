"""Semesters (coordinators): a programme's named terms; every class's sessions fall inside its
semester."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ketnoi.core.writes import save_changed, save_created
from ketnoi.programmes.models import Programme

from ..models import Semester, TeachingSession
from .actions import TrainingAction
from .common import _require_plan

SEMESTER_FIELDS = ("name", "starts_on", "ends_on")


def _validate_semester(semester: Semester) -> None:
    semester.name = (semester.name or "").strip()
    errors = {}
    if not semester.name:
        errors["name"] = _("Hãy đặt tên cho học kỳ.")
    if not semester.starts_on:
        errors["starts_on"] = _("Hãy nhập ngày bắt đầu học kỳ.")
    if not semester.ends_on:
        errors["ends_on"] = _("Hãy nhập ngày kết thúc học kỳ.")
    elif semester.starts_on and semester.ends_on < semester.starts_on:
        errors["ends_on"] = _("Ngày kết thúc học kỳ phải sau ngày bắt đầu.")
    if Semester.objects.filter(programme=semester.programme, name=semester.name).exclude(pk=semester.pk).exists():
        errors["name"] = _("Chương trình đã có học kỳ tên này.")
    if errors:
        raise ValidationError(errors)
    if semester.pk:
        outside = TeachingSession.objects.filter(training_class__semester=semester).exclude(
            date__range=(semester.starts_on, semester.ends_on)
        )
        if outside.exists():
            raise ValidationError(
                {"starts_on": _("Có buổi giảng nằm ngoài khoảng ngày mới của học kỳ; hãy sửa các buổi đó trước.")}
            )


@transaction.atomic
def semester_create(*, actor, programme: Programme, name: str, starts_on: date, ends_on: date) -> Semester:
    _require_plan(actor, programme)
    semester = Semester(programme=programme, name=name, starts_on=starts_on, ends_on=ends_on)
    _validate_semester(semester)
    return save_created(semester, actor=actor, action=TrainingAction.SEMESTER_CREATE, fields=SEMESTER_FIELDS)


@transaction.atomic
def semester_update(*, actor, semester: Semester, **changes) -> Semester:
    _require_plan(actor, semester.programme)
    return save_changed(
        semester,
        changes,
        actor=actor,
        action=TrainingAction.SEMESTER_UPDATE,
        allowed=SEMESTER_FIELDS,
        validate=_validate_semester,
        audit="given",
    )
