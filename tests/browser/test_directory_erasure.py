"""Erasing someone two programmes hold, on a phone: MSD's lecturer is also a learner in a TEV
class. TEV's coordinator erases what TEV holds and is told that a request went to the other
programme; the shared record stays. MSD's coordinator finds the request in the directory,
completes MSD's part, and only then is the person's name replaced."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from ketnoi.directory.models import ErasureRequest, Person, Sex
from ketnoi.directory.tests.factories import make_person
from ketnoi.training import services as training
from ketnoi.training.models import Enrolment, SessionLecturer
from ketnoi.training.tests.factories import make_campus, make_class, make_course, make_semester, record

from .conftest import PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NAME = "Nguyễn Văn Giảng"


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1


def a_class(actor, programme, code: str):
    course = make_course(actor, programme, name=f"Khoá {code}", code=code)
    campus = make_campus(actor, programme, name="Cần Thơ")
    semester = make_semester(actor, programme, name="Đợt 1", starts_on=date(2026, 1, 5), ends_on=date(2026, 6, 30))
    return make_class(actor, course, campus, semester, code=f"{code}01")


@pytest.fixture
def msd_lecturer_tev_learner(coordinator, prog, other_coordinator, other_prog):
    """`prog` is MSD (coordinator), `other_prog` TEV (other_coordinator)."""
    person = make_person(NAME, sex=Sex.MALE, email="giang@example.org", phone="0912 345 678")
    record(coordinator, a_class(coordinator, prog, "MSD"), lecturers=[(person, SessionLecturer.Role.LEAD)])
    training.learners_enrol(
        actor=other_coordinator, training_class=a_class(other_coordinator, other_prog, "TEV"), people=[person]
    )
    return person


def test_an_erasure_across_two_programmes_is_finished_by_the_second_coordinator(
    phone, msd_lecturer_tev_learner, prog, other_prog
):
    person = msd_lecturer_tev_learner

    # TEV's coordinator erases from the person's page.
    log_in(phone, "other-coordinator", "pw-other-coordinator")
    phone.goto(f"/directory/people/{person.pk}/")
    expect(phone.get_by_role("heading", level=1)).to_contain_text(NAME)
    erase = phone.get_by_role("button", name="Xoá dữ liệu cá nhân")
    erase.scroll_into_view_if_needed()
    expect(erase).to_be_in_viewport()
    erase.click()
    expect(phone.locator("#erase-needs-request")).to_be_visible()
    assert fits_the_phone(phone)
    phone.get_by_role("button", name="Xoá vĩnh viễn").click()
    # Sent without typing the word: a message beside the field, nothing erased.
    expect(phone.locator("#id_confirmation_error")).to_be_visible()
    assert not ErasureRequest.objects.exists()
    phone.get_by_label("Gõ XOÁ để xác nhận").fill("XOÁ")
    phone.get_by_role("button", name="Xoá vĩnh viễn").click()
    expect(phone.get_by_text("gửi yêu cầu xoá tới điều phối viên các chương trình khác")).to_be_visible()
    request = ErasureRequest.objects.get(person=person)
    expect(phone).to_have_url(re.compile(rf"/directory/people/erasures/{request.pk}/$"))
    expect(phone.locator("#erasure-status")).to_contain_text("Đang chờ các chương trình khác")
    steps = phone.locator("#erasure-steps li")
    expect(steps.filter(has_text=other_prog.name)).to_contain_text("Đã xoá lúc")
    expect(steps.filter(has_text=prog.name)).to_contain_text("Chưa xoá")
    expect(phone.get_by_role("button", name="Xoá phần dữ liệu của chương trình tôi")).to_have_count(0)
    assert fits_the_phone(phone)
    person.refresh_from_db()
    assert person.erased_at is None and person.full_name == NAME

    phone.context.clear_cookies()

    # MSD's coordinator finds the request waiting in the directory and completes it.
    log_in(phone, "coordinator", "pw-coordinator")
    phone.goto("/directory/people/")
    phone.get_by_role("link", name="Yêu cầu xoá dữ liệu").click()
    awaiting = phone.locator("#erasures-awaiting li")
    expect(awaiting).to_have_count(1)
    expect(awaiting).to_contain_text("đang chờ")
    assert fits_the_phone(phone)
    awaiting.get_by_role("link", name=NAME).click()
    complete = phone.get_by_role("button", name="Xoá phần dữ liệu của chương trình tôi")
    complete.scroll_into_view_if_needed()
    expect(complete).to_be_in_viewport()
    complete.click()
    expect(phone.locator("#erasure-status")).to_contain_text("hồ sơ chung đã được xoá")
    expect(phone.get_by_role("heading", level=1)).to_contain_text(f"Đã xoá #{person.pk}")
    expect(phone.get_by_text(NAME)).to_have_count(0)
    assert fits_the_phone(phone)

    person = Person.objects.get(pk=person.pk)
    assert person.erased_at is not None and person.full_name == f"Đã xoá #{person.pk}"
    assert person.email == "" and person.phone == ""
    # The periods taught and the learners reached still count, now for the anonymous record.
    assert SessionLecturer.objects.filter(person=person).exists() and Enrolment.objects.filter(person=person).exists()

    # Nothing waits for MSD any more; the request is in the log.
    phone.goto("/directory/people/erasures/")
    expect(phone.locator("#erasures-awaiting li")).to_have_count(0)
    expect(phone.locator("#erasures-log li")).to_contain_text("đã hoàn tất")
