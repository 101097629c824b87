"""Merging two directory people who were both marked at one session keeps the mark that says
they were there; every other mark and enrolment moves to the kept person."""

import pytest

from ketnoi.directory.services import person_merge
from ketnoi.training import services
from ketnoi.training.models import Attendance, Enrolment, SessionLecturer

from .factories import record

LEAD = SessionLecturer.Role.LEAD


@pytest.fixture
def session(lecturer, klass, lead, enrolled):
    return record(lecturer, klass, lecturers=[(lead, LEAD)])


@pytest.mark.parametrize(
    ("kept_mark", "removed_mark", "expected"),
    [("absent", "present", "present"), ("late", "absent", "late"), ("excused", "late", "late")],
)
def test_the_stronger_mark_stays(coordinator, lecturer, session, enrolled, kept_mark, removed_mark, expected):
    keep, remove = enrolled[0], enrolled[1]
    services.attendance_record(actor=lecturer, session=session, marks={keep.pk: kept_mark, remove.pk: removed_mark})
    person_merge(actor=coordinator, keep=keep, remove=remove)
    assert list(Attendance.objects.filter(session=session, person=keep).values_list("status", flat=True)) == [expected]
    assert Enrolment.objects.filter(person=keep).count() == 1  # the duplicate enrolment folded into one
    assert not Attendance.objects.filter(person_id=remove.pk).exists()
