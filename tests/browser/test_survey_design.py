"""A coordinator designs an evaluation on a phone: starts from the lecture template, adds a
question shown only after a certain answer, opens a collection, and gets the share link and the
QR code to project."""

import os
import re

import pytest
from playwright.sync_api import expect

from ketnoi.core.roles import Role

from .conftest import PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
SCREENSHOTS = os.environ.get("SURVEY_SCREENSHOTS")  # a folder, to look at the pages while developing


@pytest.fixture
def coordinator_account(django_user_model):
    from ketnoi.programmes.models import Activity, Programme, ProgrammeRole

    programme = Programme.objects.create(name="Chương trình thử nghiệm khảo sát", code="khao-sat")
    Activity.objects.create(programme=programme, number=1, title="Đồng giảng dạy tại Học viện")
    user = django_user_model.objects.create_user(username="dieuphoi", password="mat-khau-dai-123")
    ProgrammeRole.objects.create(user=user, programme=programme, role=Role.COORDINATOR)
    return user


def _fits_the_screen(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"{name}: the page is {width}px wide on a {PHONE['width']}px screen"


def test_coordinator_designs_a_lecture_evaluation_and_shares_it(coordinator_account, phone):
    log_in(phone, "dieuphoi", "mat-khau-dai-123")
    phone.goto("/programmes/khao-sat/")
    phone.get_by_role("link", name="Khảo sát", exact=True).click()
    expect(phone.get_by_text("Chương trình chưa có biểu mẫu khảo sát nào.")).to_be_visible()
    _fits_the_screen(phone, "1-empty-list")

    # From the lecture template.
    phone.get_by_role("button", name="Từ mẫu đánh giá bài giảng").click()
    expect(phone.get_by_label("Mẫu có sẵn: đánh giá bài giảng")).to_be_checked()
    phone.get_by_label("Tiêu đề").fill("Đánh giá bài giảng HK1")
    _fits_the_screen(phone, "2-new-form")
    phone.get_by_role("button", name="Tạo biểu mẫu").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Đánh giá bài giảng HK1")
    expect(phone.get_by_text("Đánh giá chung về bài giảng")).to_be_visible()
    _fits_the_screen(phone, "3-form")

    # A question shown only to those who would not learn more.
    phone.get_by_role("button", name="Sửa câu hỏi").click()
    phone.get_by_role("button", name="+ Đoạn văn").click()
    phone.get_by_label("Nội dung (tiếng Việt)").fill("Vì sao anh/chị không muốn học thêm?")
    phone.get_by_label("Nội dung (tiếng Anh)").fill("Why not?")
    phone.get_by_label("Tên (mã) câu hỏi").fill("why_not")
    phone.get_by_label("Chỉ hiện khi").fill("${would_recommend} = 'no' and ${later} = 1")
    _fits_the_screen(phone, "4-question-form")
    phone.get_by_role("button", name="Lưu câu hỏi").click()
    # A rule naming a question the form does not have is caught beside the field.
    expect(phone.locator("#id_relevant_error")).to_contain_text("Biểu mẫu không có câu hỏi later")
    _fits_the_screen(phone, "5-question-error")
    phone.get_by_label("Chỉ hiện khi").fill("${would_recommend} = 'no'")
    phone.get_by_role("button", name="Lưu câu hỏi").click()
    expect(phone.locator(".messages")).to_contain_text("Đã lưu câu hỏi “why_not”")
    question = phone.locator("#q-why_not")
    expect(question).to_contain_text("Vì sao anh/chị không muốn học thêm?")
    expect(question).to_contain_text("${would_recommend} = 'no'")
    _fits_the_screen(phone, "6-questions")

    # Open a collection for a class.
    phone.get_by_role("link", name="Về trang biểu mẫu").click()
    phone.get_by_role("button", name="Mở đợt khảo sát").click()
    phone.get_by_label("Tên đợt khảo sát").fill("Bài giảng 12/10 – lớp HN01")
    phone.get_by_label("Hoạt động của chương trình").select_option(label="1. Đồng giảng dạy tại Học viện")
    phone.get_by_label("Lớp", exact=True).fill("HN01")
    phone.get_by_label("Số phiếu tối đa").fill("40")
    _fits_the_screen(phone, "7-open-collection")
    phone.get_by_role("button", name="Mở đợt khảo sát").click()

    # The share page: the link, the QR code, the state.
    expect(phone.locator(".messages")).to_contain_text("Đã mở đợt khảo sát")
    link = phone.get_by_label("Đường dẫn khảo sát")
    expect(link).to_have_value(re.compile(r"^http://[^/]+/s/[A-Za-z0-9_-]{12}/$"))
    qr = phone.locator("#share-qr svg, #share-qr img").first
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box["width"] >= 250 and box["height"] >= 250, box
    expect(phone.locator("#collection-status")).to_have_text("đang mở")
    expect(phone.locator("#response-count")).to_have_text("0 / tối đa 40")
    _fits_the_screen(phone, "8-share")

    phone.get_by_role("button", name="Chiếu mã QR").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Bài giảng 12/10 – lớp HN01")
    expect(phone.locator("#projector-qr svg, #projector-qr img").first).to_be_visible()
    expect(phone.locator("#projector-link")).to_contain_text("/s/")
    _fits_the_screen(phone, "9-projector")
