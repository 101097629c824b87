"""Hostile lists of people: a cell that inflates to tens of MB, a sheet 16,384 columns wide, a
cell past the length limit and a CSV field past csv's own limit are refused with a message that
says what to do — the reading task fails the import with that reason, shown on its page — and
nothing is written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ketnoi.core.tests import bombs
from ketnoi.directory.models import Person, PersonImport

from .factories import read_list, run_tasks

pytestmark = pytest.mark.django_db

HEADER = ["Họ và tên", "Email"]
BOMBS = [
    ("one cell of 25 MB", lambda: bombs.one_cell_inflating(HEADER, 25), "danh-sach.xlsx", "giải nén ra quá lớn"),
    ("50 MB row in a small file", lambda: bombs.one_cell_inflating(HEADER, 5), "danh-sach.xlsx", "giải nén ra quá lớn"),
    ("16,384 columns", lambda: bombs.wide(HEADER), "danh-sach.xlsx", "quá 50 cột"),
    ("a long cell", lambda: bombs.workbook_bytes([HEADER, ["x" * 2001, ""]]), "danh-sach.xlsx", "dài hơn 2.000"),
    ("a CSV field of 200,000", lambda: bombs.csv_with_long_field(), "danh-sach.csv", "ô quá dài"),
    ("a long CSV cell", lambda: ("Họ và tên\n" + "y" * 2001 + "\n").encode(), "danh-sach.csv", "dài hơn 2.000"),
]


@pytest.mark.parametrize(("case", "build", "name", "words"), BOMBS, ids=[case[0] for case in BOMBS])
def test_the_reading_fails_with_what_to_do(coordinator, case, build, name, words):
    person_import = read_list(actor=coordinator, uploaded_file=SimpleUploadedFile(name, build()))
    assert person_import.status == PersonImport.Status.FAILED
    message = person_import.failure
    assert words in message and "hãy" in message.lower(), (case, message)
    assert not person_import.import_rows.exists() and Person.objects.count() == 0


@pytest.mark.parametrize(("case", "build", "name", "words"), BOMBS[:3] + BOMBS[4:5], ids=lambda v: str(v)[:20])
def test_the_import_page_shows_the_reason(client_for, coordinator, case, build, name, words):
    client = client_for(coordinator)
    with run_tasks():
        response = client.post(reverse("directory:people_import"), {"file": SimpleUploadedFile(name, build())})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert 'id="import-failure"' in page and words in page, case
    assert PersonImport.objects.get().status == "failed" and Person.objects.count() == 0
