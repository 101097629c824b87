"""A visitor reads a published workshop report on a phone and comments; the comment waits for
moderation; the programme's coordinator approves it in the queue; the visitor reloads and sees
it, as text, with the e-mail nowhere on the page."""

import pytest
from playwright.sync_api import expect

from ketnoi.news import services
from ketnoi.news.models import Comment
from ketnoi.programmes.models import Programme, ProgrammeRole

from .conftest import PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def report(make_user):
    coordinator = make_user("hoi-dieu-phoi")
    programme = Programme.objects.create(name="Kế hoạch hợp tác về vận động chính sách", code="van-dong")
    ProgrammeRole.objects.create(user=coordinator, programme=programme, role="coordinator")
    post = services.post_create(
        actor=coordinator,
        programme=programme,
        title="Hội thảo tập huấn vận động chính sách",
        summary="35 đại biểu thảo luận bốn câu hỏi về vận động chính sách.",
        body="## Nội dung\n\nCác đại biểu **thực hành** trên tình huống thực tế.",
        signature="Ban tổ chức",
        tags=["vận động chính sách"],
    )
    post = services.post_publish(actor=coordinator, post=post)
    post.coordinator = coordinator
    return post


def _fits_the_screen(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"the page is {width}px wide on a {PHONE['width']}px screen"


def test_visitor_comments_coordinator_approves_visitor_sees_it(report, phone, browser, live_server):
    visitor = phone
    visitor.goto("/news/")
    visitor.get_by_role("link", name="Hội thảo tập huấn vận động chính sách").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Hội thảo tập huấn vận động chính sách")
    expect(visitor.locator("#post-body strong")).to_have_text("thực hành")
    expect(visitor.locator("#post-signature")).to_have_text("Ban tổ chức")
    _fits_the_screen(visitor)

    # The honeypot is there for robots but a person neither sees it nor tabs into it.
    expect(visitor.locator('input[name="website"]')).not_to_be_in_viewport()
    visitor.get_by_label("Tên *").fill("Nguyễn Thị Lan")
    visitor.get_by_label("Thư điện tử *").fill("lan.nguyen@example.org")
    visitor.get_by_label("Bình luận *").fill("Buổi tập huấn rất bổ ích.\n<b>Cảm ơn</b> ban tổ chức!")
    visitor.get_by_role("button", name="Gửi bình luận").click()
    expect(visitor.locator(".messages")).to_contain_text("đang chờ kiểm duyệt")
    expect(visitor.locator("#comment-list")).to_have_count(0)
    _fits_the_screen(visitor)
    assert Comment.objects.get().status == Comment.Status.PENDING

    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale="vi-VN", base_url=live_server.url
    )
    try:
        coordinator = context.new_page()
        log_in(coordinator, "hoi-dieu-phoi", "pw-hoi-dieu-phoi")
        coordinator.goto("/news/programmes/van-dong/comments/")
        row = coordinator.locator("#comment-queue li").filter(has_text="Nguyễn Thị Lan")
        expect(row).to_contain_text("lan.nguyen@example.org")
        _fits_the_screen(coordinator)
        row.get_by_role("button", name="Duyệt").click()
        expect(coordinator.locator(".messages")).to_contain_text("Nguyễn Thị Lan")
        expect(coordinator.locator("#empty-queue")).to_be_visible()
    finally:
        context.close()

    visitor.reload()
    comment = visitor.locator("#comment-list li")
    expect(comment).to_have_count(1)
    expect(comment).to_contain_text("Nguyễn Thị Lan")
    # Shown as text, with its line break: the <b> is characters on the page, not an element.
    body = comment.locator(".news-comment-body")
    assert body.inner_text() == "Buổi tập huấn rất bổ ích.\n<b>Cảm ơn</b> ban tổ chức!"
    expect(body.locator("b")).to_have_count(0)
    assert "lan.nguyen@example.org" not in visitor.content()
