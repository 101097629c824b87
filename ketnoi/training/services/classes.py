"""Classes of a course (coordinators): the campus and semester they are taught in, and their
learners — directory people enrolled one by one, from a list of ids, or from an uploaded list."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ketnoi.core.audit import audit_record
from ketnoi.core.writes import locked, save_changed, save_created
from ketnoi.directory.models import Person, PersonImport
from ketnoi.directory.services import people_import_confirm

from ..models import Campus, Course, Enrolment, Semester, TrainingClass
from .actions import TrainingAction
from .common import _full_clean, _require_plan

CLASS_FIELDS = ("campus", "semester", "code", "learners_expected")


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
    return save_created(training_class, actor=actor, action=TrainingAction.CLASS_CREATE, fields=CLASS_FIELDS)


@transaction.atomic
def class_update(*, actor, training_class: TrainingClass, **changes) -> TrainingClass:
    _require_plan(actor, training_class.course.programme)
    training_class = locked(training_class)
    training_class.updated_by = actor
    training_class._changed = set(changes)
    return save_changed(
        training_class,
        changes,
        actor=actor,
        action=TrainingAction.CLASS_UPDATE,
        allowed=CLASS_FIELDS,
        validate=_validate_class,
        audit="given",
    )


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
            action=TrainingAction.LEARNERS_ENROL,
            obj=training_class,
            changes={"people": [e.person_id for e in created]},
        )
    return created


@transaction.atomic
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


# The directory's confirming task enrols the people of a class list with this (`followups.py`).
ENROL_FROM_LIST = "training.enrol"


@transaction.atomic
def learners_from_import(*, actor, training_class: TrainingClass, person_import: PersonImport) -> PersonImport:
    """Enrol everyone on an uploaded list, in the background: the directory's task adds the new
    people, matches those already in the directory (rows with errors left out), then enrols
    them a batch at a time (`learners_enrol_listed`); the list is "confirming" until done."""
    _require_plan(actor, training_class.course.programme)
    return people_import_confirm(
        actor=actor, person_import=person_import, followup=ENROL_FROM_LIST, target_id=training_class.pk
    )


def learners_enrol_listed(*, actor, target_id: int, people: list[Person]) -> int:
    """A batch of an uploaded class list enrolled (in the task's transaction): the same rules
    and audit entry as `learners_enrol`; returns how many were enrolled (the others already were)."""
    training_class = TrainingClass.objects.select_related("course__programme").filter(pk=target_id).first()
    if training_class is None:
        raise ValidationError(
            _("Lớp học này đã bị xoá: những người còn lại trong danh sách chưa được thêm vào lớp nào.")
        )
    return len(learners_enrol(actor=actor, training_class=training_class, people=people))


@transaction.atomic
def learner_remove(*, actor, training_class: TrainingClass, person: Person) -> None:
    """Take a learner out of the class. Attendance already recorded stays (it happened)."""
    _require_plan(actor, training_class.course.programme)
    deleted, _rows = Enrolment.objects.filter(training_class=training_class, person=person).delete()
    if deleted:
        audit_record(actor=actor, action=TrainingAction.LEARNER_REMOVE, obj=training_class, changes={"person": person})
