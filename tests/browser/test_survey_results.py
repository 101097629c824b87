"""A coordinator reads the results of the lecture evaluation on a phone: the charts, then the
same figures for one class, then the comparison of the classes."""

import re

import pytest
from playwright.sync_api import expect

from ketnoi.surveys.tests.results_builders import build_lecture

from .conftest import PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _fits_the_screen(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"the page is {width}px wide on a {PHONE['width']}px screen"


def test_coordinator_reads_the_charts_and_filters_by_class(phone, coordinator, prog):
    form, _hn01, _hcm01 = build_lecture(coordinator, prog)
    log_in(phone, "coordinator", "pw-coordinator")
    phone.goto(f"/programmes/{prog.code}/surveys/{form.pk}/")
    phone.locator("#results-link").click()

    expect(phone.get_by_role("heading", level=1)).to_contain_text("Kết quả: Đánh giá bài giảng")
    expect(phone.locator("#response-count")).to_contain_text("7 phiếu trả lời")
    overall = phone.locator("#q-overall")
    expect(overall.get_by_role("heading", name=re.compile("Đánh giá chung về bài giảng"))).to_be_visible()
    expect(overall.locator(".sv-figures")).to_contain_text("3,57")
    chart = overall.get_by_role("img")
    expect(chart).to_be_visible()
    expect(chart).to_have_accessible_name(re.compile("Phân bố câu trả lời"))
    expect(overall.locator("svg text", has_text="3 · 43%")).to_be_visible()
    expect(phone.locator("#q-topics_useful svg")).to_contain_text("Vận động chính sách")
    _fits_the_screen(phone)

    phone.get_by_text("Lọc và chia nhóm").click()
    expect(phone.locator("label[for=id_class]")).to_contain_text("Lớp")
    phone.locator("select[name=class]").select_option("HN01")
    phone.get_by_role("button", name="Xem kết quả").click()

    expect(phone.locator("#response-count")).to_contain_text("4 phiếu trả lời khớp bộ lọc")
    expect(phone.locator(".sv-active")).to_contain_text("Lớp: HN01")
    expect(phone.locator("#q-overall .sv-figures")).to_contain_text("3,5")
    expect(phone.locator("#q-self_study")).to_contain_text("Chưa ai trả lời câu này")  # asked only in version 2
    _fits_the_screen(phone)

    phone.get_by_role("link", name=re.compile("So sánh các lớp")).click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("So sánh")
    phone.get_by_role("link", name="Bỏ lọc").click()
    table = phone.locator("#compare-table")
    expect(table).to_contain_text("HCM01")
    expect(table).to_contain_text("HN01")
    expect(phone.get_by_role("img").first).to_be_visible()
    _fits_the_screen(phone)
