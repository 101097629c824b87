"""Names with hyphens, which XLSForm allows and KoboToolbox forms use (`hh-size`, `m-age`): the
form imports, its rules read them, answers are checked and stored under them, and the results
page and the exports read them back (JSON paths quoted on both databases)."""

import io
import json
import uuid

import pytest
from django.urls import reverse

from ketnoi.surveys import services
from ketnoi.surveys.exports import export_json
from ketnoi.surveys.models import Response
from ketnoi.surveys.xlsform import definition_from_xlsform

from .xlsform_builders import rows, xlsx

pytestmark = pytest.mark.django_db

WORKBOOK = xlsx(
    rows(
        ["type", "name", "label", "relevant", "calculation"],
        ["integer", "hh-size", "Số người"],
        ["begin_repeat", "hh-member", "Thành viên"],
        ["integer", "m-age", "Tuổi"],
        ["end_repeat"],
        ["calculate", "total-age", "", "", "sum(${m-age})"],
        ["text", "big-note", "Vì sao đông người?", "${hh-size} > 5"],
    ),
    None,
    [["form_title"], ["Hộ có gạch ngang"]],
)


def test_a_form_with_hyphenated_names_runs_from_import_to_export(client_for, coordinator, prog):
    definition, title = definition_from_xlsform(io.BytesIO(WORKBOOK), filename="hh.xlsx")
    form = services.form_create(actor=coordinator, programme=prog, definition=definition, title=title)
    collection = services.collection_open(actor=coordinator, form=form, title="Thôn Đông")
    answers = {"hh-size": 6, "hh-member": [{"m-age": 40}, {"m-age": 12}], "big-note": "Ba thế hệ"}
    services.response_submit(collection=collection, uuid=uuid.uuid4(), answers=answers)
    stored = Response.objects.get().answers
    assert stored["total-age"] == 52 and stored["big-note"] == "Ba thế hệ"
    page = client_for(coordinator).get(reverse("surveys:results", args=[prog.code, form.pk]))
    assert page.status_code == 200 and "m-age" in page.content.decode()
    record = json.loads("".join(export_json(form, Response.objects.all(), labels=False)))[0]
    assert record["hh-size"] == 6 and [row["m-age"] for row in record["hh-member"]] == [40, 12]
