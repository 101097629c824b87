"""What training holds about a directory person: the classes they enrolled in, their attendance
at sessions and the sessions they taught.

Erasing changes nothing here: these rows hold no text about the person, only links to the
person record, which the directory anonymises in place — so the periods delivered and the
learners reached still count, without a name.
"""

from ketnoi.core.registry import register_personal_data

from .models import Attendance, Enrolment, SessionLecturer


def _class(training_class) -> dict:
    return {
        "course": training_class.course.name,
        "class": training_class.code,
        "campus": training_class.campus.name,
        "semester": training_class.semester.name,
    }


def export(person) -> dict:
    enrolments = Enrolment.objects.filter(person=person).select_related(
        "training_class__course", "training_class__campus", "training_class__semester"
    )
    attendance = Attendance.objects.filter(person=person).select_related(
        "session__training_class__course", "session__training_class__campus", "session__training_class__semester"
    )
    lecturing = SessionLecturer.objects.filter(person=person).select_related(
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


def erase(person) -> None:
    """Nothing to blank: see the module's docstring."""


register_personal_data("training", export=export, erase=erase)
