"""A lecturer on a phone records a delivered session for a class of 20 learners and takes the
attendance: "Tất cả có mặt", then two learners changed by a thumb, one save. No page of the way
scrolls sideways on a 390 px screen."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ketnoi.directory.models import Organisation, OrganisationType, Person
from ketnoi.programmes.models import Programme, ProgrammeRole
from ketnoi.training import services
from ketnoi.training.models import Attendance, TeachingSession

from .conftest import PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def setting(make_user):
    coordinator, lecturer = make_user("dieu-phoi"), make_user("giang-vien")
    programme = Programme.objects.create(name="Đồng giảng dạy Thạc sĩ Chính sách công", code="mpp")
    ProgrammeRole.objects.create(user=coordinator, programme=programme, role="coordinator")
    ProgrammeRole.objects.create(user=lecturer, programme=programme, role="lecturer")
    today = timezone.localdate()
    course = services.course_create(actor=coordinator, programme=programme, name="Thạc sĩ Chính sách công")
    services.topic_create(actor=coordinator, course=course, title="Vai trò của tổ chức xã hội")
    campus = services.campus_create(actor=coordinator, programme=programme, name="Hà Nội")
    semester = services.semester_create(
        actor=coordinator,
        programme=programme,
        name="Học kỳ này",
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=60),
    )
    klass = services.class_create(actor=coordinator, course=course, campus=campus, semester=semester, code="HN01")
    state = Organisation.objects.create(name="Sở Nội vụ tỉnh Bắc Ninh", type=OrganisationType.STATE_AGENCY)
    learners = [
        Person.objects.create(full_name=f"Học viên Nguyễn Thị Phương {i:02d}", organisation=state) for i in range(1, 21)
    ]
    services.learners_enrol(actor=coordinator, training_class=klass, people=learners)
    msd = Organisation.objects.create(name="Trung tâm MSD", type=OrganisationType.CSO)
    Person.objects.create(full_name="Nguyễn Văn Giảng", organisation=msd)
    return klass, learners


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"{page.url} is {width}px wide on a {PHONE['width']}px screen"


def test_lecturer_records_a_session_and_its_attendance(setting, phone):
    klass, learners = setting
    log_in(phone, "giang-vien", "pw-giang-vien")
    phone.goto("/programmes/mpp/training/")
    _fits(phone)
    phone.get_by_role("link", name="HN01").first.click()
    _fits(phone)
    phone.locator("#new-session").click()
    _fits(phone)

    phone.get_by_label("Ngày giảng").fill(timezone.localdate().strftime("%d/%m/%Y"))
    phone.get_by_label("Bắt đầu").fill("07:30")
    phone.get_by_label("Kết thúc").fill("10:00")
    phone.get_by_label("Số tiết").fill("3")
    phone.get_by_label("Chủ đề").select_option(label="Vai trò của tổ chức xã hội")
    phone.get_by_role("radio", name="Đã dạy").check()
    phone.get_by_label("Giảng viên chính: Tìm theo tên").fill("nguyen van giang")
    phone.get_by_role("radio", name="Nguyễn Văn Giảng – Trung tâm MSD").check()
    phone.get_by_role("button", name="Lưu").click()

    expect(phone.locator("#session-status")).to_have_text("Đã dạy")
    expect(phone.locator("fieldset.learner")).to_have_count(20)
    _fits(phone)
    session = TeachingSession.objects.get()
    assert session.periods == 3 and session.lecturers.get().organisation.name == "Trung tâm MSD"

    phone.locator("#all-present").click()
    late, absent = learners[3], learners[7]
    phone.locator(f"#mark-row-{late.pk} label.mark-late").click()
    phone.locator(f"#mark-row-{absent.pk} label.mark-absent").click()
    phone.locator("#save-attendance").click()

    expect(phone.locator("#attendance-summary")).to_contain_text("20/20")
    _fits(phone)
    marks = dict(Attendance.objects.values_list("person_id", "status"))
    assert len(marks) == 20
    assert marks[late.pk] == "late" and marks[absent.pk] == "absent"
    assert sum(1 for status in marks.values() if status == "present") == 18
    expect(phone.locator(f"#mark-row-{late.pk} input[value=late]")).to_be_checked()

    phone.goto(f"/programmes/mpp/training/classes/{klass.pk}/")
    expect(phone.locator(f"#learner-{absent.pk}")).to_contain_text("0%")
    _fits(phone)
