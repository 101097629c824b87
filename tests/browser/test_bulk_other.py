"""Bulk approval of indicator values and a library file's status that updates itself, on a
phone (issue 14): the coordinator ticks "select all", the bar counts "Đã chọn 3", one
confirmation approves the three; a file waiting for its text turns "Đã trích văn bản" on the
open document page without a reload."""

from datetime import date

import pytest
from playwright.sync_api import expect

from ketnoi.core.roles import Role
from ketnoi.library import services as library
from ketnoi.library.models import DocumentFile
from ketnoi.programmes import services
from ketnoi.programmes.models import IndicatorValue, Programme, ProgrammeRole

from .conftest import PHONE, log_in
from .test_accessibility import _violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def programme(make_user):
    programme = Programme.objects.create(name="Kết nối nhà nước và tổ chức xã hội", code="ket-noi")
    coordinator = make_user("dieu-phoi")
    lecturer = make_user("giang-vien")
    ProgrammeRole.objects.create(user=coordinator, programme=programme, role=Role.COORDINATOR)
    ProgrammeRole.objects.create(user=lecturer, programme=programme, role=Role.LECTURER)
    return programme, coordinator, lecturer


def _fits(page) -> None:
    """The page fits the phone's width and axe-core finds nothing serious on it."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"{page.url} is {width}px wide on a {PHONE['width']}px screen"
    assert _violations(page) == [], page.url


def test_a_coordinator_approves_three_values_at_once(programme, phone):
    programme, coordinator, lecturer = programme
    indicator = services.indicator_create(
        actor=coordinator, programme=programme, code="CT3", name="Số hội thảo", unit="hội thảo"
    )
    period = services.indicator_period_create(
        actor=coordinator,
        indicator=indicator,
        label="2026",
        start_date=date(2026, 1, 1),
        end_date=date(2026, 12, 31),
        target=3,
    )
    for n in (1, 2, 3):
        services.indicator_value_submit(
            actor=lecturer, indicator=indicator, period=period, value=n, evidence="Biên bản"
        )
    page = phone
    log_in(page, "dieu-phoi", "pw-dieu-phoi")
    page.goto("/programmes/ket-noi/approvals/")
    bar = page.locator("#bulk-approve")
    expect(bar.locator("[data-bulk-count]")).to_have_text("Đã chọn 0")
    bar.get_by_label("Chọn tất cả").check()
    expect(bar.locator("[data-bulk-count]")).to_have_text("Đã chọn 3")
    page.get_by_label("Chọn để phê duyệt cùng lúc").first.uncheck()
    expect(bar.locator("[data-bulk-count]")).to_have_text("Đã chọn 2")
    bar.get_by_label("Chọn tất cả").check()
    _fits(page)
    bar.get_by_role("button", name="Phê duyệt các giá trị đã chọn…").click()
    expect(page.locator("#bulk-summary")).to_contain_text("3 giá trị sẽ được phê duyệt")
    _fits(page)
    page.get_by_role("button", name="Phê duyệt 3 giá trị").click()
    expect(page.locator(".messages")).to_contain_text("Đã phê duyệt 3 giá trị.")
    assert set(IndicatorValue.objects.values_list("status", flat=True)) == {"approved"}


def test_a_files_status_updates_on_the_open_page(programme, phone, make_user):
    programme, coordinator, _lecturer = programme
    document = library.document_create(
        actor=coordinator, programme=programme, title="Báo cáo về tổ chức xã hội", type="research", access="partners"
    )
    file = DocumentFile.objects.create(
        document=document, file="library/x.txt", original_name="x.txt", media_type="text/plain", size=1, sha256="a"
    )
    page = phone
    log_in(page, "dieu-phoi", "pw-dieu-phoi")
    page.goto(f"/programmes/ket-noi/library/{document.pk}/")
    live = page.locator(f"#file-{file.pk}-live")
    expect(live).to_contain_text("Đang chờ trích văn bản")
    _fits(page)
    DocumentFile.objects.filter(pk=file.pk).update(status=DocumentFile.Status.READY, page_count=2)
    expect(live).to_contain_text("Đã trích văn bản")
    expect(live).to_contain_text("2 trang")
    expect(page.locator(f"#file-{file.pk}-status")).not_to_have_attribute("hx-trigger", "every 3s")


def test_a_lecturer_proposes_two_documents_for_a_collection(programme, phone):
    programme, coordinator, lecturer = programme
    collection = library.collection_create(actor=coordinator, programme=programme, name="Góc tri thức")
    for title in ("Sổ tay vận động chính sách", "Luật về hội"):
        library.document_create(actor=coordinator, programme=programme, title=title, type="research", access="partners")
    page = phone
    log_in(page, "giang-vien", "pw-giang-vien")
    page.goto("/programmes/ket-noi/library/")
    bar = page.locator("#bulk-propose")
    page.get_by_label("Chọn “Sổ tay vận động chính sách”").check()
    page.get_by_label("Chọn “Luật về hội”").check()
    expect(bar.locator("[data-bulk-count]")).to_have_text("Đã chọn 2")
    bar.get_by_label("Bộ sưu tập").select_option(label="Góc tri thức")
    _fits(page)
    bar.get_by_role("button", name="Đề xuất vào bộ sưu tập…").click()
    expect(page.locator("#bulk-summary")).to_contain_text("2 tài liệu sẽ được đề xuất")
    _fits(page)
    page.get_by_role("button", name="Đề xuất 2 tài liệu").click()
    expect(page.locator(".messages")).to_contain_text("Đã đề xuất 2 tài liệu vào bộ sưu tập “Góc tri thức”.")
    assert collection.items.count() == 2
