"""A private calendar link, made and revoked on a phone: the coordinator opens "Đăng ký lịch" from
the workshop list, makes a link and copies it; a calendar app (a request with no cookie) reads the
workshops from it; once the link is revoked on the page, the app gets nothing."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from ketnoi.core.models import CalendarFeedToken
from ketnoi.events.tests.factories import make_workshop
from ketnoi.training.tests.factories import make_campus, make_class, make_course, make_semester

from .conftest import PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "Hội thảo kết nối cơ quan nhà nước và tổ chức xã hội tại Cần Thơ"


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1


@pytest.fixture
def workshop(coordinator, prog):
    return make_workshop(coordinator, prog, title=TITLE)


def test_a_coordinator_makes_copies_and_revokes_a_calendar_link(
    browser, phone, live_server, settings, coordinator, prog, workshop
):
    settings.SITE_URL = live_server.url  # the link shown on the page points at this server
    phone.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    log_in(phone, "coordinator", "pw-coordinator")
    phone.goto(f"/programmes/{prog.code}/events/")
    phone.get_by_role("button", name="Đăng ký lịch").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Đăng ký lịch")
    expect(phone.get_by_text("Bạn chưa có liên kết đăng ký nào cho lịch này.")).to_be_visible()
    phone.get_by_role("button", name="Tạo liên kết đăng ký").click()

    shown = phone.get_by_label("Liên kết lịch")
    expect(shown).to_have_value(re.compile(rf"^{re.escape(live_server.url)}/cal/kc_[A-Za-z0-9_-]+\.ics$"))
    copy = phone.get_by_role("button", name="Chép")
    expect(copy).to_be_in_viewport()
    assert fits_the_phone(phone)
    copy.click()
    expect(phone.get_by_text("Đã chép liên kết.")).to_be_visible()
    link = phone.evaluate("navigator.clipboard.readText()")
    assert link == shown.input_value()

    # A calendar app fetches it with no cookie and no session.
    app = browser.new_context()
    try:
        response = app.request.get(link)
        assert response.status == 200
        assert response.headers["content-type"].startswith("text/calendar")
        assert "BEGIN:VEVENT" in response.text() and "Hội thảo kết nối" in response.text()
        assert "set-cookie" not in response.headers

        # Revoked on the page: the app gets nothing more.
        phone.goto(f"/cal/subscribe/?feed=events.programme:{prog.pk}")
        token = CalendarFeedToken.objects.get(user=coordinator)
        row = phone.locator("#calendar-links li", has_text=f"kc_{token.prefix}")
        revoke = row.get_by_role("button", name="Thu hồi")
        # Within the phone's width, not behind a sideways swipe of the table.
        box = revoke.bounding_box()
        assert box is not None and box["x"] + box["width"] <= PHONE["width"], box
        revoke.click()
        expect(phone.get_by_text("Đã thu hồi liên kết.")).to_be_visible()
        expect(phone.get_by_text(f"kc_{token.prefix}")).to_have_count(0)
        assert fits_the_phone(phone)
        gone = app.request.get(link)
        assert gone.status == 410 and "VEVENT" not in gone.text()
    finally:
        app.close()


def test_a_class_page_offers_its_own_calendar_link(phone, coordinator, prog):
    course = make_course(coordinator, prog, name="Thạc sĩ Chính sách công", code="MPP")
    campus = make_campus(coordinator, prog, name="Hà Nội")
    semester = make_semester(coordinator, prog, name="HK1 2026", starts_on=date(2026, 1, 5), ends_on=date(2026, 6, 30))
    training_class = make_class(coordinator, course, campus, semester, code="HN01")
    log_in(phone, "coordinator", "pw-coordinator")
    phone.goto(f"/programmes/{prog.code}/training/classes/{training_class.pk}/")
    phone.get_by_role("button", name="Đăng ký lịch").click()
    expect(phone).to_have_url(re.compile(rf"/cal/subscribe/\?feed=training\.class:{training_class.pk}$"))
    expect(phone.get_by_role("heading", level=1)).to_contain_text("HN01")
    expect(phone.get_by_role("button", name="Tạo liên kết đăng ký")).to_be_visible()
    assert fits_the_phone(phone)
