"""A material's review on phones: an expert of the partner organisation (an account with no
role on the programme) opens the assignment from "Góp ý của tôi", comments on "Slide 5" and
approves; the author then reads the decision and the comment in the version's history."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect

from ketnoi.programmes.models import Programme, ProgrammeRole
from ketnoi.training.models import ReviewAssignment
from ketnoi.training.services import review

from .conftest import PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def setting(make_user):
    author = make_user("tac-gia", first_name="Tác giả")
    expert = make_user("chuyen-gia", first_name="Chuyên gia", email="expert@partner.example.org")
    programme = Programme.objects.create(name="Kết nối nhà nước và tổ chức xã hội", code="ket-noi")
    ProgrammeRole.objects.create(user=author, programme=programme, role="lecturer")
    material = review.material_create(
        actor=author,
        programme=programme,
        title="Bài trình bày: vận động chính sách",
        kind="slides",
        file=SimpleUploadedFile("van-dong.pdf", PDF),
    )
    review.review_request(
        actor=author,
        version=material.versions.get(),
        reviewers=[expert],
        due_on=timezone.localdate() + timedelta(days=5),
        message="Nhờ chị xem giúp phần số liệu.",
    )
    return material


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"{page.url} is {width}px wide on a {PHONE['width']}px screen"


def _context(browser, live_server):
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale="vi-VN", base_url=live_server.url
    )
    context.set_default_timeout(15_000)
    return context


def test_reviewer_comments_and_approves(setting, browser, live_server):
    material = setting
    expert_phone, author_phone = _context(browser, live_server), _context(browser, live_server)
    try:
        page = expert_phone.new_page()
        log_in(page, "chuyen-gia", "pw-chuyen-gia")
        page.goto("/programmes/ket-noi/training/materials/mine/")
        _fits(page)
        page.get_by_role("link", name="Bài trình bày: vận động chính sách").click()
        expect(page.locator("#assignment-decision")).to_have_text("Đang chờ góp ý")
        expect(page.get_by_text("Nhờ chị xem giúp phần số liệu.")).to_be_visible()
        _fits(page)
        page.get_by_label("Mục hoặc trang (không bắt buộc)").fill("Slide 5")
        page.get_by_label("Góp ý", exact=True).fill("Số liệu cần ghi nguồn và năm.")
        page.get_by_role("button", name="Ghi góp ý").click()
        expect(page.locator("#comment-list")).to_contain_text("Slide 5")
        page.get_by_role("button", name="Duyệt tài liệu").click()
        expect(page.locator("#assignment-decision")).to_have_text("Đã duyệt")
        expect(page.locator("#decide-form")).to_have_count(0)
        _fits(page)
        assert ReviewAssignment.objects.get().decision == ReviewAssignment.Decision.APPROVED

        author = author_phone.new_page()
        log_in(author, "tac-gia", "pw-tac-gia")
        author.goto("/programmes/ket-noi/training/materials/")
        author.get_by_role("link", name="Bài trình bày: vận động chính sách").click()
        history = author.locator("#version-1")
        expect(history).to_contain_text("Đã duyệt")
        expect(history).to_contain_text("Slide 5")
        expect(history).to_contain_text("Số liệu cần ghi nguồn và năm.")
        expect(history).to_contain_text("Chuyên gia")
        _fits(author)
        assert author.url.endswith(f"/materials/{material.pk}/")
    finally:
        expert_phone.close()
        author_phone.close()
