"""A coordinator imports 300 people on a phone: the progress while the file is read (the task run
by the test, the page polled by htmx until it reloads itself), the paged preview, only the rows
with problems, the refused rows as a workbook with a "Lý do" column, then the confirmation and
its progress until the people are in the directory."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from playwright.sync_api import expect

from ketnoi.demo.data import PASSWORD
from ketnoi.directory.models import Person, PersonImport
from ketnoi.directory.tests.factories import people_csv

from .conftest import PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROWS = 300
REFUSED = ROWS // 20


@pytest.fixture
def queued(monkeypatch):
    """The import's tasks queued here instead of run at once: the test runs each when it wants
    the page to see the task finish."""
    call_command("demo_load", verbosity=0)
    tasks = []
    monkeypatch.setattr("ketnoi.directory.services.imports.enqueue", lambda task, *args: tasks.append((task, args)))
    return tasks


def run_next(queued) -> str:
    task, args = queued.pop(0)
    return task.call(*args)


def test_a_coordinator_imports_three_hundred_people_on_a_phone(queued, phone):
    log_in(phone, "dieuphoi", PASSWORD)
    phone.goto(reverse("directory:people_import"))
    phone.locator("input[type=file]").set_input_files(
        files=[{"name": "nguoi.csv", "mimeType": "text/csv", "buffer": people_csv(ROWS)}]
    )
    phone.get_by_role("button", name="Xem trước").click()
    status = phone.locator("#import-progress[role=status]")
    expect(status).to_contain_text("Đang đọc tệp…")
    expect(phone.locator("#import-progress-body[hx-get]")).to_be_attached()
    person_import = PersonImport.objects.get(status=PersonImport.Status.READING)

    assert run_next(queued) == "preview"  # htmx's next poll gets 286 and HX-Refresh: the page reloads
    expect(phone.locator("#confirm-import")).to_have_text(f"Xác nhận nhập {ROWS - REFUSED} người")
    expect(phone.locator("#import-rows tbody tr")).to_have_count(50)
    expect(phone.locator("nav.pagination")).to_contain_text("Trang 1/6")

    phone.get_by_role("link", name="Chỉ dòng có vấn đề").click()
    expect(phone.locator("#only-problems")).to_have_attribute("aria-current", "page")
    expect(phone.locator("#import-rows tbody tr")).to_have_count(REFUSED)
    expect(phone.locator("#import-rows tbody tr.row-error")).to_have_count(REFUSED)

    with phone.expect_download() as download:
        phone.locator("#download-refused").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as file:
        workbook = load_workbook(io.BytesIO(file.read()))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    assert header[-1] == "Lý do" and header[0] == "Họ và tên"
    assert sheet.max_row == REFUSED + 1 and "khong-hop-le@" in {cell.value for cell in sheet[2]}

    before = Person.objects.count()
    phone.locator("#confirm-import").click()
    expect(status).to_contain_text("Đang ghi các dòng mới…")
    assert run_next(queued) == "confirmed"
    expect(phone.locator("#import-status")).to_have_text("Đã nhập")
    expect(phone.locator("#import-summary")).to_contain_text(f"Đã thêm: {ROWS - REFUSED}")
    assert Person.objects.count() == before + ROWS - REFUSED
    person_import.refresh_from_db()
    assert person_import.status == PersonImport.Status.CONFIRMED and not person_import.upload
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
