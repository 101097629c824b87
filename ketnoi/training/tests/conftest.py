"""The teaching structure the training tests share: a course with two campuses, two semesters,
a class, a plan activity for the periods commitment, lecturers and five learners; and the
partner expert the review tests ask."""

from datetime import date

import pytest

from ketnoi.directory.models import OrganisationType, Sex
from ketnoi.directory.tests.factories import make_organisation, make_person
from ketnoi.programmes.tests.factories import make_activity, make_objective

from .factories import make_campus, make_class, make_course, make_semester


@pytest.fixture
def activity(prog):
    objective = make_objective(prog, number=1, title="Mục tiêu 1")
    return make_activity(prog, objective=objective, number=2, title="Đồng giảng dạy")


@pytest.fixture
def course(coordinator, prog):
    return make_course(coordinator, prog, name="Thạc sĩ Chính sách công", code="MPP")


@pytest.fixture
def campus(coordinator, prog):
    return make_campus(coordinator, prog, name="Hà Nội")


@pytest.fixture
def campus_hcm(coordinator, prog):
    return make_campus(coordinator, prog, name="TP. Hồ Chí Minh")


@pytest.fixture
def semester(coordinator, prog):
    return make_semester(coordinator, prog, name="HK1 2026", starts_on=date(2026, 1, 5), ends_on=date(2026, 6, 30))


@pytest.fixture
def semester2(coordinator, prog):
    return make_semester(coordinator, prog, name="HK2 2026", starts_on=date(2026, 8, 1), ends_on=date(2026, 12, 31))


@pytest.fixture
def klass(coordinator, course, campus, semester):
    return make_class(coordinator, course, campus, semester, code="HN01")


@pytest.fixture
def cso(db):
    return make_organisation("Trung tâm MSD", type=OrganisationType.CSO)


@pytest.fixture
def lead(cso):
    return make_person("Nguyễn Văn Giảng", sex=Sex.MALE, organisation=cso)


@pytest.fixture
def co_teacher(db):
    state = make_organisation("Viện Lãnh đạo học", type=OrganisationType.STATE_AGENCY)
    return make_person("Trần Thị Đồng", sex=Sex.FEMALE, organisation=state)


@pytest.fixture
def people(db):
    state = make_organisation("Sở Nội vụ", type=OrganisationType.STATE_AGENCY)
    return [
        make_person(f"Học viên {i:02d}", sex=Sex.FEMALE if i % 2 else Sex.MALE, organisation=state) for i in range(1, 6)
    ]


@pytest.fixture
def enrolled(coordinator, klass, people):
    from ketnoi.training import services

    services.learners_enrol(actor=coordinator, training_class=klass, people=people)
    return people


@pytest.fixture
def expert(make_user):
    """An expert of the partner organisation: an account with no role on the programme."""
    return make_user("expert", email="expert@partner.example.org", first_name="Chuyên gia")
