"""The public home page on a phone: a visitor finds a workshop and registers from it, and
searches the library from the home page."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_visitor_goes_from_the_home_page_to_a_registration_and_the_library(phone):
    call_command("demo_load", verbosity=0)
    phone.goto("/")
    expect(phone.get_by_role("heading", name="Hội thảo sắp diễn ra")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing wider than the phone
    phone.locator("#home-workshops").get_by_role("button", name="Đăng ký tham dự").first.click()
    expect(phone.locator("input[name=full_name]")).to_be_visible()

    phone.goto("/")
    phone.locator("#home-library input[name=q]").fill("to chuc xa hoi")
    phone.locator("#home-library").get_by_role("button", name="Tìm").click()
    expect(phone).to_have_url(re.compile(r"/library/\?q=to\+chuc"))
