"""A coordinator on a phone narrows the people list to one organisation by typing part of its
name in the filter's picker (no list of every organisation), picks it and filters: the list shows
its people and the address is `?organisation=<id>`, to share. The page fits a 390 px screen."""

import re

import pytest
from playwright.sync_api import expect

from ketnoi.directory.models import Organisation, OrganisationType, Person
from ketnoi.programmes.models import Programme, ProgrammeRole

from .conftest import PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def directory(make_user):
    coordinator = make_user("dieu-phoi")
    programme = Programme.objects.create(name="Chương trình Danh bạ", code="db")
    ProgrammeRole.objects.create(user=coordinator, programme=programme, role="coordinator")
    msd = Organisation.objects.create(name="Trung tâm MSD", short_name="MSD", type=OrganisationType.CSO)
    vileap = Organisation.objects.create(name="Viện ViLEAP", short_name="ViLEAP", type=OrganisationType.CSO)
    Person.objects.create(full_name="Nguyễn Thị Lan", organisation=msd)
    Person.objects.create(full_name="Trần Văn Minh", organisation=vileap)
    return msd


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"{page.url} is {width}px wide on a {PHONE['width']}px screen"


def test_coordinator_filters_the_people_by_an_organisation_found_by_typing(directory, phone):
    log_in(phone, "dieu-phoi", "pw-dieu-phoi")
    phone.goto("/directory/people/")
    _fits(phone)
    expect(phone.locator("#people")).to_contain_text("Trần Văn Minh")
    phone.get_by_label("Tổ chức: Tìm tổ chức").press_sequentially("trung tam", delay=20)
    match = phone.get_by_role("radio", name="Trung tâm MSD")
    expect(match).to_be_visible()
    expect(phone.get_by_role("radio", name="Viện ViLEAP")).to_have_count(0)
    _fits(phone)
    match.check()
    phone.get_by_role("button", name="Lọc", exact=True).click()
    expect(phone).to_have_url(re.compile(rf"[?&]organisation={directory.pk}(&|$)"))
    expect(phone.locator("#people")).to_contain_text("Nguyễn Thị Lan")
    expect(phone.locator("#people")).not_to_contain_text("Trần Văn Minh")
    expect(phone.get_by_role("radio", name="Trung tâm MSD")).to_be_checked()
    expect(phone.locator("#id_organisation_status")).to_have_text("")  # no stale search left
    _fits(phone)
