"""A coordinator on a phone names a co-teacher by typing the name without diacritics in the
session form's picker, picks the match with the keyboard, and saves: the session shows the
co-teacher. No page of the way scrolls sideways on a 390 px screen."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ketnoi.directory.models import Organisation, OrganisationType, Person
from ketnoi.programmes.models import Programme, ProgrammeRole
from ketnoi.training import services
from ketnoi.training.models import SessionLecturer, TeachingSession

from .conftest import PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def klass(make_user):
    coordinator = make_user("dieu-phoi")
    programme = Programme.objects.create(name="Đồng giảng dạy Thạc sĩ Chính sách công", code="mpp")
    ProgrammeRole.objects.create(user=coordinator, programme=programme, role="coordinator")
    today = timezone.localdate()
    course = services.course_create(actor=coordinator, programme=programme, name="Thạc sĩ Chính sách công")
    campus = services.campus_create(actor=coordinator, programme=programme, name="Hà Nội")
    semester = services.semester_create(
        actor=coordinator,
        programme=programme,
        name="Học kỳ này",
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=60),
    )
    msd = Organisation.objects.create(name="Trung tâm MSD", type=OrganisationType.CSO)
    for name in ("Nguyễn Văn Dũng", "Nguyễn Văn Dương", "Đặng Thị Hoa", "Trần Minh Tuấn"):
        Person.objects.create(full_name=name, organisation=msd)
    return services.class_create(actor=coordinator, course=course, campus=campus, semester=semester, code="HN01")


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"{page.url} is {width}px wide on a {PHONE['width']}px screen"


def test_coordinator_picks_a_co_teacher_by_keyboard(klass, phone):
    log_in(phone, "dieu-phoi", "pw-dieu-phoi")
    phone.goto(f"/programmes/mpp/training/classes/{klass.pk}/sessions/new/")
    _fits(phone)
    phone.get_by_label("Ngày giảng").fill(timezone.localdate().strftime("%d/%m/%Y"))
    phone.get_by_label("Bắt đầu").fill("07:30")
    phone.get_by_label("Kết thúc").fill("10:00")
    phone.get_by_label("Số tiết").fill("3")
    phone.get_by_role("radio", name="Dự kiến").check()

    search = phone.get_by_label("Đồng giảng: Tìm theo tên")
    search.press_sequentially("nguyen van dung", delay=20)
    match = phone.get_by_role("checkbox", name="Nguyễn Văn Dũng – Trung tâm MSD")
    expect(match).to_be_visible()
    expect(phone.locator("#id_co_teachers_status")).to_have_text("1 người khớp")
    expect(phone.get_by_role("checkbox", name="Nguyễn Văn Dương – Trung tâm MSD")).to_have_count(0)
    _fits(phone)
    search.press("ArrowDown")
    expect(match).to_be_focused()
    phone.keyboard.press("Space")
    expect(match).to_be_checked()
    expect(phone.locator("#id_co_teachers_chosen")).to_contain_text("Nguyễn Văn Dũng")
    search.fill("")  # a new search keeps what was picked
    search.press_sequentially("dang", delay=20)
    expect(phone.get_by_role("checkbox", name="Đặng Thị Hoa – Trung tâm MSD")).to_be_visible()
    expect(match).to_be_checked()
    search.press("Enter")  # searches, does not save
    assert not TeachingSession.objects.exists()

    phone.get_by_role("button", name="Lưu").click()
    expect(phone.locator("#lecturers")).to_contain_text("Nguyễn Văn Dũng — Đồng giảng")
    _fits(phone)
    session = TeachingSession.objects.get()
    assert [(sl.person.full_name, sl.role) for sl in session.lecturers.all()] == [
        ("Nguyễn Văn Dũng", SessionLecturer.Role.CO_TEACHER)
    ]
