"""The programme journeys on a phone: read the dashboard, report a value, approve it."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from ketnoi.demo.data import PASSWORD

from .conftest import PHONE, log_in

# The live server needs committed data; serialized rollback restores the provinces that a
# data migration loaded, which flushing the tables after each test would otherwise lose.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def demo():
    call_command("demo_load", verbosity=0)


def _fits_the_screen(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"the page is {width}px wide on a {PHONE['width']}px screen"


def _log_out(page) -> None:
    page.context.clear_cookies()


def test_coordinator_reads_the_dashboard_in_vietnamese(demo, phone):
    log_in(phone, "dieuphoi", PASSWORD)
    expect(phone.locator("html")).to_have_attribute("lang", "vi")
    expect(phone.get_by_role("heading", name="Việc cần làm", level=1)).to_be_visible()  # where one lands
    phone.get_by_role("banner").get_by_role("link", name="Chương trình", exact=True).click()
    expect(phone.get_by_role("heading", name="Chương trình", exact=True)).to_be_visible()
    phone.get_by_role("link", name=re.compile("MSD và ViLEAP")).click()

    expect(phone.get_by_role("heading", level=1)).to_contain_text("MSD và ViLEAP")
    expect(phone.get_by_role("heading", name="Tiến độ chung")).to_be_visible()
    expect(phone.get_by_text("Mục tiêu 1. Đưa vai trò")).to_be_visible()
    expect(phone.get_by_text("Thoả thuận hợp tác MSD – ViLEAP năm 2017")).to_be_visible()
    # CT1: 70 of 80 periods co-taught so far.
    ct1 = phone.locator(".indicator", has_text="CT1").first
    expect(ct1).to_contain_text("70")
    expect(ct1).to_contain_text("80")
    expect(ct1.locator("svg").first).to_be_attached()
    expect(phone.locator("#pending-link")).to_have_text("1 giá trị chờ phê duyệt")
    _fits_the_screen(phone)


def test_lecturer_reports_a_value_and_another_coordinator_approves_it(demo, phone):
    log_in(phone, "giangvien", PASSWORD)
    phone.get_by_role("banner").get_by_role("link", name="Chương trình", exact=True).click()
    phone.get_by_role("link", name=re.compile("MSD và ViLEAP")).click()
    phone.locator(".indicator", has_text="CT6").first.get_by_role("link", name=re.compile("CT6")).first.click()
    phone.get_by_role("button", name="Nhập giá trị").click()
    _fits_the_screen(phone)

    # Without evidence the form says what is missing and nothing is saved.
    phone.locator("select[name=period]").select_option(label="2018")
    phone.locator("input[name=value]").fill("9")
    phone.get_by_role("button", name=re.compile("Gửi|Lưu")).click()
    expect(phone.locator("#id_evidence_error")).to_contain_text("Hãy ghi minh chứng")

    phone.locator("textarea[name=evidence]").fill("Biên bản bàn giao tài liệu đợt 2")
    phone.get_by_role("button", name=re.compile("Gửi|Lưu")).click()
    expect(phone.get_by_text(re.compile("Đã gửi giá trị 9"))).to_be_visible()

    _log_out(phone)
    log_in(phone, "dieuphoi", PASSWORD)
    phone.goto("/programmes/msd-vileap/approvals/")
    item = phone.locator("article, tr, li").filter(has_text="Biên bản bàn giao tài liệu đợt 2").last
    expect(item).to_be_visible()
    item.get_by_role("button", name="Phê duyệt").click()
    expect(phone.locator(".messages")).to_contain_text("phê duyệt")

    phone.goto("/programmes/msd-vileap/")
    # CT6 was 24 + 11 = 35 of 50 documents; with 9 more it is 44.
    expect(phone.locator(".indicator", has_text="CT6").first).to_contain_text("44")


def test_a_signed_in_user_without_a_role_is_guided_and_sees_no_programme(demo, phone):
    log_in(phone, "khach", PASSWORD)
    expect(phone.get_by_text("Bạn chưa có vai trò trong chương trình nào.")).to_be_visible()
    response = phone.goto("/programmes/msd-vileap/")
    assert response.status == 404


def test_the_dashboard_switches_to_english_and_back(demo, phone):
    log_in(phone, "dieuphoi", PASSWORD)
    phone.goto("/programmes/msd-vileap/")
    phone.get_by_role("button", name="EN").click()
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    expect(phone.get_by_role("heading", name="Overall progress")).to_be_visible()
    expect(phone.get_by_role("banner").get_by_role("link", name="Programmes", exact=True)).to_be_visible()
    phone.get_by_role("button", name="VI").click()
    expect(phone.get_by_role("heading", name="Tiến độ chung")).to_be_visible()
