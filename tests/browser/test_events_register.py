"""On a phone with JavaScript off, a delegate opens a public workshop, sends the form empty and
reads the messages beside the fields, fills it in and lands on their ticket with its QR code; the
page never scrolls sideways."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ketnoi.directory.models import Province
from ketnoi.events import services
from ketnoi.events.models import Registration, Workshop

from .conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def workshop(coordinator, prog):
    start = timezone.make_aware(datetime(2037, 12, 10, 8, 0))
    return services.workshop_create(
        actor=coordinator,
        programme=prog,
        title="Hội thảo kết nối cơ quan nhà nước và tổ chức xã hội tại Cần Thơ",
        description="Đại diện chính quyền và các tổ chức xã hội gặp nhau để hiểu cách làm việc của nhau.",
        province=Province.objects.get(scheme=Province.Scheme.CURRENT, short_name="Cần Thơ"),
        venue="Hội trường Uỷ ban nhân dân phường Ninh Kiều",
        starts_at=start,
        ends_at=start + timedelta(hours=8),
        capacity=30,
        registration=Workshop.Registration.PUBLIC,
    )


def test_registering_on_a_phone_without_javascript(browser, live_server, workshop):
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale="vi-VN", java_script_enabled=False
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/e/w/{workshop.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hội thảo kết nối")
    expect(page.get_by_text("Còn 30 chỗ.")).to_be_visible()
    page.get_by_role("button", name="Đăng ký").click()
    expect(page.locator("#id_full_name_error")).to_contain_text("Hãy nhập họ và tên.")
    expect(page.locator("#id_consent_error")).to_contain_text("Hãy đánh dấu đồng ý")
    assert not Registration.objects.exists()

    page.get_by_label("Họ và tên").fill("Lê Thị Mai")
    page.get_by_label("Điện thoại", exact=True).fill("0912 345 678")
    page.get_by_label("Cơ quan, tổ chức").fill("Nhóm Thanh niên Tình nguyện Ninh Kiều")
    page.get_by_label("Nữ", exact=True).check()
    page.get_by_label("Tỉnh/thành phố nơi anh/chị làm việc").select_option(label="Cần Thơ")
    page.locator("#id_consent").check()
    page.get_by_role("button", name="Đăng ký").click()
    expect(page.get_by_text("Đã nhận đăng ký của anh/chị.")).to_be_visible()
    expect(page.locator("svg.qr")).to_be_visible()
    registration = Registration.objects.get()
    assert page.url.endswith(f"/e/ve/{registration.code}/") and registration.status == "confirmed"
    context.close()

    # Measured with JavaScript on: nothing wider than the phone.
    measure = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="vi-VN")
    page = measure.new_page()
    for path in (f"/e/w/{workshop.pk}/", f"/e/ve/{registration.code}/"):
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
    measure.close()
