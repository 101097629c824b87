"""Attendance: one transaction, only enrolled learners, refused on cancelled and future sessions;
the rates (present + late attended, excused left out)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ketnoi.directory.models import Person
from ketnoi.training import services
from ketnoi.training.models import Attendance, SessionLecturer
from ketnoi.training.queries import class_rates, learner_rates, session_rate

from .factories import CANCELLED, DELIVERED, PLANNED, record

LEAD = SessionLecturer.Role.LEAD


@pytest.fixture
def session(lecturer, klass, lead, enrolled):
    return record(lecturer, klass, lecturers=[(lead, LEAD)])


def test_marks_recorded_and_changed(lecturer, session, enrolled):
    a, b, c, d, e = enrolled
    services.attendance_record(
        actor=lecturer, session=session, marks={a.pk: "present", b.pk: "late", c.pk: "excused", d.pk: "absent"}
    )
    assert dict(session.attendance.values_list("person_id", "status")) == {
        a.pk: "present",
        b.pk: "late",
        c.pk: "excused",
        d.pk: "absent",
    }
    rows = services.attendance_record(actor=lecturer, session=session, marks={str(d.pk): "present", e.pk: "late"})
    assert len(rows) == 5
    assert Attendance.objects.get(session=session, person=d).status == "present"
    assert Attendance.objects.get(session=session, person=a).status == "present"  # left as it was


def test_stranger_or_bad_status_refuses_everything(lecturer, session, enrolled):
    stranger = Person.objects.create(full_name="Người ngoài")
    with pytest.raises(ValidationError) as refused:
        services.attendance_record(
            actor=lecturer, session=session, marks={enrolled[0].pk: "present", stranger.pk: "present"}
        )
    assert str(stranger.pk) in refused.value.message_dict["marks"][0]
    with pytest.raises(ValidationError):
        services.attendance_record(
            actor=lecturer, session=session, marks={enrolled[0].pk: "present", enrolled[1].pk: "asleep"}
        )
    with pytest.raises(ValidationError):
        services.attendance_record(actor=lecturer, session=session, marks={"abc": "present"})
    assert not Attendance.objects.exists()


def test_refused_on_cancelled_and_future_sessions(coordinator, lecturer, prog, course, campus, lead, people):
    today = timezone.localdate()
    around = services.semester_create(
        actor=coordinator,
        programme=prog,
        name="Học kỳ hiện tại",
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=30),
    )
    klass = services.class_create(actor=coordinator, course=course, campus=campus, semester=around, code="NOW")
    services.learners_enrol(actor=coordinator, training_class=klass, people=people)
    marks = {people[0].pk: "present"}
    cancelled = record(lecturer, klass, day=today, status=CANCELLED)
    with pytest.raises(ValidationError) as refused:
        services.attendance_record(actor=lecturer, session=cancelled, marks=marks)
    assert "huỷ" in refused.value.message_dict["session"][0]
    future = record(lecturer, klass, day=today + timedelta(days=3), status=PLANNED)
    with pytest.raises(ValidationError) as refused:
        services.attendance_record(actor=lecturer, session=future, marks=marks)
    assert "chưa diễn ra" in refused.value.message_dict["session"][0]
    planned_today = record(lecturer, klass, day=today, status=PLANNED)
    assert services.attendance_record(actor=lecturer, session=planned_today, marks=marks)
    assert Attendance.objects.count() == 1


def test_a_future_session_marked_delivered_is_refused_too(coordinator, lecturer, prog, course, campus, lead, people):
    """Issue 13: attendance on a session in the future is refused whatever its status says (a
    session recorded "delivered" ahead of its date took attendance before)."""
    today = timezone.localdate()
    around = services.semester_create(
        actor=coordinator,
        programme=prog,
        name="Học kỳ hiện tại",
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=30),
    )
    klass = services.class_create(actor=coordinator, course=course, campus=campus, semester=around, code="NOW")
    services.learners_enrol(actor=coordinator, training_class=klass, people=people)
    future = record(lecturer, klass, day=today + timedelta(days=8), status=DELIVERED, lecturers=[(lead, "lead")])
    with pytest.raises(ValidationError) as refused:
        services.attendance_record(actor=lecturer, session=future, marks={people[0].pk: "present"})
    assert "chưa diễn ra" in refused.value.message_dict["session"][0]
    assert f"{future.date:%d/%m/%Y}" in refused.value.message_dict["session"][0]
    assert not Attendance.objects.exists()
    delivered_today = record(lecturer, klass, day=today, status=DELIVERED, lecturers=[(lead, "lead")])
    assert services.attendance_record(actor=lecturer, session=delivered_today, marks={people[0].pk: "present"})


@pytest.mark.parametrize("persona", ["viewer", "outsider"])
def test_only_reporters_take_attendance(request, persona, session, enrolled):
    with pytest.raises(PermissionDenied):
        services.attendance_record(
            actor=request.getfixturevalue(persona), session=session, marks={enrolled[0].pk: "present"}
        )


def test_rates(lecturer, klass, lead, session, enrolled):
    a, b, c, d, e = enrolled
    services.attendance_record(
        actor=lecturer, session=session, marks={a.pk: "present", b.pk: "late", c.pk: "excused", d.pk: "absent"}
    )
    second = record(lecturer, klass, day=date(2026, 3, 9), lecturers=[(lead, LEAD)])
    services.attendance_record(actor=lecturer, session=second, marks={a.pk: "absent", b.pk: "present", c.pk: "excused"})
    rates = learner_rates(klass)
    assert (rates[a.pk].attended, rates[a.pk].counted, rates[a.pk].percent) == (1, 2, 50)
    assert rates[b.pk].percent == 100
    assert rates[c.pk].percent is None  # excused twice: nothing counted
    assert rates[d.pk].percent == 0
    assert rates[e.pk].counted == 0  # never marked
    overall = class_rates([klass])[klass.pk]
    assert (overall.attended, overall.counted) == (3, 5)
    assert session_rate(session).percent == pytest.approx(200 / 3)
    # a session cancelled afterwards drops out of the rates
    services.session_update(actor=lecturer, session=second, status=CANCELLED)
    assert learner_rates(klass)[a.pk].percent == 100
    assert session.status == DELIVERED
