"""Check-in by the typed code, on phones (issue 13): a delegate opens their ticket and reads the
short code printed under the QR code; the coordinator at the door types it as heard — lower
case, with spaces — and the delegate is checked in. A code misheard says what to do."""

import re

import pytest
from playwright.sync_api import expect

from ketnoi.events.models import Registration
from ketnoi.events.tests.factories import make_workshop_today, register
from ketnoi.programmes.models import Programme, ProgrammeRole

from .conftest import PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def door(make_user):
    coordinator = make_user("dieu-phoi-cua")
    programme = Programme.objects.create(name="Kế hoạch hợp tác về vận động chính sách", code="van-dong")
    ProgrammeRole.objects.create(user=coordinator, programme=programme, role="coordinator")
    workshop = make_workshop_today(coordinator, programme, title="Hội thảo kết nối tại Huế", venue="Trung tâm Văn hoá")
    lan, _ = register(workshop, "Nguyễn Thị Lan")
    register(workshop, "Trần Văn Đức")
    return {"workshop": workshop, "lan": lan, "url": f"/programmes/van-dong/events/{workshop.pk}/checkin/"}


def _fits_the_screen(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"the page is {width}px wide on a {PHONE['width']}px screen"


def test_the_code_read_from_the_ticket_is_typed_in_lower_case_with_spaces(door, phone, browser, live_server):
    # The delegate's phone: the ticket shows the QR code and, under it, the code grouped for reading.
    delegate = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale="vi-VN", base_url=live_server.url
    ).new_page()
    delegate.goto(f"/e/ve/{door['lan'].code}/")
    shown = delegate.locator("#ticket-code")
    expect(shown).to_have_text(re.compile(r"^[0-9A-Z]{3}-[0-9A-Z]{3}$"))
    expect(delegate.locator(".ticket-code")).to_contain_text("Mã điểm danh")
    _fits_the_screen(delegate)
    heard = shown.inner_text().replace("-", " ").lower()  # "k7q m4x": read aloud, typed as heard
    delegate.context.close()

    # The coordinator's phone at the door.
    log_in(phone, "dieu-phoi-cua", "pw-dieu-phoi-cua")
    phone.goto(door["url"])
    expect(phone.locator("#early")).to_have_count(0)  # the workshop is today: nothing to confirm
    code_box = phone.get_by_label("Hoặc nhập mã trên vé")
    expect(phone.locator("#checkin-code-help")).to_contain_text("6 ký tự")
    panel = phone.locator("#checkin-result")

    code_box.fill("zzz 999")  # misheard: no ticket has it
    code_box.press("Enter")
    expect(panel).to_have_class(re.compile(r"\bcheckin-result-refused\b"))
    expect(panel).to_contain_text("Hãy đọc lại mã điểm danh in trên vé")

    code_box.fill(f" {heard} ")
    code_box.press("Enter")
    expect(panel).to_have_text("Đã điểm danh: Nguyễn Thị Lan")
    expect(panel).to_have_class(re.compile(r"\bcheckin-result-checked_in\b"))
    expect(phone.locator("#checkin-counter")).to_have_text("đã điểm danh 1 / 2 đã xác nhận")
    _fits_the_screen(phone)
    registration = Registration.objects.get(pk=door["lan"].pk)
    assert registration.status == Registration.Status.ATTENDED and registration.checked_in_at is not None
