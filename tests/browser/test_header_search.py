"""The header search on a phone: a coordinator types a name without diacritics in the header box,
sees the results grouped by kind, moves with ↓ and opens a person's page with Enter."""

import re

import pytest
from playwright.sync_api import expect

from ketnoi.core.roles import Role
from ketnoi.core.tests.factories import make_user
from ketnoi.directory.tests.factories import make_organisation, make_person
from ketnoi.programmes.tests.factories import grant, make_programme

from .conftest import PHONE, log_in
from .test_accessibility import _violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def rows():
    grant(make_user("dieuphoi-tim"), make_programme("Chương trình Kết nối", "ket-noi"), Role.COORDINATOR)
    make_organisation("Hội Nguyễn Trãi")
    first = make_person("Nguyễn Thị An", position="Cán bộ")
    second = make_person("Nguyễn Văn Bình", organisation=make_organisation("Sở Tư pháp Đà Nẵng"))
    make_person("Trần Văn Cường")
    return first, second


def test_coordinator_finds_a_person_from_the_header_by_keyboard(phone, rows):
    _first, second = rows
    log_in(phone, "dieuphoi-tim", "pw-dieuphoi-tim")
    box = phone.get_by_role("combobox", name=re.compile("Tìm người"))
    expect(box).to_be_visible()
    # The box fits the phone: its own row, not past the screen's edge.
    bounds = box.bounding_box()
    assert bounds["x"] >= 0 and bounds["x"] + bounds["width"] <= PHONE["width"]

    box.fill("nguyen")
    listbox = phone.get_by_role("listbox")
    expect(listbox.get_by_role("option", name=re.compile("Nguyễn Thị An"))).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(listbox.get_by_role("group", name="Cá nhân")).to_be_visible()
    expect(listbox.get_by_role("group", name="Tổ chức")).to_contain_text("Hội Nguyễn Trãi")
    expect(phone.locator("#header-search-status")).to_contain_text("kết quả")
    # The open dropdown passes the same WCAG checks as every main page.
    assert _violations(phone) == []

    # ↓ twice: the second person is the active option, named to assistive technology.
    box.press("ArrowDown")
    box.press("ArrowDown")
    active = phone.locator('[role="option"][aria-selected="true"]')
    expect(active).to_have_count(1)
    expect(active).to_contain_text("Nguyễn Văn Bình")
    expect(box).to_have_attribute("aria-activedescendant", active.get_attribute("id"))

    # Escape closes the list; ↓ opens it again where it was.
    box.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(listbox).to_be_hidden()
    box.press("ArrowDown")
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-expanded", "true")

    box.press("Enter")
    expect(phone).to_have_url(re.compile(f"/directory/people/{second.pk}/$"))
    expect(phone.get_by_role("heading", level=1)).to_have_text("Nguyễn Văn Bình")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1


def test_enter_without_a_choice_opens_the_results_page(phone, rows):
    log_in(phone, "dieuphoi-tim", "pw-dieuphoi-tim")
    box = phone.get_by_role("combobox", name=re.compile("Tìm người"))
    box.fill("da nang")
    expect(phone.get_by_role("listbox").get_by_role("option").first).to_be_visible()
    box.press("Enter")
    expect(phone).to_have_url(re.compile(r"/search/\?q=da\+nang$"))
    expect(phone.get_by_role("heading", level=2, name=re.compile("Tổ chức"))).to_be_visible()
    expect(phone.get_by_role("link", name="Sở Tư pháp Đà Nẵng")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
