"""Two-factor sign-in on a phone: a coordinator whose programme requires it is led to enrol
(scan the QR code, confirm a code, keep the recovery codes), then signs in with a code."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from ketnoi.core.tests.factories import totp_now

from .conftest import PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_coordinator_enrols_then_signs_in_with_a_code(phone, coordinator, prog):
    prog.require_two_factor_for_coordinators = True
    prog.save()

    log_in(phone, "coordinator", "pw-coordinator")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Bảo mật tài khoản")
    expect(phone.get_by_text("bắt buộc đăng nhập hai bước").first).to_be_visible()
    expect(phone.locator(".qr-code svg")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    phone.get_by_label("Mã xác minh").fill(totp_now(device))
    phone.get_by_role("button", name="Bật đăng nhập hai bước").click()
    expect(phone.locator("#recovery-codes li")).to_have_count(10)
    phone.get_by_role("button", name="Tôi đã lưu mã, tiếp tục").click()
    expect(phone).to_have_url(re.compile(r"/todo/$"))  # signed in: the to-do inbox

    # Next time: the password, then a code from the app.
    phone.context.clear_cookies()
    log_in(phone, "coordinator", "pw-coordinator")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Xác minh hai bước")
    device.refresh_from_db()
    phone.get_by_label("Mã xác minh").fill(totp_now(device, offset_steps=1))
    phone.get_by_role("button", name="Xác minh").click()
    expect(phone.get_by_role("link", name=prog.name).first).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
