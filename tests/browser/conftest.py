"""Real-browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium), never a
downloaded browser, on a phone-sized screen against pytest-django's live server on loopback.
Every test module here sets `pytestmark = pytest.mark.browser` so `make test` runs them apart."""

import importlib
import os

import pytest
from playwright.sync_api import expect

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still
# synchronous and safe, so let Django allow them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# A busy CI machine can take longer than Playwright's 5 s default to settle a page.
expect.set_options(timeout=15_000)

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def provinces_loaded(request):
    """The provinces, the only rows a migration loads, present in every browser test.

    Why: while Playwright's event loop runs in this thread, Django's connection lookups reach a
    different connection object than the one pytest-django left the serialized_rollback snapshot
    on, so after a live-server test the snapshot is not restored and the next test would find
    an empty province table (seen as a demo load refusing to start, depending on test order)."""
    if request.node.get_closest_marker("django_db") is not None:
        request.getfixturevalue("transactional_db")
        from django.apps import apps

        from ketnoi.directory.models import Province

        if not Province.objects.exists():
            importlib.import_module("ketnoi.directory.migrations.0002_load_provinces").load_provinces(apps, None)
    yield


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's package (apt-get install chromium).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def phone(browser, live_server):
    """A fresh phone-sized browser context whose relative URLs go to the live server."""
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale="vi-VN", base_url=live_server.url
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def log_in(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state("networkidle")
