"""The XLSForm download: a bare .xlsx for a form without attached files, a .zip of the workbook
and the files (read from the form version's FormAttachment rows) for one with them; only for
those who may see the form.

The tests named in NEEDS_FORM_ATTACHMENT create FormAttachment rows (forms-spec §4, the model
written in parallel): they pass once it is merged."""

import hashlib
import io
import zipfile

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from ketnoi.surveys import services
from ketnoi.surveys.ready_forms import ready_form
from ketnoi.surveys.views_forms import XLSX_TYPE
from ketnoi.surveys.xlsform_export import ZIP_TYPE

from .xlsform_export_support import PNG

pytestmark = pytest.mark.django_db

NEEDS_FORM_ATTACHMENT = [
    "test_a_form_with_attached_files_downloads_as_a_zip",
    "test_a_file_gone_from_storage_is_left_out_not_a_server_error",
]


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def url(prog, form):
    return reverse("surveys:form_xlsform", args=[prog.code, form.pk])


def form_with_files(actor, prog, files: dict[str, bytes]):
    """The lecture evaluation with a logo on its first question and the given files attached."""
    from ketnoi.surveys.models import FormAttachment  # forms-spec §4

    definition = ready_form("lecture")
    definition["questions"][-1]["media"] = {"image": {"vi": "logo.png"}}
    definition["attachments"] = sorted(files)
    form = services.form_create(actor=actor, programme=prog, definition=definition)
    for name, content in files.items():
        FormAttachment.objects.create(
            form_version=form.current_version,
            name=name,
            file=ContentFile(content, name=name),
            content_type="image/png" if name.endswith(".png") else "text/csv",
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
        )
    return form


def test_a_form_without_attached_files_downloads_as_a_bare_workbook(client_for, viewer, coordinator, prog):
    form = services.form_create(actor=coordinator, programme=prog, definition=ready_form("workshop"))
    response = client_for(viewer).get(url(prog, form))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"] == f'attachment; filename="{form.code}-v1.xlsx"'
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["survey", "choices", "settings"]


def test_a_form_with_attached_files_downloads_as_a_zip(
    client_for, viewer, coordinator, outsider, other_coordinator, prog
):
    files = {"logo.png": PNG, "communes.csv": b"name,label\nc1,X\n"}
    form = form_with_files(coordinator, prog, files)
    response = client_for(viewer).get(url(prog, form))
    assert response.status_code == 200
    assert response["Content-Type"] == ZIP_TYPE
    assert response["Content-Disposition"] == f'attachment; filename="{form.code}-v1.zip"'
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == sorted([f"{form.code}-v1.xlsx", "logo.png", "communes.csv"])
        assert archive.read("logo.png") == PNG
        survey = openpyxl.load_workbook(io.BytesIO(archive.read(f"{form.code}-v1.xlsx")))["survey"]
        assert "logo.png" in [cell.value for row in survey.iter_rows() for cell in row]
    for stranger in (outsider, other_coordinator):
        assert client_for(stranger).get(url(prog, form)).status_code == 404


def test_a_file_gone_from_storage_is_left_out_not_a_server_error(client_for, coordinator, prog):
    form = form_with_files(coordinator, prog, {"logo.png": PNG, "gone.png": PNG})
    gone = form.current_version.attachments.get(name="gone.png")
    gone.file.storage.delete(gone.file.name)
    response = client_for(coordinator).get(url(prog, form))
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == sorted([f"{form.code}-v1.xlsx", "logo.png"])
