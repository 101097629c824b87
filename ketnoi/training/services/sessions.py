"""Teaching sessions (coordinators and lecturers): a class's session on a day, its periods, topic,
lecturers (each with the organisation they came from, snapshotted) and materials.

A session's periods must fit its time: periods × the course's period length may exceed the time
between start and end by at most BREAK_ALLOWANCE_MINUTES. Schedules round to the quarter hour
and a short break is sometimes taken out of a period rather than between two, so 3 periods of
45 minutes (135) fit 7:30–9:30 (120) but not 7:30–9:15 (105)."""

from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ketnoi.core.audit import audit_record, diff, snapshot
from ketnoi.core.writes import apply_fields, locked
from ketnoi.directory.models import Person

from ..models import MaterialVersion, SessionLecturer, TeachingSession, Topic, TrainingClass
from .actions import TrainingAction
from .common import _require_report

BREAK_ALLOWANCE_MINUTES = 15
MAX_PERIODS = 12
SESSION_FIELDS = ("date", "starts_at", "ends_at", "periods", "topic", "status", "note")


def _minutes(start: time, end: time) -> int:
    return (datetime.combine(date.min, end) - datetime.combine(date.min, start)).seconds // 60


def _validate_session(session: TeachingSession, lecturers: list | None) -> None:
    errors = {}
    course = session.training_class.course
    if session.status not in TeachingSession.Status.values:
        errors["status"] = _("Trạng thái buổi giảng không hợp lệ.")
    if not isinstance(session.date, date):
        errors["date"] = _("Hãy nhập ngày giảng (dd/mm/yyyy).")
    else:
        semester = session.training_class.semester
        if not semester.starts_on <= session.date <= semester.ends_on:
            errors["date"] = _("Ngày giảng phải trong học kỳ %(name)s (%(start)s – %(end)s).") % {
                "name": semester.name,
                "start": f"{semester.starts_on:%d/%m/%Y}",
                "end": f"{semester.ends_on:%d/%m/%Y}",
            }
    periods = session.periods
    if not isinstance(periods, int) or isinstance(periods, bool) or not 1 <= periods <= MAX_PERIODS:
        errors["periods"] = _("Số tiết phải từ 1 đến %(max)d.") % {"max": MAX_PERIODS}
        periods = None
    if not isinstance(session.starts_at, time):
        errors["starts_at"] = _("Hãy nhập giờ bắt đầu (HH:MM).")
    elif not isinstance(session.ends_at, time):
        errors["ends_at"] = _("Hãy nhập giờ kết thúc (HH:MM).")
    elif session.ends_at <= session.starts_at:
        errors["ends_at"] = _("Giờ kết thúc phải sau giờ bắt đầu.")
    elif periods:
        available = _minutes(session.starts_at, session.ends_at)
        needed = periods * course.period_minutes
        if needed > available + BREAK_ALLOWANCE_MINUTES:
            errors["periods"] = _(
                "%(periods)d tiết × %(minutes)d phút = %(needed)d phút, nhưng buổi giảng chỉ có %(available)d phút "
                "(cho phép lệch tối đa %(allowance)d phút). Hãy giảm số tiết hoặc sửa giờ."
            ) % {
                "periods": periods,
                "minutes": course.period_minutes,
                "needed": needed,
                "available": available,
                "allowance": BREAK_ALLOWANCE_MINUTES,
            }
    if session.topic_id and session.topic.course_id != course.pk:
        errors["topic"] = _("Hãy chọn một chủ đề của khoá học này.")
    if lecturers is not None:
        roles = SessionLecturer.Role.values
        people = [p.pk for p, _role in lecturers]
        if any(role not in roles for _p, role in lecturers):
            errors["lecturers"] = _("Vai trò giảng viên không hợp lệ.")
        elif len(set(people)) != len(people):
            errors["lecturers"] = _("Mỗi giảng viên chỉ ghi một lần cho một buổi.")
        elif session.status == TeachingSession.Status.DELIVERED and not any(
            role == SessionLecturer.Role.LEAD for _p, role in lecturers
        ):
            errors["lecturers"] = _("Buổi đã dạy cần ít nhất một giảng viên chính.")
    if errors:
        raise ValidationError(errors)


def _set_lecturers(session: TeachingSession, lecturers: list) -> None:
    session.lecturers.all().delete()
    SessionLecturer.objects.bulk_create(
        [
            SessionLecturer(session=session, person=person, role=role, organisation_id=person.organisation_id)
            for person, role in lecturers
        ]
    )


def _set_materials(session: TeachingSession, materials) -> None:
    materials = list(materials)
    programme_id = session.training_class.course.programme_id
    if any(m.material.programme_id != programme_id for m in materials):
        raise ValidationError({"materials": _("Hãy chọn tài liệu của chính chương trình này.")})
    session.materials.set(materials)


def _session_changes(session: TeachingSession, lecturers) -> dict:
    changes = snapshot(session, list(SESSION_FIELDS))
    if lecturers is not None:
        changes["lecturers"] = [[p.pk, role] for p, role in lecturers]
    return changes


@transaction.atomic
def session_record(
    *,
    actor,
    training_class: TrainingClass,
    date: date,
    starts_at: time,
    ends_at: time,
    periods: int,
    topic: Topic | None = None,
    status: str = TeachingSession.Status.PLANNED,
    lecturers: list[tuple[Person, str]] = (),
    note: str = "",
    materials: list[MaterialVersion] = (),
) -> TeachingSession:
    _require_report(actor, training_class.course.programme)
    # read again: the course's period length may have changed since the caller loaded it
    training_class = TrainingClass.objects.select_related("course", "semester").get(pk=training_class.pk)
    lecturers = list(lecturers)
    session = TeachingSession(
        training_class=training_class,
        date=date,
        starts_at=starts_at,
        ends_at=ends_at,
        periods=periods,
        topic=topic,
        status=status,
        note=(note or "").strip(),
        created_by=actor,
        updated_by=actor,
    )
    _validate_session(session, lecturers)
    session.save()
    _set_lecturers(session, lecturers)
    if materials:
        _set_materials(session, materials)
    audit_record(
        actor=actor, action=TrainingAction.SESSION_RECORD, obj=session, changes=_session_changes(session, lecturers)
    )
    return session


@transaction.atomic
def session_update(
    *, actor, session: TeachingSession, lecturers: list[tuple[Person, str]] | None = None, materials=None, **changes
) -> TeachingSession:
    """Change a session; `lecturers` (when given) replaces the whole list, each organisation
    snapshotted again. Marking a session delivered needs a lead lecturer, given or already there."""
    _require_report(actor, session.training_class.course.programme)
    session = locked(session, related=("training_class__course", "training_class__semester"))
    before = snapshot(session, [name for name in changes if name in SESSION_FIELDS])
    apply_fields(session, SESSION_FIELDS, changes)
    lecturers = list(lecturers) if lecturers is not None else None
    check = lecturers
    if check is None:
        check = [(lecturer.person, lecturer.role) for lecturer in session.lecturers.select_related("person")]
    _validate_session(session, check)
    session.updated_by = actor
    session.save()
    audit_changes = diff(before, session)
    if lecturers is not None:
        _set_lecturers(session, lecturers)
        audit_changes["lecturers"] = [[p.pk, role] for p, role in lecturers]
    if materials is not None:
        _set_materials(session, materials)
    audit_record(actor=actor, action=TrainingAction.SESSION_UPDATE, obj=session, changes=audit_changes)
    return session
