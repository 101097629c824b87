"""A walk-in with an organisation the directory does not know, through to the published report,
on a phone (issue 13): the coordinator registers "Hội Luật gia Việt Nam" at the door, sees it on
the registrations list (not "—"), the drafted report says one person's organisation type is not
known (never "0 đại biểu …"), then creates the organisation as a CSO from the registrations list
and the next report — published — counts the delegate as a CSO delegate."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ketnoi.directory.models import Organisation, OrganisationType, Person
from ketnoi.events import services
from ketnoi.events.models import Registration, Workshop
from ketnoi.news.models import Post
from ketnoi.programmes.models import Programme, ProgrammeRole

from .conftest import PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LAWYERS = "Hội Luật gia Việt Nam"


@pytest.fixture
def workshop(make_user):
    coordinator = make_user("dieu-phoi")
    programme = Programme.objects.create(name="Kết nối nhà nước và tổ chức xã hội", code="ket-noi")
    ProgrammeRole.objects.create(user=coordinator, programme=programme, role="coordinator")
    # Under way since this morning: the door is open and the day can be recorded as held.
    start = timezone.now() - timedelta(hours=2)
    return services.workshop_create(
        actor=coordinator,
        programme=programme,
        title="Hội thảo kết nối tại Cần Thơ",
        kind=Workshop.Kind.CONNECTING,
        venue="Hội trường thành phố",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        registration=Workshop.Registration.PUBLIC,
    )


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"{page.url} is {width}px wide on a {PHONE['width']}px screen"


def test_a_walk_in_s_new_organisation_is_matched_and_counted_in_the_report(workshop, phone):
    page = phone
    detail = f"/programmes/ket-noi/events/{workshop.pk}/"
    log_in(page, "dieu-phoi", "pw-dieu-phoi")

    # At the door: a walk-in naming an organisation the directory does not know.
    page.goto(detail + "checkin/")
    page.locator("#walkin-title").click()
    walk_in = page.locator("#walkin-form")
    walk_in.get_by_label("Họ và tên").fill("Trần Văn Đức")
    walk_in.get_by_role("combobox", name="Tổ chức").fill(LAWYERS)
    walk_in.get_by_role("checkbox", name="Người tham dự đồng ý").check()
    walk_in.get_by_role("button", name="Đăng ký và điểm danh").click()
    expect(page.locator(".messages")).to_contain_text("Đã đăng ký tại chỗ và điểm danh: Trần Văn Đức")
    expect(page.locator(".messages")).to_contain_text(f"“{LAWYERS}”")
    registration = Registration.objects.get()
    assert registration.organisation_name == LAWYERS and registration.organisation is None

    # The registrations list shows what was typed, marked as not matched yet.
    page.goto(detail)
    row = page.locator(f"#registration-{registration.pk}")
    expect(row).to_contain_text(LAWYERS)
    expect(row).to_contain_text("chưa khớp danh bạ")
    expect(page.locator("#unknown-type")).to_contain_text("1 người chưa rõ loại tổ chức")
    _fits(page)

    # Held; the drafted report says the type is not known instead of a silent zero.
    page.get_by_role("button", name="Ghi nhận: đã tổ chức").click()
    page.get_by_role("button", name="Viết bài báo cáo").click()
    body = page.locator("textarea").nth(1)
    expect(page.locator("textarea").first).to_be_visible()
    draft = Post.objects.get()
    assert "1 người chưa rõ loại tổ chức" in draft.body
    assert "0 đại biểu" not in draft.body

    # Back on the workshop's page: follow the figure's link, tick the group, create the CSO.
    page.goto(detail)
    page.locator("#unknown-type").get_by_role("link").click()
    expect(page.locator("#organisation-filter")).to_be_visible()
    page.locator("#typed-groups").get_by_role("link", name="Chọn cả nhóm để gắn tổ chức").click()
    expect(page.locator(f"#select-{registration.pk}")).to_be_checked()
    form = page.locator("#organisation-match-form")
    expect(form.get_by_label("Tên tổ chức mới")).to_have_value(LAWYERS)
    form.get_by_label("Loại hình").select_option(OrganisationType.CSO)
    _fits(page)
    form.get_by_role("button", name="Tạo tổ chức và gắn").click()
    expect(page.locator(".messages")).to_contain_text(f"Đã gắn 1 người với “{LAWYERS}” (Tổ chức xã hội).")
    expect(page.locator("#organisation-filter")).to_contain_text("Chỉ hiện những người chưa rõ loại tổ chức.")
    expect(page.locator(".empty").first).to_contain_text("Mọi người trong danh sách đều đã rõ loại tổ chức.")
    lawyers = Organisation.objects.get(name=LAWYERS)
    assert lawyers.type == OrganisationType.CSO
    assert Registration.objects.get().organisation == lawyers

    page.goto(detail)
    expect(page.locator("#state-cso")).to_contain_text("Cơ quan nhà nước: 0 · Tổ chức xã hội: 1")
    expect(page.locator("#unknown-type")).to_have_count(0)
    expect(page.locator(f"#registration-{registration.pk}")).not_to_contain_text("chưa khớp danh bạ")

    # The report drafted now counts the delegate; published, the public page says so.
    page.get_by_role("button", name="Viết bài báo cáo").click()
    expect(body).to_be_visible()
    page.get_by_role("button", name="Đăng tin").click()
    post = Post.objects.exclude(pk=draft.pk).get()
    assert post.status == Post.Status.PUBLISHED
    page.goto(f"/news/{post.slug}/")
    expect(page.locator("#post-body")).to_contain_text("1 đại biểu tổ chức xã hội (100%)")
    expect(page.locator("#post-body")).not_to_contain_text("chưa rõ loại tổ chức")
    _fits(page)
    # The walk-in stays one person in the directory, who typed the name once.
    assert Person.objects.count() == 1
