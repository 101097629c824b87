"""The XLSForm import page: the workbook with its media and lists chosen together or in one .zip,
every refusal shown as a list with nothing written, what was skipped said, and only a designer
of the programme may import."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ketnoi.surveys.models import Form, FormAttachment
from ketnoi.surveys.services import forms as form_services

from .xlsform_builders import rows, xlsx

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)
WORKBOOK = xlsx(
    rows(
        ["type", "name", "label", "image", "parameters"],
        ["start", "start"],
        ["note", "logo", "Chào mừng", "logo.png"],
        ["select_one_from_file communes.csv", "commune", "Xã"],
        ["select_one water", "water", "Nguồn nước"],
    ),
    [["list_name", "name", "label", "image"], ["water", "tap", "Nước máy", "tap.png"], ["water", "well", "Giếng"]],
    [["form_title", "form_id"], ["Nước sạch", "water"]],
)
FILES = {"logo.png": PNG, "tap.png": PNG, "communes.csv": "name,label\nx1,Xã Một\n".encode()}


def url(name, prog, *args):
    return reverse(f"surveys:{name}", args=[prog.code, *args])


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


class Stored(list):
    """The form attachments stored (as [(version pk, {name: content})]), read back from the rows."""

    def __eq__(self, other):
        return self.read() == other

    def __getitem__(self, index):
        return self.read()[index]

    def read(self):
        by_version: dict[int, dict] = {}
        for attachment in FormAttachment.objects.order_by("form_version_id", "name"):
            with attachment.file.open("rb") as stored_file:
                by_version.setdefault(attachment.form_version_id, {})[attachment.name] = stored_file.read()
        return list(by_version.items())


@pytest.fixture
def stored(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Stored()


def test_the_workbook_and_its_files_chosen_together(client_for, coordinator, prog, stored):
    files = [upload("nuoc.xlsx", WORKBOOK), *(upload(n, c) for n, c in FILES.items())]
    response = client_for(coordinator).post(
        url("form_create", prog), {"start": "xlsform", "title": "", "xlsform": files}, follow=True
    )
    form = Form.objects.get()
    definition = form.current_version.definition
    assert form.title == "Nước sạch"
    assert definition["attachments"] == ["communes.csv", "logo.png", "tap.png"]
    assert stored == [(form.current_version.pk, FILES)]
    page = response.content.decode()
    assert "Trang survey, dòng 2: “start”" in page  # the skipped metadata row is said


def test_one_zip_holding_the_workbook_and_its_files(client_for, coordinator, prog, stored):
    bundle = io.BytesIO()
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.writestr("nuoc.xlsx", WORKBOOK)
        for name, content in FILES.items():
            archive.writestr(f"media/{name}", content)
    response = client_for(coordinator).post(
        url("form_create", prog),
        {"start": "xlsform", "title": "Bản zip", "xlsform": upload("nuoc.zip", bundle.getvalue())},
    )
    form = Form.objects.get()
    assert response["Location"] == url("form_detail", prog, form.pk)
    assert form.title == "Bản zip"
    assert stored[0][1] == FILES


def test_a_missing_file_is_refused_as_a_list_and_nothing_is_written(client_for, coordinator, prog, stored):
    response = client_for(coordinator).post(
        url("form_create", prog), {"start": "xlsform", "title": "", "xlsform": [upload("nuoc.xlsx", WORKBOOK)]}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert '<ul class="errorlist"' in page
    for words in ("Trang survey, dòng 3", "“logo.png”", "Trang choices, dòng 2", "“tap.png”", "“communes.csv”"):
        assert words in page
    assert not Form.objects.exists() and stored == []


def test_the_help_text_says_media_and_lists_go_with_the_form(client_for, coordinator, prog):
    page = client_for(coordinator).get(url("form_create", prog)).content.decode()
    assert "danh sách CSV/XML" in page and ".zip" in page
    assert "multiple" in page.split('name="xlsform"')[1].split(">")[0]


@pytest.mark.parametrize("who", ["outsider", "other_coordinator", "viewer"])
def test_only_a_designer_of_the_programme_may_import(request, client_for, prog, stored, who):
    user = request.getfixturevalue(who)
    files = [upload("nuoc.xlsx", WORKBOOK), *(upload(n, c) for n, c in FILES.items())]
    response = client_for(user).post(url("form_create", prog), {"start": "xlsform", "title": "", "xlsform": files})
    assert response.status_code in (403, 404)
    assert not Form.objects.exists() and stored == []


def test_an_attachment_that_is_not_what_its_name_says_leaves_nothing_written(client_for, coordinator, prog, stored):
    renamed = {**FILES, "tap.png": b"MZ\x90\x00 a renamed program"}
    files = [upload("nuoc.xlsx", WORKBOOK), *(upload(n, c) for n, c in renamed.items())]
    response = client_for(coordinator).post(url("form_create", prog), {"start": "xlsform", "xlsform": files})
    assert response.status_code == 200
    assert "tap.png" in response.content.decode()
    assert not Form.objects.exists() and stored == []


def test_the_import_service_checks_who_imports(other_coordinator, prog, stored):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        form_services.form_import(actor=other_coordinator, programme=prog, uploads=[("nuoc.xlsx", WORKBOOK)])
    assert not Form.objects.exists()


def test_a_form_with_attachments_exports_as_a_zip_the_import_takes_back(
    client_for, coordinator, prog, stored, monkeypatch
):
    from ketnoi.surveys import views_forms

    files = [upload("nuoc.xlsx", WORKBOOK), *(upload(n, c) for n, c in FILES.items())]
    client = client_for(coordinator)
    client.post(url("form_create", prog), {"start": "xlsform", "xlsform": files})
    form = Form.objects.get()
    monkeypatch.setattr(views_forms, "version_attachments", lambda version: sorted(FILES.items()))
    exported = client.get(url("form_xlsform", prog, form.pk))
    assert exported["Content-Type"] == "application/zip"
    assert exported["Content-Disposition"] == f'attachment; filename="{form.code}-v1.zip"'
    with zipfile.ZipFile(io.BytesIO(exported.content)) as archive:
        assert sorted(archive.namelist()) == sorted([f"{form.code}-v1.xlsx", *(f"media/{n}" for n in FILES)])
    again = client.post(
        url("form_create", prog),
        {"start": "xlsform", "title": "Bản nhập lại", "xlsform": upload("lai.zip", exported.content)},
    )
    assert again.status_code == 302  # the import finds the workbook inside the export's .zip
    assert Form.objects.filter(title="Bản nhập lại").exists()


def test_a_form_without_attachments_still_exports_a_bare_xlsx(client_for, coordinator, prog, stored):
    client = client_for(coordinator)
    client.post(url("form_create", prog), {"start": "lecture", "title": "Bài giảng"})
    form = Form.objects.get()
    exported = client.get(url("form_xlsform", prog, form.pk))
    assert exported["Content-Disposition"].endswith('.xlsx"')
