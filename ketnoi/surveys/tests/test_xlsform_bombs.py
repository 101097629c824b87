"""Hostile XLSForm workbooks: a cell inflating to 25 MB, a 5 MB cell in a few dozen KB, a survey
sheet 16,384 columns wide and a cell past Excel's own length are refused before pyxform reads
them, with a message that says what to do — on the reader and on the form-creation page — and
no form is written."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ketnoi.core.tests import bombs
from ketnoi.surveys import xlsform_read
from ketnoi.surveys.models import Form
from ketnoi.surveys.xlsform import definition_from_xlsform

HEADER = ["type", "name", "label"]
BOMBS = [
    ("a cell of 25 MB", lambda: bombs.one_cell_inflating(HEADER, 25), "giải nén ra quá lớn"),
    ("5 MB in a small file", lambda: bombs.one_cell_inflating(HEADER, 5), "giải nén ra quá lớn"),
    ("16,384 columns", lambda: bombs.wide(HEADER), "quá 250 cột"),
    ("a cell of 40,000", lambda: bombs.one_long_cell(HEADER, 40_000), "dài hơn 32.767"),
]


@pytest.mark.parametrize(("case", "build", "words"), BOMBS, ids=[case[0] for case in BOMBS])
def test_the_reader_refuses_with_what_to_do(case, build, words):
    with pytest.raises(ValidationError) as caught:
        definition_from_xlsform(io.BytesIO(build()), filename="form.xlsx")
    message = " ".join(caught.value.messages)
    assert words in message and "hãy" in message.lower(), (case, message)


def test_the_reader_stops_at_its_deadline(monkeypatch):
    monkeypatch.setattr(xlsform_read, "MAX_SECONDS", -1)
    with pytest.raises(ValidationError) as caught:
        definition_from_xlsform(io.BytesIO(bombs.workbook_bytes([HEADER, ["text", "a", "A"]])), filename="f.xlsx")
    assert "quá lâu" in " ".join(caught.value.messages)


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "build", "words"), BOMBS[::2], ids=[case[0] for case in BOMBS[::2]])
def test_the_form_creation_page_shows_the_refusal(client_for, coordinator, prog, case, build, words):
    response = client_for(coordinator).post(
        reverse("surveys:form_create", args=[prog.code]),
        {"title": "", "start": "xlsform", "xlsform": SimpleUploadedFile("bieu-mau.xlsx", build())},
    )
    assert response.status_code == 200
    assert words in response.content.decode(), case
    assert not Form.objects.exists()
