"""Hostile lists of people: a cell that inflates to tens of MB, a sheet 16,384 columns wide, a
cell past the length limit and a CSV field past csv's own limit are refused with a message that
says what to do — on the service, the directory's import page and a class's learners page —
and nothing is written."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ketnoi.core.tests import bombs
from ketnoi.directory.models import Person, PersonImport
from ketnoi.directory.services import people_import_preview

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
def test_the_service_refuses_with_what_to_do(coordinator, case, build, name, words):
    with pytest.raises(ValidationError) as caught:
        people_import_preview(actor=coordinator, uploaded_file=SimpleUploadedFile(name, build()))
    message = " ".join(caught.value.messages)
    assert words in message and "hãy" in message.lower(), (case, message)
    assert PersonImport.objects.count() == 0 and Person.objects.count() == 0


@pytest.mark.parametrize(("case", "build", "name", "words"), BOMBS[:3] + BOMBS[4:5], ids=lambda v: str(v)[:20])
def test_the_import_page_shows_the_refusal_next_to_the_file(client_for, coordinator, case, build, name, words):
    response = client_for(coordinator).post(
        reverse("directory:people_import"), {"file": SimpleUploadedFile(name, build())}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_file_error"' in page and words in page, case
    assert PersonImport.objects.count() == 0 and Person.objects.count() == 0
