"""The files uploaded with an XLSForm: bounded one by one and together, a .zip that would unpack
to a flood refused before it is unpacked, CSV and XML lists read with bounded readers."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from ketnoi.surveys import xlsform_bundle
from ketnoi.surveys.xlsform_bundle import read_list, unpack_uploads

from .xlsform_builders import rows, xlsx

WORKBOOK = xlsx(rows(["type", "name", "label"], ["text", "a", "A"]))


def refused(call, *args) -> str:
    with pytest.raises(ValidationError) as caught:
        call(*args)
    return " ".join(caught.value.messages)


def test_the_workbook_is_found_among_the_files_and_folders_are_dropped_from_names():
    name, data, files = unpack_uploads([("logo.png", b"png"), ("form.XLSX", WORKBOOK), ("media/tap.png", b"t")])
    assert name == "form.XLSX" and data == WORKBOOK
    assert files == {"logo.png": b"png", "tap.png": b"t"}


def test_two_files_of_one_name_and_names_no_phone_could_store_are_refused():
    assert "“a.png”" in refused(unpack_uploads, [("f.xlsx", WORKBOOK), ("x/a.png", b"1"), ("y/a.png", b"2")])
    assert "a?.png" in refused(unpack_uploads, [("f.xlsx", WORKBOOK), ("a?.png", b"1")])


def test_a_file_past_its_size_and_files_past_their_total_are_refused(monkeypatch):
    monkeypatch.setattr(xlsform_bundle, "MAX_FILE_BYTES", 10)
    assert "“big.png”" in refused(unpack_uploads, [("f.xlsx", WORKBOOK), ("big.png", b"x" * 11)])
    monkeypatch.setattr(xlsform_bundle, "MAX_FILE_BYTES", 100)
    monkeypatch.setattr(xlsform_bundle, "MAX_TOTAL_BYTES", 150)
    uploads = [("f.xlsx", WORKBOOK), ("a.png", b"x" * 80), ("b.png", b"x" * 80)]
    assert "cộng lại" in refused(unpack_uploads, uploads)


def test_too_many_files_are_refused(monkeypatch):
    monkeypatch.setattr(xlsform_bundle, "MAX_FILES", 2)
    uploads = [("f.xlsx", WORKBOOK), *((f"{n}.png", b"x") for n in range(3))]
    assert "tối đa 2" in refused(unpack_uploads, uploads)


def test_a_zip_that_would_unpack_to_a_flood_is_refused_before_unpacking():
    bundle = io.BytesIO()
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("form.xlsx", WORKBOOK)
        archive.writestr("bomb.csv", b"0" * (xlsform_bundle.MAX_FILE_BYTES + 1))
    assert len(bundle.getvalue()) < 100_000
    message = refused(unpack_uploads, [("form.zip", bundle.getvalue())])
    assert "MB" in message


def test_csv_lists_with_a_bom_or_semicolons_and_a_cap_on_rows(monkeypatch):
    assert read_list("a.csv", "\ufeffname,label\nx,Một\n".encode()) == [{"name": "x", "label": "Một"}]
    assert read_list("b.csv", b"name;label\ny;Hai\n") == [{"name": "y", "label": "Hai"}]
    monkeypatch.setattr(xlsform_bundle, "MAX_LIST_ROWS", 2)
    many = "name,label\n" + "".join(f"c{n},C{n}\n" for n in range(5))
    assert "“c.csv”" in refused(read_list, "c.csv", many.encode())


def test_xml_lists_read_items_and_refuse_entities_and_broken_text(monkeypatch):
    xml = b"<root><item><name>a</name><label>A</label><zone>n</zone></item></root>"
    assert read_list("l.xml", xml) == [{"name": "a", "label": "A", "zone": "n"}]
    assert "DOCTYPE" in refused(read_list, "l.xml", b'<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]><r/>')
    assert "“l.xml”" in refused(read_list, "l.xml", b"<root><item>")
    monkeypatch.setattr(xlsform_bundle, "MAX_LIST_ROWS", 1)
    assert "quá 1" in refused(read_list, "l.xml", b"<r><item><name>a</name></item><item><name>b</name></item></r>")
