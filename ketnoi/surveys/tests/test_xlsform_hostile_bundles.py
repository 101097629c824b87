"""Hostile XLSForm bundles: a .zip whose members cannot be read (damaged, password, unknown
compression) and XML lists declaring a DOCTYPE where the quick byte check does not see it. Each
is refused with a Vietnamese message naming the file, never a 500."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from ketnoi.surveys.xlsform import import_uploads

from .xlsform_builders import xlsx

LABEL = "label::Tiếng Việt (vi)"
WORKBOOK = xlsx([["type", "name", LABEL], ["text", "a", "Câu A"], ["image", "p", "Ảnh"]])
FROM_FILE = xlsx([["type", "name", LABEL], ["select_one_from_file xa.xml", "xa", "Xã"]])


def _zip(*members: tuple[str, bytes]) -> bytearray:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return bytearray(output.getvalue())


def _second_member_headers(data: bytearray) -> tuple[int, int]:
    """Offsets of the second member's local header and central directory entry."""
    local = data.find(b"PK\x03\x04", 10)
    central = data.find(b"PK\x01\x02", data.find(b"PK\x01\x02") + 4)
    return local, central


def _damaged(data: bytearray) -> bytearray:
    local, _central = _second_member_headers(data)
    data[local + 60] ^= 0xFF  # inside the compressed bytes: a wrong checksum or a broken stream
    return data


def _encrypted(data: bytearray) -> bytearray:
    local, central = _second_member_headers(data)
    data[local + 6] |= 1
    data[central + 8] |= 1
    return data


def _unknown_compression(data: bytearray) -> bytearray:
    local, central = _second_member_headers(data)
    data[local + 8] = data[central + 10] = 99  # AES, as 7-Zip writes it
    return data


@pytest.mark.parametrize("spoil", [_damaged, _encrypted, _unknown_compression])
def test_a_zip_member_that_cannot_be_read_is_refused_by_name(spoil):
    data = spoil(_zip(("form.xlsx", WORKBOOK), ("xa.csv", b"name,label\n" + b"x,y\n" * 2000)))
    with pytest.raises(ValidationError) as error:
        import_uploads([("bieu-mau.zip", bytes(data))])
    message = " ".join(error.value.messages)
    assert "“xa.csv” trong “bieu-mau.zip” không giải nén được" in message


ITEMS = b"<root><item><name>a</name><label>&lol;</label></item></root>"


@pytest.mark.parametrize(
    "content",
    [
        ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r [<!ENTITY lol "lol">]>' + ITEMS.decode()).encode("utf-16"),
        b"<!--" + b"x" * 5000 + b'--><!DOCTYPE r SYSTEM "file:///etc/passwd">' + ITEMS.replace(b"&lol;", b"b"),
    ],
    ids=["utf-16", "after-a-long-comment"],
)
def test_an_xml_list_declaring_a_doctype_anywhere_is_refused(content):
    with pytest.raises(ValidationError) as error:
        import_uploads([("form.xlsx", FROM_FILE), ("xa.xml", content)])
    assert "Tệp “xa.xml” khai báo DOCTYPE" in " ".join(error.value.messages)


def test_a_plain_xml_list_still_imports():
    imported = import_uploads([("form.xlsx", FROM_FILE), ("xa.xml", ITEMS.replace(b"&lol;", b"X\xc3\xa3 A"))])
    assert imported.definition["questions"][0]["choices"][0]["name"] == "a"


# Attachment names as partners write them ------------------------------------------------------


@pytest.mark.parametrize("file_name", ["ảnh nhà.png", "logo (1).png", "a&b.png"])
def test_media_named_as_partners_name_them_import_and_are_stored(file_name, prog, coordinator, settings, tmp_path):
    from ketnoi.core.tests import media_samples
    from ketnoi.surveys.services import forms as form_services

    settings.MEDIA_ROOT = tmp_path / "media"
    workbook = xlsx([["type", "name", LABEL, "media::image"], ["note", "n", "Xem ảnh", file_name]])
    form, _notices = form_services.form_import(
        actor=coordinator, programme=prog, uploads=[("form.xlsx", workbook), (file_name, media_samples.PNG)]
    )
    version = form.current_version
    assert version.definition["attachments"] == [file_name]
    assert version.definition["questions"][0]["media"] == {"image": {"vi": file_name}}
    assert list(version.attachments.values_list("name", "content_type")) == [(file_name, "image/png")]


@pytest.mark.parametrize("name", ["../../etc/passwd", "a/b.png", ".hidden.png", "a\\b.png", "x\x00.png"])
def test_a_definition_naming_a_path_as_media_or_attachment_is_refused(name):
    from ketnoi.surveys.definition import check_definition

    question = {"name": "n", "type": "note", "label": {"vi": "Xem"}, "media": {"image": {"vi": name}}}
    with pytest.raises(ValidationError) as error:
        check_definition({"title": {"vi": "T"}, "questions": [question]})
    assert "“media” chỉ ghi tên tệp đính kèm" in " ".join(error.value.messages)
    with pytest.raises(ValidationError) as error:
        check_definition({"title": {"vi": "T"}, "attachments": [name], "questions": [{**question, "media": None}]})
    assert "“attachments” phải là danh sách tên tệp khác nhau" in " ".join(error.value.messages)


@pytest.mark.django_db
def test_an_xlsform_with_150_images_chosen_together_imports_from_the_page(
    client_for, coordinator, prog, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from ketnoi.core.tests import media_samples
    from ketnoi.surveys.models import Form

    settings.MEDIA_ROOT = tmp_path / "media"
    rows = [["type", "name", LABEL, "media::image"]] + [["note", f"n{i}", f"Ảnh {i}", f"{i}.png"] for i in range(150)]
    files = [SimpleUploadedFile("form.xlsx", xlsx(rows))]
    files += [SimpleUploadedFile(f"{i}.png", media_samples.PNG) for i in range(150)]
    client = client_for(coordinator)
    client.handler.enforce_csrf_checks = True  # the CSRF middleware reads the files first, as in production
    client.get(reverse("surveys:form_create", args=[prog.code]))
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("surveys:form_create", args=[prog.code]),
        {"start": "xlsform", "title": "", "xlsform": files, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert Form.objects.get().current_version.attachments.count() == 150
