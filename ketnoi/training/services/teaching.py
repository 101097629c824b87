"""Every write about co-teaching: courses, campuses, semesters, topics and classes (coordinators),
learners, the periods commitment on an activity, teaching sessions with their lecturers and
attendance (coordinators and lecturers), and the lecture evaluation of a session.

Keyword arguments, one transaction each, an audit entry, the object returned. A refusal is a
ValidationError naming the field, raised before anything is written.

A session's periods must fit its time: periods × the course's period length may exceed the time
between start and end by at most BREAK_ALLOWANCE_MINUTES. Schedules round to the quarter hour
and a short break is sometimes taken out of a period rather than between two, so 3 periods of
45 minutes (135) fit 7:30–9:30 (120) but not 7:30–9:15 (105)."""

from datetime import date, datetime, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketnoi.core.audit import audit_record, diff, snapshot
from ketnoi.directory.models import Person, PersonImport, Province
from ketnoi.directory.services import people_import_resolve
from ketnoi.programmes.access import can_plan, can_report
from ketnoi.programmes.models import Activity, Programme

from ..models import (
    Attendance,
    Campus,
    Commitment,
    Course,
    Enrolment,
    MaterialVersion,
    Semester,
    SessionLecturer,
    TeachingSession,
    Topic,
    TrainingClass,
)

BREAK_ALLOWANCE_MINUTES = 15
MAX_PERIODS = 12

COURSE_FIELDS = ("name", "code", "host", "period_minutes")
CAMPUS_FIELDS = ("name", "province")
SEMESTER_FIELDS = ("name", "starts_on", "ends_on")
TOPIC_FIELDS = ("title", "position")
CLASS_FIELDS = ("campus", "semester", "code", "learners_expected")
SESSION_FIELDS = ("date", "starts_at", "ends_at", "periods", "topic", "status", "note")


def _require_plan(actor, programme: Programme) -> None:
    if not can_plan(actor, programme):
        raise PermissionDenied(_("Chỉ điều phối viên của chương trình mới làm được việc này."))


def _require_report(actor, programme: Programme) -> None:
    if not can_report(actor, programme):
        raise PermissionDenied(_("Chỉ điều phối viên và giảng viên của chương trình mới ghi được buổi giảng."))


def _check_fields(name: str, changes: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise TypeError(f"{name}: unknown fields {sorted(unknown)}")


def _full_clean(instance, exclude: list[str]) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        raise ValidationError(error.message_dict) from None


def _update(instance, changes: dict, validate, *, actor, action: str):
    before = snapshot(instance, list(changes))
    for name, value in changes.items():
        setattr(instance, name, value)
    validate(instance)
    instance.save()
    audit_record(actor=actor, action=action, obj=instance, changes=diff(before, instance))
    return instance


# Courses, campuses, semesters, topics ---------------------------------------------------------


def _validate_course(course: Course) -> None:
    course.name = (course.name or "").strip()
    course.code = (course.code or "").strip()
    if not course.name:
        raise ValidationError({"name": _("Hãy đặt tên cho khoá học.")})
    _full_clean(course, ["programme", "host", "created_by", "updated_by"])


@transaction.atomic
def course_create(*, actor, programme: Programme, name: str, code: str = "", host=None, period_minutes: int = 45):
    _require_plan(actor, programme)
    course = Course(
        programme=programme, name=name, code=code, host=host, period_minutes=period_minutes, created_by=actor
    )
    course.updated_by = actor
    _validate_course(course)
    course.save()
    audit_record(
        actor=actor, action="training.course_create", obj=course, changes=snapshot(course, list(COURSE_FIELDS))
    )
    return course


@transaction.atomic
def course_update(*, actor, course: Course, **changes) -> Course:
    _require_plan(actor, course.programme)
    _check_fields("course_update", changes, COURSE_FIELDS)
    course = Course.objects.select_for_update().get(pk=course.pk)
    course.updated_by = actor
    return _update(course, changes, _validate_course, actor=actor, action="training.course_update")


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
    campus.save()
    audit_record(
        actor=actor, action="training.campus_create", obj=campus, changes=snapshot(campus, list(CAMPUS_FIELDS))
    )
    return campus


@transaction.atomic
def campus_update(*, actor, campus: Campus, **changes) -> Campus:
    _require_plan(actor, campus.programme)
    _check_fields("campus_update", changes, CAMPUS_FIELDS)
    return _update(campus, changes, _validate_campus, actor=actor, action="training.campus_update")


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
    semester.save()
    audit_record(
        actor=actor, action="training.semester_create", obj=semester, changes=snapshot(semester, list(SEMESTER_FIELDS))
    )
    return semester


@transaction.atomic
def semester_update(*, actor, semester: Semester, **changes) -> Semester:
    _require_plan(actor, semester.programme)
    _check_fields("semester_update", changes, SEMESTER_FIELDS)
    return _update(semester, changes, _validate_semester, actor=actor, action="training.semester_update")


def _validate_topic(topic: Topic) -> None:
    topic.title = (topic.title or "").strip()
    if not topic.title:
        raise ValidationError({"title": _("Hãy nhập tên chủ đề.")})
    _full_clean(topic, ["course"])


@transaction.atomic
def topic_create(*, actor, course: Course, title: str, position: int = 0) -> Topic:
    _require_plan(actor, course.programme)
    topic = Topic(course=course, title=title, position=position)
    _validate_topic(topic)
    topic.save()
    audit_record(actor=actor, action="training.topic_create", obj=topic, changes=snapshot(topic, list(TOPIC_FIELDS)))
    return topic


@transaction.atomic
def topic_update(*, actor, topic: Topic, **changes) -> Topic:
    _require_plan(actor, topic.course.programme)
    _check_fields("topic_update", changes, TOPIC_FIELDS)
    return _update(topic, changes, _validate_topic, actor=actor, action="training.topic_update")


# Classes and learners -------------------------------------------------------------------------


def _validate_class(training_class: TrainingClass) -> None:
    training_class.code = (training_class.code or "").strip()
    programme_id = training_class.course.programme_id
    errors = {}
    if not training_class.code:
        errors["code"] = _("Hãy nhập mã lớp.")
    if training_class.campus_id is None or training_class.campus.programme_id != programme_id:
        errors["campus"] = _("Hãy chọn một cơ sở đào tạo của chương trình này.")
    if training_class.semester_id is None or training_class.semester.programme_id != programme_id:
        errors["semester"] = _("Hãy chọn một học kỳ của chương trình này.")
    if (
        training_class.code
        and training_class.semester_id
        and TrainingClass.objects.filter(
            course=training_class.course, semester_id=training_class.semester_id, code=training_class.code
        )
        .exclude(pk=training_class.pk)
        .exists()
    ):
        errors["code"] = _("Khoá học đã có lớp mã này trong học kỳ này.")
    if errors:
        raise ValidationError(errors)
    if training_class.pk and "semester" in getattr(training_class, "_changed", ()):
        semester = training_class.semester
        if training_class.sessions.exclude(date__range=(semester.starts_on, semester.ends_on)).exists():
            raise ValidationError(
                {"semester": _("Có buổi giảng của lớp nằm ngoài học kỳ mới; hãy sửa các buổi đó trước.")}
            )
    _full_clean(training_class, ["course", "campus", "semester", "created_by", "updated_by"])


@transaction.atomic
def class_create(
    *, actor, course: Course, campus: Campus, semester: Semester, code: str, learners_expected: int = 0
) -> TrainingClass:
    _require_plan(actor, course.programme)
    training_class = TrainingClass(
        course=course,
        campus=campus,
        semester=semester,
        code=code,
        learners_expected=learners_expected,
        created_by=actor,
        updated_by=actor,
    )
    _validate_class(training_class)
    training_class.save()
    audit_record(
        actor=actor,
        action="training.class_create",
        obj=training_class,
        changes=snapshot(training_class, list(CLASS_FIELDS)),
    )
    return training_class


@transaction.atomic
def class_update(*, actor, training_class: TrainingClass, **changes) -> TrainingClass:
    _require_plan(actor, training_class.course.programme)
    _check_fields("class_update", changes, CLASS_FIELDS)
    training_class = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
    training_class.updated_by = actor
    training_class._changed = set(changes)
    return _update(training_class, changes, _validate_class, actor=actor, action="training.class_update")


@transaction.atomic
def learners_enrol(*, actor, training_class: TrainingClass, people: list[Person]) -> list[Enrolment]:
    """Add directory people to the class; people already enrolled are left as they are.
    Returns the new enrolments."""
    _require_plan(actor, training_class.course.programme)
    wanted = {p.pk: p for p in people}
    already = set(training_class.enrolments.filter(person_id__in=wanted).values_list("person_id", flat=True))
    created = Enrolment.objects.bulk_create(
        [Enrolment(training_class=training_class, person=p) for pk, p in wanted.items() if pk not in already]
    )
    if created:
        audit_record(
            actor=actor,
            action="training.learners_enrol",
            obj=training_class,
            changes={"people": [e.person_id for e in created]},
        )
    return created


def learners_enrol_ids(*, actor, training_class: TrainingClass, person_ids: list[int]) -> list[Enrolment]:
    """Enrol from a list of directory ids; an id that names nobody refuses the whole list."""
    try:
        ids = {int(i) for i in person_ids}
    except (TypeError, ValueError):
        raise ValidationError({"people": _("Danh sách học viên chỉ gồm mã số cá nhân trong danh bạ.")}) from None
    people = list(Person.objects.filter(pk__in=ids))
    missing = ids - {p.pk for p in people}
    if missing:
        raise ValidationError(
            {"people": _("Không có trong danh bạ: %(ids)s.") % {"ids": ", ".join(str(i) for i in sorted(missing))}}
        )
    return learners_enrol(actor=actor, training_class=training_class, people=people)


@transaction.atomic
def learners_from_import(*, actor, training_class: TrainingClass, person_import: PersonImport) -> list[Enrolment]:
    """Enrol everyone on an uploaded list (the directory's import: new people added, people
    already in the directory matched, rows with errors left out)."""
    _require_plan(actor, training_class.course.programme)
    people = people_import_resolve(actor=actor, person_import=person_import)
    return learners_enrol(actor=actor, training_class=training_class, people=people)


@transaction.atomic
def learner_remove(*, actor, training_class: TrainingClass, person: Person) -> None:
    """Take a learner out of the class. Attendance already recorded stays (it happened)."""
    _require_plan(actor, training_class.course.programme)
    deleted, _rows = Enrolment.objects.filter(training_class=training_class, person=person).delete()
    if deleted:
        audit_record(actor=actor, action="training.learner_remove", obj=training_class, changes={"person": person})


# The commitment -------------------------------------------------------------------------------


@transaction.atomic
def commitment_set(*, actor, activity: Activity, course: Course, periods: int = 10) -> Commitment:
    """The periods an activity promises per semester, per class, per campus of one course.
    One commitment per activity, and one per course (the compliance table compares each class
    with exactly one number)."""
    _require_plan(actor, course.programme)
    errors = {}
    if activity.programme_id != course.programme_id:
        errors["activity"] = _("Hãy chọn một hoạt động của chính chương trình này.")
    if not isinstance(periods, int) or periods < 1 or periods > 200:
        errors["periods"] = _("Số tiết cam kết phải là số nguyên từ 1 đến 200.")
    if Commitment.objects.filter(course=course).exclude(activity=activity).exists():
        errors["course"] = _("Khoá học này đã có cam kết số tiết trên một hoạt động khác.")
    if errors:
        raise ValidationError(errors)
    commitment = Commitment.objects.select_for_update().filter(activity=activity).first()
    before = snapshot(commitment, ["course", "periods"]) if commitment else {"course": None, "periods": None}
    if commitment is None:
        commitment = Commitment(activity=activity)
    commitment.course = course
    commitment.periods = periods
    commitment.save()
    audit_record(actor=actor, action="training.commitment_set", obj=commitment, changes=diff(before, commitment))
    return commitment


# Teaching sessions ----------------------------------------------------------------------------


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
        actor=actor, action="training.session_record", obj=session, changes=_session_changes(session, lecturers)
    )
    return session


@transaction.atomic
def session_update(
    *, actor, session: TeachingSession, lecturers: list[tuple[Person, str]] | None = None, materials=None, **changes
) -> TeachingSession:
    """Change a session; `lecturers` (when given) replaces the whole list, each organisation
    snapshotted again. Marking a session delivered needs a lead lecturer, given or already there."""
    _require_report(actor, session.training_class.course.programme)
    _check_fields("session_update", changes, SESSION_FIELDS)
    session = (
        TeachingSession.objects.select_for_update(of=("self",))
        .select_related("training_class__course", "training_class__semester")
        .get(pk=session.pk)
    )
    before = snapshot(session, list(changes))
    for name, value in changes.items():
        setattr(session, name, value.strip() if name == "note" and isinstance(value, str) else value)
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
    audit_record(actor=actor, action="training.session_update", obj=session, changes=audit_changes)
    return session


# Attendance -----------------------------------------------------------------------------------


@transaction.atomic
def attendance_record(*, actor, session: TeachingSession, marks: dict[int, str]) -> list[Attendance]:
    """Record or change the status of enrolled learners at one session, all or nothing.
    Learners not in `marks` keep what they had (or stay unmarked)."""
    _require_report(actor, session.training_class.course.programme)
    session = (
        TeachingSession.objects.select_for_update(of=("self",)).select_related("training_class").get(pk=session.pk)
    )
    if session.status == TeachingSession.Status.CANCELLED:
        raise ValidationError({"session": _("Buổi giảng đã huỷ: không điểm danh được.")})
    if session.status == TeachingSession.Status.PLANNED and session.date > timezone.localdate():
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
            action="training.attendance_record",
            obj=session,
            changes={"marks": {str(a.person_id): a.status for a in new + changed}},
        )
    return list(Attendance.objects.filter(session=session).order_by("person_id"))


# Lecture evaluation ---------------------------------------------------------------------------

LECTURE_FORM = "lecture"


def _lecture_form(actor, programme: Programme):
    from django.db.models import Q
    from django.utils.text import slugify

    from ketnoi.core.text import fold
    from ketnoi.surveys import services as survey_services
    from ketnoi.surveys.definition import label
    from ketnoi.surveys.models import Form
    from ketnoi.surveys.ready_forms import ready_form

    definition = ready_form(LECTURE_FORM)
    title = label(definition.get("title"), "vi")
    code = slugify(fold(title))[:50]
    found = Form.objects.filter(programme=programme).filter(Q(code=code) | Q(title=title)).order_by("pk").first()
    if found is not None:
        return found
    from ketnoi.surveys.access import can_design

    if not can_design(actor, programme):
        # Making a programme's form is a coordinator's job (surveys.access); a lecturer uses it.
        raise ValidationError(
            {
                "session": _(
                    "Chương trình chưa có phiếu đánh giá bài giảng. Hãy nhờ điều phối viên mở phiếu lần đầu "
                    "(từ mẫu có sẵn), sau đó giảng viên tự mở được cho từng buổi."
                )
            }
        )
    return survey_services.form_create(actor=actor, programme=programme, definition=definition)


@transaction.atomic
def session_evaluation_open(*, actor, session: TeachingSession):
    """Open the lecture evaluation for this session once and remember it on the session; a
    session whose evaluation is open already gets that collection back."""
    from ketnoi.surveys import services as survey_services
    from ketnoi.surveys.models import Collection

    programme = session.training_class.course.programme
    _require_report(actor, programme)
    session = (
        TeachingSession.objects.select_for_update(of=("self",))
        .select_related("training_class__campus", "training_class__semester", "topic")
        .get(pk=session.pk)
    )
    if session.evaluation_collection_id:
        existing = Collection.objects.filter(pk=session.evaluation_collection_id, form__programme=programme).first()
        if existing is not None:
            return existing
    if session.status == TeachingSession.Status.CANCELLED:
        raise ValidationError({"session": _("Buổi giảng đã huỷ: không mở phiếu đánh giá.")})
    training_class = session.training_class
    # "lead" sorts after "co_teacher": descending puts the lead lecturers first.
    lecturers = session.lecturers.select_related("person").order_by("-role", "id")
    lead_names = ", ".join(lecturer.person.full_name for lecturer in lecturers)
    label_text = f"{training_class.code} {session.date:%d/%m/%Y}"
    collection = survey_services.collection_open(
        actor=actor,
        form=_lecture_form(actor, programme),
        title=_("Đánh giá bài giảng: %(label)s") % {"label": label_text},
        target=session,
        target_label=label_text + (f" – {session.topic.title}" if session.topic_id else ""),
        context={
            "class": training_class.code,
            "campus": training_class.campus.name,
            "semester": training_class.semester.name,
            "lecturer": lead_names,
            "session": f"{session.date:%d/%m/%Y} {session.starts_at:%H:%M}",
        },
    )
    before = session.evaluation_collection_id
    TeachingSession.objects.filter(pk=session.pk).update(
        evaluation_collection_id=collection.pk, updated_by=actor, updated_at=timezone.now()
    )
    session.evaluation_collection_id = collection.pk
    audit_record(
        actor=actor,
        action="training.session_update",
        obj=session,
        changes={"evaluation_collection_id": [before, collection.pk]},
    )
    return collection
