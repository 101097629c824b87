"""What training holds about a directory person: the classes they enrolled in, their attendance
at sessions and the sessions they taught.

Erasing changes nothing here: these rows hold no text about the person, only links to the
person record, which the directory anonymises in place with the last step of an erasure — so
the periods delivered and the learners reached still count, without a name. A programme's rows
are its own: each is found through its course's programme, and exported only to its stewards.
"""

from ketnoi.core.registry import in_programmes, programmes_of, register_personal_data

from .models import Attendance, Enrolment, SessionLecturer


def _class(training_class) -> dict:
    return {
        "course": training_class.course.name,
        "class": training_class.code,
        "campus": training_class.campus.name,
        "semester": training_class.semester.name,
    }


CLASS_PROGRAMME = "training_class__course__programme"
SESSION_PROGRAMME = "session__training_class__course__programme"


def _rows(person, programmes):
    return (
        in_programmes(Enrolment.objects.filter(person=person), programmes, via=CLASS_PROGRAMME),
        in_programmes(Attendance.objects.filter(person=person), programmes, via=SESSION_PROGRAMME),
        in_programmes(SessionLecturer.objects.filter(person=person), programmes, via=SESSION_PROGRAMME),
    )


def holders(person) -> set[int]:
    enrolments, attendance, lecturing = _rows(person, None)
    return (
        programmes_of(enrolments, via=CLASS_PROGRAMME)
        | programmes_of(attendance, via=SESSION_PROGRAMME)
        | programmes_of(lecturing, via=SESSION_PROGRAMME)
    )


def export(person, *, programmes=None) -> dict:
    enrolments, attendance, lecturing = _rows(person, programmes)
    enrolments = enrolments.select_related(
        "training_class__course", "training_class__campus", "training_class__semester"
    )
    attendance = attendance.select_related(
        "session__training_class__course", "session__training_class__campus", "session__training_class__semester"
    )
    lecturing = lecturing.select_related(
        "session__training_class__course", "session__training_class__campus", "session__training_class__semester"
    )
    return {
        "enrolments": [_class(e.training_class) for e in enrolments.order_by("pk")],
        "attendance": [
            {**_class(a.session.training_class), "date": a.session.date.isoformat(), "status": a.status}
            for a in attendance.order_by("session__date", "pk")
        ],
        "sessions_taught": [
            {**_class(s.session.training_class), "date": s.session.date.isoformat(), "role": s.role}
            for s in lecturing.order_by("session__date", "pk")
        ],
    }


def erase(person, *, programmes=None) -> None:
    """Nothing to blank: see the module's docstring."""


register_personal_data("training", export=export, erase=erase, holders=holders)
