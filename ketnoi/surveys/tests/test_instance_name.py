"""XLSForm's instance_name: each response is named from its answers by the server when stored
(a client cannot name it otherwise), and the name is the `_instance_name` column of the exports."""

import copy
import json
import uuid

import pytest

from ketnoi.surveys import services
from ketnoi.surveys.definition import instance_name
from ketnoi.surveys.exports import export_json
from ketnoi.surveys.models import Response

pytestmark = pytest.mark.django_db

FORM = {
    "title": {"vi": "Hộ gia đình"},
    "settings": {"instance_name": "concat(${village}, ' – ', ${head}, ' (', count(${member}), ')')"},
    "questions": [
        {"name": "village", "type": "text", "label": {"vi": "Thôn"}},
        {"name": "head", "type": "text", "label": {"vi": "Chủ hộ"}},
        {
            "name": "member",
            "type": "repeat",
            "label": {"vi": "Thành viên"},
            "children": [{"name": "m_name", "type": "text", "label": {"vi": "Tên"}}],
        },
    ],
}


def test_the_name_is_computed_from_the_answers_rows_included():
    answers = {"village": "Đông", "head": "Lan", "member": [{"m_name": "Lan"}, {"m_name": "Minh"}]}
    assert instance_name(FORM, answers) == "Đông – Lan (2)"
    assert instance_name({**FORM, "settings": {}}, answers) == ""
    assert (
        instance_name(FORM, {"village": "x" * 400}).startswith("x")
        and len(instance_name(FORM, {"village": "x" * 400})) == 255
    )


def test_a_stored_response_carries_its_name_and_the_export_shows_it(coordinator, prog):
    form = services.form_create(actor=coordinator, programme=prog, definition=copy.deepcopy(FORM))
    collection = services.collection_open(actor=coordinator, form=form, title="Thôn Đông")
    answers = {"village": "Đông", "head": "<script>x</script>", "member": [{"m_name": "A"}]}
    services.response_submit(collection=collection, uuid=uuid.uuid4(), answers=answers)
    stored = Response.objects.get()
    assert stored.instance_name == "Đông – <script>x</script> (1)"
    records = json.loads("".join(export_json(form, Response.objects.all(), labels=False)))
    assert records[0]["_instance_name"] == "Đông – <script>x</script> (1)"
