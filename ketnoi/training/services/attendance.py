"""Attendance (coordinators and lecturers): the enrolled learners' presence at one session."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketnoi.core.audit import audit_record
from ketnoi.core.writes import locked

from ..models import Attendance, Enrolment, TeachingSession
from .actions import TrainingAction
from .common import _require_report


@transaction.atomic
def attendance_record(*, actor, session: TeachingSession, marks: dict[int, str]) -> list[Attendance]:
    """Record or change the status of enrolled learners at one session, all or nothing.
    Learners not in `marks` keep what they had (or stay unmarked)."""
    _require_report(actor, session.training_class.course.programme)
    session = locked(session, related=("training_class",))
    if session.status == TeachingSession.Status.CANCELLED:
        raise ValidationError({"session": _("Buổi giảng đã huỷ: không điểm danh được.")})
    # Whatever its status: a session recorded "delivered" ahead of its date has not been taught yet.
    if session.date > timezone.localdate():
        raise ValidationError(
            {
                "session": _("Buổi giảng dự kiến ngày %(date)s chưa diễn ra: chưa điểm danh được.")
                % {"date": f"{session.date:%d/%m/%Y}"}
            }
        )
    try:
        marks = {int(k): v for k, v in marks.items()}
    except (TypeError, ValueError):
        raise ValidationError({"marks": _("Điểm danh chỉ gồm mã số học viên.")}) from None
    bad = sorted({v for v in marks.values() if v not in Attendance.Status.values}, key=str)
    if bad:
        raise ValidationError(
            {"marks": _("Trạng thái điểm danh không hợp lệ: %(s)s.") % {"s": ", ".join(map(str, bad))}}
        )
    enrolled = set(
        Enrolment.objects.filter(training_class_id=session.training_class_id, person_id__in=marks).values_list(
            "person_id", flat=True
        )
    )
    strangers = sorted(set(marks) - enrolled)
    if strangers:
        raise ValidationError(
            {"marks": _("Không phải học viên của lớp: %(ids)s.") % {"ids": ", ".join(str(i) for i in strangers)}}
        )
    existing = {a.person_id: a for a in Attendance.objects.filter(session=session, person_id__in=marks)}
    changed, new = [], []
    for person_id, status in marks.items():
        row = existing.get(person_id)
        if row is None:
            new.append(Attendance(session=session, person_id=person_id, status=status, recorded_by=actor))
        elif row.status != status:
            row.status = status
            row.recorded_by = actor
            row.recorded_at = timezone.now()
            changed.append(row)
    Attendance.objects.bulk_create(new)
    if changed:
        Attendance.objects.bulk_update(changed, ["status", "recorded_by", "recorded_at"])
    if new or changed:
        audit_record(
            actor=actor,
            action=TrainingAction.ATTENDANCE_RECORD,
            obj=session,
            changes={"marks": {str(a.person_id): a.status for a in new + changed}},
        )
    return list(Attendance.objects.filter(session=session).order_by("person_id"))
