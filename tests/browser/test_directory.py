"""The directory on a phone: find an organisation without typing diacritics, add a person, and be
warned before creating a duplicate."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from ketnoi.demo.data import PASSWORD
from ketnoi.directory.models import Person

from .conftest import PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def demo():
    call_command("demo_load", verbosity=0)


def test_coordinator_finds_an_organisation_and_adds_a_person_once(demo, phone):
    log_in(phone, "dieuphoi", PASSWORD)
    phone.get_by_role("link", name="Danh bạ").click()
    phone.locator("main input[name=q]").fill("phat trien cong dong me kong")
    phone.get_by_role("button", name="Lọc").click()
    rows = phone.locator("#organisations tbody tr")
    expect(rows).to_have_count(1)
    rows.get_by_role("link").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Trung tâm Phát triển cộng đồng vùng Mê Kông")

    phone.goto("/directory/people/new/")
    phone.locator("input[name=full_name]").fill("Lê Thị Hồng Nhung")
    phone.locator("select[name=sex]").select_option("female")
    phone.locator("input[name=email]").fill("nhung.le@mekong.example")
    phone.get_by_role("button", name="Lưu", exact=True).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Lê Thị Hồng Nhung")

    # The same person typed again without diacritics is caught before a second row is written.
    phone.goto("/directory/people/new/")
    phone.locator("input[name=full_name]").fill("le thi hong nhung")
    phone.locator("input[name=email]").fill("NHUNG.LE@mekong.example")
    phone.get_by_role("button", name="Lưu", exact=True).click()
    expect(phone.locator("#create-anyway")).to_be_visible()
    expect(phone.get_by_text(re.compile("Lê Thị Hồng Nhung")).first).to_be_visible()
    assert Person.objects.filter(full_name__icontains="Nhung", email__iexact="nhung.le@mekong.example").count() == 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
