"""On a phone, a stranger types the details of someone in the directory on a public workshop's
page: the page says only "check your e-mail", and nothing is tied to that person. The person
opens the link from the e-mail on their own phone, presses the button, sees their ticket, and
only then is the registration theirs."""

import re

import pytest
from playwright.sync_api import expect

from ketnoi.core.models import OutgoingEmail
from ketnoi.directory.models import Sex
from ketnoi.directory.services import person_create
from ketnoi.events.models import Registration
from ketnoi.events.tests.factories import make_workshop

from .conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CONFIRM_LINK = re.compile(r"https?://\S+/e/xac-nhan/[^/\s]+/")


@pytest.fixture
def workshop(coordinator, prog):
    return make_workshop(coordinator, prog, title="Hội thảo kết nối cơ quan nhà nước và tổ chức xã hội", capacity=30)


def phone_context(browser, base_url):
    return browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="vi-VN", base_url=base_url)


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1


def test_a_registration_typed_by_a_stranger_is_linked_only_once_the_person_confirms(
    browser, live_server, settings, staff_admin, workshop
):
    settings.SITE_URL = live_server.url  # the link in the e-mail points at this server
    huong = person_create(actor=staff_admin, full_name="Nguyễn Thị Hường", email="huong@example.org", sex=Sex.FEMALE)

    stranger = phone_context(browser, live_server.url)
    page = stranger.new_page()
    page.goto(f"/e/w/{workshop.pk}/")
    page.get_by_label("Họ và tên").fill("Nguyễn Thị Hường")
    page.get_by_label("Thư điện tử").fill("huong@example.org")
    page.get_by_label("Điện thoại", exact=True).fill("0912 000 111")
    page.get_by_label("Nữ", exact=True).check()
    page.locator("#id_consent").check()
    page.get_by_role("button", name="Đăng ký").click()
    # The same neutral words as for anyone: the page does not tell a stranger who is on record.
    expect(page.get_by_text("hãy mở thư xác nhận chúng tôi vừa gửi").first).to_be_visible()
    expect(page.get_by_text("Đăng ký đang chờ xác nhận")).to_be_visible()
    # The status beside the name does not say "confirmed" while the page asks to confirm.
    expect(page.locator("strong.status")).not_to_have_text("Đã xác nhận")
    assert fits_the_phone(page)
    registration = Registration.objects.get()
    assert registration.person is None and registration.awaiting_confirmation
    assert not huong.registrations.exists()
    stranger.close()

    # The e-mail went to the address on record, through the mail queue.
    email = OutgoingEmail.objects.get(template="events/email/registration_confirm")
    assert email.to == ["huong@example.org"] and registration.code not in email.body
    link = CONFIRM_LINK.search(email.body).group(0)
    assert link.startswith(live_server.url)

    # Hường opens it on her own phone (no cookie from the stranger's browser).
    mailbox = phone_context(browser, live_server.url)
    page = mailbox.new_page()
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Xác nhận đăng ký hội thảo")
    confirm = page.get_by_role("button", name="Xác nhận đăng ký")
    expect(confirm).to_be_in_viewport()
    assert fits_the_phone(page)
    # Opening the link (as a mail scanner would) confirms nothing.
    registration.refresh_from_db()
    assert registration.person is None

    confirm.click()
    expect(page.get_by_text("Cảm ơn anh/chị đã xác nhận: đăng ký đã hoàn tất.")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/e/ve/{registration.code}/$"))
    expect(page.get_by_text("Đăng ký của Nguyễn Thị Hường")).to_be_visible()
    expect(page.locator("svg.qr")).to_be_visible()
    expect(page.get_by_text("Đăng ký đang chờ xác nhận")).to_have_count(0)
    expect(page.locator("strong.status")).to_have_text("Đã xác nhận")
    assert fits_the_phone(page)
    registration.refresh_from_db()
    assert registration.person == huong and registration.confirmed_via == "email"

    # The link is used now: opening it again says so and points to the ticket, never a 500.
    page.goto(link)
    page.get_by_role("button", name="Xác nhận đăng ký").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_role("link", name="Xem đăng ký")).to_have_attribute("href", f"/e/ve/{registration.code}/")
    mailbox.close()
