"""The commitment arithmetic (ketnoi/training/queries.py): planned against delivered per class,
semester and campus; cancelled sessions; several lecturers; a changed period length."""

from datetime import date, time

import pytest

from ketnoi.training import services
from ketnoi.training.models import SessionLecturer
from ketnoi.training.queries import compliance

from .factories import CANCELLED, PLANNED, record

MARCH = date(2026, 3, 10)
LEAD = SessionLecturer.Role.LEAD
CO = SessionLecturer.Role.CO_TEACHER


@pytest.fixture
def committed(coordinator, activity, course):
    return services.commitment_set(actor=coordinator, activity=activity, course=course, periods=10)


def by_code(rows):
    return {(r.training_class.code, r.semester.name): r for r in rows}


def test_planned_delivered_remaining_per_class(coordinator, committed, klass, lead, co_teacher):
    record(coordinator, klass, periods=3, lecturers=[(lead, LEAD), (co_teacher, CO)])  # two lecturers, counted once
    record(coordinator, klass, periods=2, day=date(2026, 3, 9), lecturers=[(lead, LEAD)], ends_at=time(9, 0))
    record(coordinator, klass, periods=3, day=date(2026, 4, 1), status=PLANNED)
    record(coordinator, klass, periods=3, day=date(2026, 4, 8), status=CANCELLED)
    (row,) = compliance(klass.course.programme, today=MARCH)
    assert (row.committed, row.delivered, row.planned, row.remaining) == (10, 5, 3, 5)
    assert row.behind  # 5 delivered + 3 planned < 10
    assert row.colour == "red"
    record(coordinator, klass, periods=2, day=date(2026, 4, 15), status=PLANNED, ends_at=time(9, 0))
    (row,) = compliance(klass.course.programme, today=MARCH)
    assert not row.behind and row.colour == "amber"


def test_sessions_across_semesters_and_campuses(coordinator, committed, course, klass, campus_hcm, semester2, lead):
    hcm = services.class_create(
        actor=coordinator, course=course, campus=campus_hcm, semester=klass.semester, code="HCM01"
    )
    later = services.class_create(
        actor=coordinator, course=course, campus=klass.campus, semester=semester2, code="HN01"
    )
    for day in (date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)):
        record(coordinator, klass, day=day, periods=4, ends_at=time(10, 30), lecturers=[(lead, LEAD)])
    record(coordinator, hcm, periods=3, lecturers=[(lead, LEAD)])
    record(coordinator, later, day=date(2026, 9, 1), periods=3, status=PLANNED)
    rows = compliance(klass.course.programme, today=MARCH)
    found = by_code(rows)
    assert found[("HN01", "HK1 2026")].delivered == 12
    assert found[("HN01", "HK1 2026")].remaining == 0
    assert found[("HN01", "HK1 2026")].colour == "green"
    assert found[("HCM01", "HK1 2026")].delivered == 3
    assert found[("HN01", "HK2 2026")].delivered == 0 and found[("HN01", "HK2 2026")].planned == 3
    # behind first (HCM01 7 remaining, HN01 HK2 10 remaining: most remaining first), the green one last
    assert [r.training_class.code for r in rows][-1] == "HN01" and rows[-1].semester.name == "HK1 2026"
    assert rows[0].remaining == 10 and rows[0].behind and rows[1].behind


def test_semester_over_short_of_the_commitment_is_behind(coordinator, committed, klass, lead):
    record(coordinator, klass, periods=3, lecturers=[(lead, LEAD)])
    record(coordinator, klass, periods=3, day=date(2026, 6, 1), status=PLANNED)
    (row,) = compliance(klass.course.programme, today=MARCH)
    assert row.behind  # 3 + 3 < 10
    record(coordinator, klass, periods=4, day=date(2026, 6, 2), status=PLANNED, ends_at=time(10, 30))
    assert not compliance(klass.course.programme, today=MARCH)[0].behind
    # the semester ended with only 3 delivered
    assert compliance(klass.course.programme, today=date(2026, 7, 10))[0].behind


def test_changed_period_length_keeps_recorded_periods(coordinator, committed, course, klass, lead):
    record(coordinator, klass, periods=3, lecturers=[(lead, LEAD)])
    services.course_update(actor=coordinator, course=course, period_minutes=30)
    record(coordinator, klass, periods=5, day=date(2026, 3, 3), lecturers=[(lead, LEAD)])  # 150 min in 7:30–10:00
    assert compliance(klass.course.programme, today=MARCH)[0].delivered == 8


def test_cancelling_a_delivered_session_takes_its_periods_out(coordinator, committed, klass, lead):
    session = record(coordinator, klass, periods=3, lecturers=[(lead, LEAD)])
    services.session_update(actor=coordinator, session=session, status=CANCELLED)
    row = compliance(klass.course.programme, today=MARCH)[0]
    assert (row.delivered, row.planned) == (0, 0)


def test_classes_of_an_uncommitted_course_left_out(coordinator, prog, klass):
    assert compliance(prog) == []


def test_compliance_query_count_does_not_grow(coordinator, committed, course, klass, lead, django_assert_num_queries):
    for day in range(2, 12):
        record(coordinator, klass, day=date(2026, 3, day), periods=1, lecturers=[(lead, LEAD)])
    with django_assert_num_queries(1):
        compliance(klass.course.programme, today=MARCH)
