"""A class list that would stall the server (a sheet 16,384 columns wide, a CSV field past csv's
own limit, a cell inflating to 25 MB) fails to read: the class's learners page says why, never
a server error, and nothing is written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ketnoi.core.tests import bombs
from ketnoi.directory.models import Person, PersonImport
from ketnoi.directory.tests.factories import run_tasks

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "build", "words"),
    [
        ("lop.xlsx", lambda: bombs.wide(["Họ và tên"]), "quá 50 cột"),
        ("lop.csv", lambda: bombs.csv_with_long_field(), "ô quá dài"),
        ("lop.xlsx", lambda: bombs.one_cell_inflating(["Họ và tên"], 25), "giải nén ra quá lớn"),
    ],
)
def test_a_hostile_class_list_is_refused_with_a_message(client_for, coordinator, prog, klass, name, build, words):
    here = reverse("training:class_learners", args=[prog.code, klass.pk])
    client = client_for(coordinator)
    with run_tasks():
        response = client.post(here, {"list": SimpleUploadedFile(name, build())})
    response = client.get(response["Location"])
    assert response.status_code == 200
    assert words in response.content.decode() and 'id="import-failure"' in response.content.decode()
    assert PersonImport.objects.get().status == "failed"
    assert Person.objects.count() == 0 and klass.enrolments.count() == 0
