"""A bulk approval on a phone (issue 14): a coordinator opens a workshop's registrations, ticks
"select all", approves, confirms on the page that follows, and reads "Đã duyệt N"."""

import pytest
from playwright.sync_api import expect

from ketnoi.events import services
from ketnoi.events.models import Registration, Workshop
from ketnoi.events.tests.factories import make_workshop, register
from ketnoi.programmes.models import Programme, ProgrammeRole

from .conftest import PHONE, log_in
from .test_accessibility import _violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Chi", "Phạm Thị Dung", "Hoàng Văn Em"]


@pytest.fixture
def workshop(make_user):
    coordinator = make_user("dieu-phoi")
    programme = Programme.objects.create(name="Kết nối nhà nước và tổ chức xã hội", code="ket-noi")
    ProgrammeRole.objects.create(user=coordinator, programme=programme, role="coordinator")
    workshop = make_workshop(coordinator, programme, needs_approval=True, registration=Workshop.Registration.PUBLIC)
    rows = [register(workshop, name)[0] for name in NAMES]
    services.registration_cancel(actor=coordinator, registration=rows[-1])  # one that cannot be approved
    return workshop


def test_a_coordinator_approves_every_registration_at_once_on_a_phone(workshop, phone):
    page = phone
    log_in(page, "dieu-phoi", "pw-dieu-phoi")
    page.goto(f"/programmes/ket-noi/events/{workshop.pk}/#registrations")
    bar = page.locator("#bulk-bar")
    expect(bar.locator("#bulk-count")).to_have_text("Đã chọn 0")
    bar.get_by_label("Chọn tất cả trên trang").check()
    expect(bar.locator("#bulk-count")).to_have_text("Đã chọn 5")
    # axe-core, as on the other main pages, with the bar in its place below the list (stuck to the
    # bottom of the screen it covers part of some row, which axe counts against those buttons)
    page.locator("#breakdown").scroll_into_view_if_needed()
    assert _violations(page) == []
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"the list is {width}px wide on a {PHONE['width']}px screen"
    bar.get_by_role("button", name="Duyệt").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Duyệt 5 đăng ký?")
    expect(page.locator("#bulk-refused")).to_contain_text("Hoàng Văn Em: Chỉ duyệt được đăng ký đang chờ duyệt.")
    assert _violations(page) == []
    page.get_by_role("button", name="Duyệt 4 đăng ký").click()

    expect(page.get_by_text("Đã duyệt 4 đăng ký; 1 không đổi được: Hoàng Văn Em")).to_be_visible()
    statuses = sorted(Registration.objects.filter(workshop=workshop).values_list("status", flat=True))
    assert statuses == ["cancelled"] + ["confirmed"] * 4
