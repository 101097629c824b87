"""Wide pages on a 390 px phone, and the same pages on paper.

On a phone the key columns of the wide tables (training compliance, a workshop's registrations,
survey results) are on screen without sideways scrolling (each row a card), the programme tabs
are one line that scrolls with the open tab in view; printed, the navigation goes and the
progress bars and charts stay."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from ketnoi.demo.data import PASSWORD

from .conftest import PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PROGRAMME = "/programmes/msd-vileap"


@pytest.fixture
def demo():
    """The demo programme; returns the pages' addresses (row ids differ from one test to the next)."""
    from ketnoi.events.models import Workshop
    from ketnoi.surveys.models import Form

    call_command("demo_load", verbosity=0)
    survey = Form.objects.get(programme__code="msd-vileap", title="Đánh giá bài giảng")
    workshop = Workshop.objects.filter(programme__code="msd-vileap").order_by("starts_at").first()
    return {
        "results": f"{PROGRAMME}/surveys/{survey.pk}/results/",
        "workshop": f"{PROGRAMME}/events/{workshop.pk}/",
    }


def _fits_the_screen(page) -> None:
    width = page.evaluate("document.scrollingElement.scrollWidth")
    screen = page.evaluate("innerWidth")
    assert width <= screen, f"{page.url}: the page is {width}px wide on a {screen}px screen"


def _on_screen(locator) -> None:
    """The element is shown and lies within the screen's width (no sideways scrolling to reach it)."""
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    assert box is not None and box["width"] > 0
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], f"{locator}: {box}"


def _cell(row, label: str):
    return row.locator(f'[data-label="{label}"]')


def test_wide_tables_show_their_key_columns_on_a_phone(demo, phone):
    log_in(phone, "dieuphoi", PASSWORD)

    # Training: each class's periods committed, taught and missing, and whether it is behind.
    phone.goto(f"{PROGRAMME}/training/")
    _fits_the_screen(phone)
    rows = phone.locator("#compliance tbody tr")
    assert rows.count() >= 4
    for index in range(rows.count()):
        row = rows.nth(index)
        _on_screen(row.locator("td").first.get_by_role("link"))
        for label in ("Cơ sở", "Học kỳ", "Cam kết", "Đã dạy", "Còn thiếu", "Tình hình"):
            _on_screen(_cell(row, label))
    expect(_cell(phone.locator("#compliance tbody tr", has_text="HCM-K24"), "Tình hình")).to_contain_text("Chậm")
    _on_screen(_cell(phone.locator("#class-table tbody tr").first, "Chuyên cần"))

    # A workshop's registrations: who, from where, in what state.
    phone.goto(demo["workshop"])
    _fits_the_screen(phone)
    row = phone.locator("#registrations tbody tr").first
    _on_screen(row.locator("td").first)
    _on_screen(_cell(row, "Cơ quan/tổ chức"))
    _on_screen(_cell(row, "Trạng thái"))

    # Survey results: the count per point of a matrix, then the same split by a question.
    phone.goto(demo["results"])
    _fits_the_screen(phone)
    grid = phone.locator("table.sv-grid tbody tr").first
    for label in ("1", "5", "Trung bình", "Số người"):
        _on_screen(_cell(grid, label))
    phone.goto(demo["results"] + "?split=would_recommend")
    _fits_the_screen(phone)
    split_row = phone.locator("table.sv-table.kn-cards tbody tr").last
    _on_screen(_cell(split_row, "Không"))

    phone.goto(demo["results"] + "compare/")
    _fits_the_screen(phone)
    compare_row = phone.locator("#compare-table tbody tr:not(.kn-heading-row)").first
    for label in ("HCM01", "HCM02", "HN01", "HN02"):
        _on_screen(_cell(compare_row, label))


def test_programme_tabs_are_one_line_that_scrolls_to_the_open_tab(demo, phone):
    log_in(phone, "dieuphoi", PASSWORD)
    phone.goto(f"{PROGRAMME}/members/")
    _fits_the_screen(phone)
    tabs = phone.locator(".programme-nav li")
    assert tabs.count() >= 8
    tops = {round(tabs.nth(i).bounding_box()["y"]) for i in range(tabs.count())}
    assert len(tops) == 1, f"the tabs wrap onto {len(tops)} lines"
    bar = phone.locator(".programme-nav ul")
    assert bar.evaluate("ul => ul.scrollWidth > ul.clientWidth")  # more tabs than the screen holds
    # The open tab, near the end of the list, has been scrolled into view.
    _on_screen(phone.locator('.programme-nav [aria-current="page"]'))
    expect(phone.locator('.programme-nav [aria-current="page"]')).to_have_text("Thành viên")


def _printed(page, url: str) -> None:
    page.emulate_media(media="print")
    page.goto(url)
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    for hidden in page.locator("main nav, main form, main button").all():
        expect(hidden).to_be_hidden()


def _bars_print(page) -> None:
    bars = page.locator("progress")
    assert bars.count() > 0
    for bar in bars.all()[:5]:
        expect(bar).to_be_visible()
        box = bar.bounding_box()
        assert box["width"] > 20 and box["height"] > 2, box
        assert bar.evaluate("p => getComputedStyle(p).printColorAdjust") == "exact"


def test_printed_pages_drop_the_navigation_and_keep_bars_and_charts(demo, browser, live_server):
    context = browser.new_context(viewport={"width": 794, "height": 1123}, locale="vi-VN", base_url=live_server.url)
    page = context.new_page()
    try:
        log_in(page, "dieuphoi", PASSWORD)

        _printed(page, f"{PROGRAMME}/")
        _bars_print(page)
        chart = page.locator(".kn-chart").first
        expect(chart.locator("svg")).to_be_visible()
        assert chart.evaluate("c => getComputedStyle(c).printColorAdjust") == "exact"
        expect(page.locator(".programme-nav")).to_be_hidden()

        _printed(page, demo["results"])
        expect(page.locator(".sv-chart svg").first).to_be_visible()
        expect(page.locator(".sv-filters")).to_be_hidden()
        expect(page.locator(".sv-figures").first).to_be_visible()

        _printed(page, demo["workshop"])
        expect(page.locator("#workshop-actions")).to_be_hidden()
        expect(page.locator("#registrations table")).to_be_visible()
        # Paper is wider than the phone breakpoint: the registrations print as a table.
        assert page.locator("#registrations thead").is_visible()
    finally:
        context.close()
