"""The to-do inbox on a phone: a coordinator signs in, lands on "Việc cần làm", sees the number
of tasks beside its link in the header (loaded after the page), follows "Đăng ký chờ duyệt" and
arrives at the workshop's registrations filtered to those waiting, where they approve one."""

import re

import pytest
from playwright.sync_api import expect

from ketnoi.events.tests.factories import make_workshop, register

from .conftest import PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def waiting(coordinator, prog):
    workshop = make_workshop(coordinator, prog, title="Hội thảo cần duyệt", needs_approval=True)
    for name in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"):
        register(workshop, name)
    return workshop


def test_a_coordinator_lands_on_the_inbox_and_follows_it_to_the_registrations(phone, waiting):
    log_in(phone, "coordinator", "pw-coordinator")
    expect(phone).to_have_url(re.compile(r"/todo/$"))
    expect(phone.get_by_role("heading", name="Việc cần làm", level=1)).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # The header's figure, filled in by htmx after the page.
    expect(phone.locator("#nav-todo #todo-count")).to_have_attribute("data-count", "3")
    expect(phone.locator("#nav-todo")).to_contain_text("3")

    group = phone.locator("#todo-events-registrations")
    expect(group).to_contain_text("Hội thảo cần duyệt")
    group.get_by_role("link", name="Đăng ký chờ duyệt").click()
    expect(phone).to_have_url(re.compile(rf"/events/{waiting.pk}/\?status=pending#registrations$"))
    registrations = phone.locator("#registrations")
    for name in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"):
        expect(registrations).to_contain_text(name)

    # The list does the task: one approved, the inbox (and its figure) show what is left.
    registrations.get_by_role("button", name="Duyệt").first.click()
    expect(phone.locator(".message-success")).to_be_visible()
    phone.locator("#nav-todo").click()
    expect(phone).to_have_url(re.compile(r"/todo/$"))
    expect(phone.locator("#todo-events-registrations .badge").first).to_have_text("2")
    expect(phone.locator("#nav-todo #todo-count")).to_have_attribute("data-count", "2")
