"""Fixtures the teaching tests share (imported by each test_teaching_* file): a course with two
campuses, two semesters, classes, learners and a commitment of 10 periods."""

from datetime import date, time

import pytest

from ketnoi.directory.models import Organisation, OrganisationType, Person, Sex
from ketnoi.programmes.models import Activity, Objective
from ketnoi.training import services
from ketnoi.training.models import TeachingSession

DELIVERED = TeachingSession.Status.DELIVERED
PLANNED = TeachingSession.Status.PLANNED
CANCELLED = TeachingSession.Status.CANCELLED


@pytest.fixture
def activity(prog):
    objective = Objective.objects.create(programme=prog, number=1, title="Mục tiêu 1")
    return Activity.objects.create(programme=prog, objective=objective, number=2, title="Đồng giảng dạy")


@pytest.fixture
def course(coordinator, prog):
    return services.course_create(actor=coordinator, programme=prog, name="Thạc sĩ Chính sách công", code="MPP")


@pytest.fixture
def campus(coordinator, prog):
    return services.campus_create(actor=coordinator, programme=prog, name="Hà Nội")


@pytest.fixture
def campus_hcm(coordinator, prog):
    return services.campus_create(actor=coordinator, programme=prog, name="TP. Hồ Chí Minh")


@pytest.fixture
def semester(coordinator, prog):
    return services.semester_create(
        actor=coordinator, programme=prog, name="HK1 2026", starts_on=date(2026, 1, 5), ends_on=date(2026, 6, 30)
    )


@pytest.fixture
def semester2(coordinator, prog):
    return services.semester_create(
        actor=coordinator, programme=prog, name="HK2 2026", starts_on=date(2026, 8, 1), ends_on=date(2026, 12, 31)
    )


@pytest.fixture
def klass(coordinator, course, campus, semester):
    return services.class_create(actor=coordinator, course=course, campus=campus, semester=semester, code="HN01")


@pytest.fixture
def cso(db):
    return Organisation.objects.create(name="Trung tâm MSD", type=OrganisationType.CSO)


@pytest.fixture
def lead(cso):
    return Person.objects.create(full_name="Nguyễn Văn Giảng", sex=Sex.MALE, organisation=cso)


@pytest.fixture
def co_teacher(db):
    state = Organisation.objects.create(name="Viện Lãnh đạo học", type=OrganisationType.STATE_AGENCY)
    return Person.objects.create(full_name="Trần Thị Đồng", sex=Sex.FEMALE, organisation=state)


@pytest.fixture
def people(db):
    state = Organisation.objects.create(name="Sở Nội vụ", type=OrganisationType.STATE_AGENCY)
    return [
        Person.objects.create(full_name=f"Học viên {i:02d}", sex=Sex.FEMALE if i % 2 else Sex.MALE, organisation=state)
        for i in range(1, 6)
    ]


@pytest.fixture
def enrolled(coordinator, klass, people):
    services.learners_enrol(actor=coordinator, training_class=klass, people=people)
    return people


def record(actor, training_class, *, day=date(2026, 3, 2), periods=3, status=DELIVERED, lecturers=(), **extra):
    return services.session_record(
        actor=actor,
        training_class=training_class,
        date=day,
        starts_at=extra.pop("starts_at", time(7, 30)),
        ends_at=extra.pop("ends_at", time(10, 0)),
        periods=periods,
        status=status,
        lecturers=list(lecturers),
        **extra,
    )


__all__ = [
    "activity",
    "campus",
    "campus_hcm",
    "co_teacher",
    "course",
    "cso",
    "enrolled",
    "klass",
    "lead",
    "people",
    "semester",
    "semester2",
]
