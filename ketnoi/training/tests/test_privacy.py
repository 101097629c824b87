"""A person's training record in their personal-data export; erasing leaves the rows (the
directory anonymises the person they point at)."""

import json

import pytest

from ketnoi.core.registry import personal_data_handlers
from ketnoi.directory.services import person_erase, person_export
from ketnoi.training import privacy, services
from ketnoi.training.models import Attendance, Enrolment, SessionLecturer

from .factories import record

LEAD = SessionLecturer.Role.LEAD


@pytest.fixture
def session(lecturer, klass, lead, enrolled):
    taught = record(lecturer, klass, lecturers=[(lead, LEAD)])
    services.attendance_record(
        actor=lecturer, session=taught, marks={enrolled[0].pk: "present", enrolled[1].pk: "late"}
    )
    return taught


def test_training_registers_its_handler():
    assert "training" in [handler.name for handler in personal_data_handlers()]


def test_export_holds_the_learners_classes_and_attendance_only(session, enrolled, klass):
    learner, other = enrolled[0], enrolled[1]
    data = privacy.export(learner)
    assert data["enrolments"] == [
        {"course": klass.course.name, "class": klass.code, "campus": klass.campus.name, "semester": klass.semester.name}
    ]
    assert [(row["date"], row["status"]) for row in data["attendance"]] == [(session.date.isoformat(), "present")]
    assert data["sessions_taught"] == []
    assert privacy.export(other)["attendance"][0]["status"] == "late"
    json.dumps(data)


def test_export_holds_the_sessions_a_lecturer_taught(session, lead):
    data = privacy.export(lead)
    assert [(row["date"], row["role"]) for row in data["sessions_taught"]] == [(session.date.isoformat(), LEAD)]
    assert data["enrolments"] == data["attendance"] == []


def test_through_the_directory_export_and_erase(coordinator, session, enrolled):
    learner = enrolled[0]
    assert person_export(actor=coordinator, person=learner)["data"]["training"]["enrolments"]
    person_erase(actor=coordinator, person=learner)
    # The rows stay, so periods delivered and learners reached still count, now without a name.
    assert Enrolment.objects.filter(person=learner).exists()
    assert Attendance.objects.get(person=learner).status == "present"
