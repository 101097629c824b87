"""The whole workshop on phones: a delegate registers for a public workshop and gets the QR
code; at the door the organiser checks the code in; after the day the organiser records the
conclusions, marks the workshop held and publishes the report it drafts; a reader comments on
the report and the organiser approves the comment."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ketnoi.events import services
from ketnoi.events.models import Registration, Workshop
from ketnoi.news.models import Comment, Post
from ketnoi.programmes.models import Programme, ProgrammeRole

from .conftest import PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def setting(make_user):
    organiser = make_user("ban-to-chuc")
    programme = Programme.objects.create(name="Kết nối nhà nước và tổ chức xã hội", code="ket-noi")
    ProgrammeRole.objects.create(user=organiser, programme=programme, role="coordinator")
    # Under way (public registration stays open until it ends): checking in, marking it held and
    # drafting the report ask for no confirmation of being early (events/services/dates.py).
    start = timezone.now() - timedelta(minutes=30)
    workshop = services.workshop_create(
        actor=organiser,
        programme=programme,
        title="Hội thảo kết nối tại Cần Thơ",
        kind=Workshop.Kind.CONNECTING,
        venue="Hội trường thành phố",
        starts_at=start,
        ends_at=start + timedelta(hours=6),
        capacity=30,
        registration=Workshop.Registration.PUBLIC,
    )
    services.question_add(
        actor=organiser, workshop=workshop, text="Cơ quan nhà nước và tổ chức xã hội phối hợp thế nào?"
    )
    return organiser, workshop


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"{page.url} is {width}px wide on a {PHONE['width']}px screen"


def _phone(browser, live_server):
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale="vi-VN", base_url=live_server.url
    )
    context.set_default_timeout(15_000)
    return context


def test_register_check_in_report_and_comment(setting, browser, live_server):
    organiser, workshop = setting
    delegate_phone, organiser_phone = _phone(browser, live_server), _phone(browser, live_server)
    try:
        # A delegate registers and keeps the ticket with its QR code.
        delegate = delegate_phone.new_page()
        delegate.goto(f"/e/w/{workshop.pk}/")
        delegate.get_by_label("Họ và tên").fill("Phạm Thị Hồng")
        delegate.get_by_label("Thư điện tử").fill("hong.pham@example.org")
        delegate.locator("#id_consent").check()
        delegate.get_by_role("button", name="Đăng ký").click()
        expect(delegate.locator("svg.qr")).to_be_visible()
        # A public registration holds a place and waits for the e-mailed confirmation; the door
        # confirms it too (issue 12).
        expect(delegate.get_by_text("Đã giữ chỗ, chờ xác nhận qua thư điện tử")).to_be_visible()
        _fits(delegate)
        registration = Registration.objects.get()

        # At the door the organiser's phone takes the code (the hand-held scanner types it).
        door = organiser_phone.new_page()
        log_in(door, "ban-to-chuc", "pw-ban-to-chuc")
        door.goto(f"/programmes/ket-noi/events/{workshop.pk}/")
        _fits(door)
        door.locator("#open-checkin").click()
        door.get_by_label("Hoặc nhập mã trên vé").fill(services.checkin_payload(registration))
        door.locator("#code-form").get_by_role("button", name="Điểm danh").click()
        expect(door.locator("#checkin-result")).to_contain_text("Phạm Thị Hồng")
        _fits(door)
        assert Registration.objects.get().checked_in_at is not None

        # After the day: conclusions, held, the report drafted from the workshop, published.
        door.goto(f"/programmes/ket-noi/events/{workshop.pk}/")
        door.get_by_role("link", name="Sửa, ghi kết luận").click()
        door.get_by_label("Kết luận").fill("Lập đầu mối liên lạc ở mỗi sở và mỗi tổ chức.")
        door.get_by_role("button", name="Lưu").click()
        expect(door.locator("#questions")).to_contain_text("Lập đầu mối liên lạc")
        door.get_by_role("button", name="Ghi nhận: đã tổ chức").click()
        _fits(door)
        door.get_by_role("button", name="Viết bài báo cáo").click()
        expect(door.locator("textarea").first).to_be_visible()
        door.get_by_role("button", name="Đăng tin").click()
        post = Post.objects.get()
        assert post.status == Post.Status.PUBLISHED and "Lập đầu mối liên lạc" in post.body

        # A reader comments; the organiser approves; the reader sees it.
        reader = delegate_phone.new_page()
        reader.goto(f"/news/{post.slug}/")
        expect(reader.locator("#post-body")).to_contain_text("Lập đầu mối liên lạc")
        reader.get_by_label("Tên *").fill("Trần Văn Khoa")
        reader.get_by_label("Thư điện tử *").fill("khoa@example.org")
        reader.get_by_label("Bình luận *").fill("Mong có thêm hội thảo như vậy.")
        reader.get_by_role("button", name="Gửi bình luận").click()
        expect(reader.locator(".messages")).to_contain_text("đang chờ kiểm duyệt")
        _fits(reader)
        door.goto("/news/programmes/ket-noi/comments/")
        door.locator("#comment-queue li").filter(has_text="Trần Văn Khoa").get_by_role("button", name="Duyệt").click()
        expect(door.locator(".messages")).to_contain_text("Trần Văn Khoa")
        reader.reload()
        expect(reader.locator("#comment-list li")).to_contain_text("Mong có thêm hội thảo như vậy.")
        assert Comment.objects.get().status == Comment.Status.APPROVED
    finally:
        delegate_phone.close()
        organiser_phone.close()
