"""XLSForm export of the definition format v2 (forms-spec §1): what each feature becomes on the
sheets, pyxform and ODK Validate taking every definition, and the round trip through our import.

The round trips of ROUND_TRIP_NEEDS_NEW_IMPORT read features today's import refuses (new types,
languages, settings, attachments): they pass once the import of forms-spec §1 is merged."""

import io
import shutil
import zipfile

import openpyxl
import pytest
from pyxform.xls2xform import convert

from ketnoi.surveys import xlsform
from ketnoi.surveys.xlsform_export import attachment_names, xlsform_from_definition, xlsform_package

from . import xlsform_export_cases as cases
from . import xlsform_export_support as support

# What pyxform says of forms that are nonetheless right: "other" is pyxform's own English text
# in a translated form (the export writes it translated, the warning stays); a choice shown by
# its image alone (forms-spec §1 allows it; ODK shows the image); the advice to shrink photos.
HARMLESS_WARNINGS = ("uses or_other and translations", "Choices should have a label", "Use the max-pixels parameter")


def export(definition: dict, *, form_id: str = "form", **extra) -> bytes:
    title = next(iter(definition["title"].values())) if "vi" not in definition["title"] else definition["title"]["vi"]
    return xlsform_from_definition(definition, title=title, form_id=form_id, **extra)


def xform(definition: dict, *, validate: bool = False) -> str:
    result = convert(export(definition), file_type=".xlsx", validate=validate, pretty_print=False)
    assert [w for w in result.warnings if not any(h in w for h in HARMLESS_WARNINGS)] == []
    return result.xform


def sheet(data: bytes, name: str) -> list[dict]:
    rows = list(openpyxl.load_workbook(io.BytesIO(data))[name].iter_rows(values_only=True))
    return [{k: v for k, v in zip(rows[0], row, strict=True) if v is not None} for row in rows[1:]]


def header(data: bytes, name: str) -> list[str]:
    return [c.value for c in openpyxl.load_workbook(io.BytesIO(data))[name][1]]


def survey_by_name(definition: dict) -> dict[str, dict]:
    """The survey rows by name (a group by its begin row)."""
    rows: dict[str, dict] = {}
    for row in sheet(export(definition), "survey"):
        rows.setdefault(row["name"], row)
    return rows


VI, EN = "Vietnamese (vi)", "English (en)"


# KoboToolbox and ODK take every definition ---------------------------------------------------------


@pytest.mark.parametrize("name", sorted(cases.CASES))
def test_odk_validate_accepts_every_definition_of_the_format(name):
    assert shutil.which("java"), "ODK Validate needs Java: apt-get install default-jre-headless"
    xform(cases.CASES[name](), validate=True)  # raises ODKValidateError otherwise


# The new types and keys --------------------------------------------------------------------------


def test_every_new_type_is_written_by_its_xlsform_name():
    rows = survey_by_name(cases.every_new_type())
    types = {name: row["type"] for name, row in rows.items()}
    assert types == {
        "name": "text",
        "visit_date": "date",
        "start_time": "time",
        "met_at": "dateTime",
        "satisfaction": "range",
        "priorities": "rank priorities",
        "consent": "acknowledge",
        "ready": "trigger",
        "source": "hidden",
        "age": "integer",
        "birth_year": "integer",
        "adult": "calculate",
        "summary": "note",
        "place": "geopoint",
        "house_photo": "image",
        "voice": "audio",
        "papers": "file",
        "story": "text",
        "colour": "select_one colour",
    }
    assert rows["satisfaction"]["parameters"] == "start=0 end=100 step=5"
    assert rows["satisfaction"]["appearance"] == "vertical"
    assert rows["house_photo"]["parameters"] == "max-pixels=1024"
    assert rows["visit_date"]["default"] == "2024-03-15" and rows["source"]["default"] == "field"
    assert rows["met_at"]["read_only"] == "yes"
    assert rows["birth_year"]["calculation"] == "2024 - ${age}"
    assert rows["adult"]["calculation"] == "if(${age} >= 18, 'yes', 'no')"
    assert "label::" + VI not in rows["adult"] and "label::" + VI not in rows["source"]
    assert rows["story"]["appearance"] == "multiline"
    assert rows["colour"]["appearance"] == "horizontal-compact" and rows["name"]["appearance"] == "w2"


def test_texts_of_every_kind_in_every_language():
    data = export(cases.every_new_type())
    name = {row["name"]: row for row in sheet(data, "survey")}["name"]
    assert name["guidance_hint::" + VI] == "Hỏi họ tên đầy đủ."
    assert name["guidance_hint::" + EN] == "Ask for the full name."
    assert name["required"] == "yes"
    assert name["required_message::" + VI] == "Cần họ tên." and name["required_message::" + EN] == "The name is needed."
    columns = header(data, "survey")
    assert columns[:4] == ["type", "name", "label::" + VI, "label::" + EN]
    for kind in ("hint", "guidance_hint", "required_message", "constraint_message", "image", "audio"):
        assert [c for c in columns if c.startswith(kind + "::")] == [f"{kind}::{VI}", f"{kind}::{EN}"]
    for plain in ("calculation", "default", "read_only", "parameters"):
        assert plain in columns
    assert "choice_filter" not in columns and "repeat_count" not in columns  # no question uses them


def test_the_xform_carries_what_each_key_means():
    form = xform(cases.every_new_type())
    assert 'version="2024031501"' in form and 'id="every_type_v2"' in form
    assert 'nodeset="/data/meta/instanceName"' in form and "concat( /data/name , '-',  /data/visit_date )" in form
    assert 'jr:requiredMsg="jr:itext(' in form
    assert 'readonly="true()"' in form and 'nodeset="/data/met_at"' in form
    assert 'start="0" end="100" step="5"' in form
    assert "odk:rank" in form and 'orx:max-pixels="1024"' in form
    assert "jr://images/logo.png" in form and "jr://audio/hoi.mp3" in form and "jr://images/red.png" in form
    assert 'form="guidance"' in form
    assert 'calculate="2024 -  /data/age "' in form
    assert "<visit_date>2024-03-15</visit_date>" in form


def test_settings_of_the_definition_win_over_the_forms_code():
    settings = sheet(export(cases.every_new_type(), form_id="ignored", version=7), "settings")[0]
    assert settings["form_id"] == "every_type_v2"
    assert settings["version"] == "2024031501"
    assert settings["instance_name"] == "concat(${name}, '-', ${visit_date})"
    assert settings["default_language"] == VI
    plain = sheet(export(cases.household_repeats(), form_id="ho-gia-dinh", version=7), "settings")[0]
    assert (plain["form_id"], plain["version"], plain["default_language"]) == ("ho-gia-dinh", "7", VI)
    assert "instance_name" not in plain


# Repeats ----------------------------------------------------------------------------------------


def test_repeats_nest_and_keep_their_count():
    rows = sheet(export(cases.household_repeats()), "survey")
    shape = [(row["type"].split()[0], row["name"], row.get("repeat_count")) for row in rows]
    assert shape == [
        ("text", "household_head", None),
        ("integer", "n_members", None),
        ("begin_repeat", "member", "${n_members}"),
        ("text", "m_name", None),
        ("integer", "m_age", None),
        ("select_one", "m_sex", None),
        ("calculate", "m_position", None),
        ("begin_group", "m_school", None),
        ("select_one", "m_in_school", None),
        ("end_group", "m_school", None),
        ("begin_group", "m_health", None),
        ("select_one", "m_sleep", None),
        ("select_one", "m_food", None),
        ("end_group", "m_health", None),
        ("begin_repeat", "visit", None),
        ("date", "v_date", None),
        ("end_repeat", "visit", None),
        ("end_repeat", "member", None),
        ("calculate", "members_total", None),
        ("calculate", "first_name", None),
        ("begin_repeat", "rooms", 2),
        ("text", "room_use", None),
        ("end_repeat", "rooms", None),
    ]
    form = xform(cases.household_repeats())
    assert 'jr:count=" /data/n_members "' in form
    assert '<repeat nodeset="/data/member/visit">' in form
    assert "indexed-repeat( /data/member/m_name ,  /data/member , 1)" in form
    assert 'calculate="position(..)"' in form


# Choice lists --------------------------------------------------------------------------------------


def test_choice_filters_data_columns_images_and_lists_from_files():
    data = export(cases.cascading_lists())
    rows = {row["name"]: row for row in sheet(data, "survey")}
    assert rows["province"]["choice_filter"] == "region = ${region}"
    assert rows["commune"]["type"] == "select_one_from_file communes.csv"
    assert rows["commune"]["choice_filter"] == "province = ${province}"
    assert rows["services"]["type"] == "select_multiple services or_other"
    assert header(data, "choices") == [
        "list_name",
        "name",
        "label::" + VI,
        "label::" + EN,
        "image::" + VI,
        "image::" + EN,
        "region",
        "size",
    ]
    choices = sheet(data, "choices")
    assert {c["list_name"] for c in choices} == {"region", "province", "services"}  # the file's list stays in the file
    hanoi = next(c for c in choices if c["name"] == "hn")
    assert hanoi == {
        "list_name": "province",
        "name": "hn",
        "label::" + VI: "Hà Nội",
        "label::" + EN: "Hanoi",
        "image::" + VI: "hanoi.png",
        "image::" + EN: "hanoi.png",
        "region": "north",
        "size": "big",
    }
    form = xform(cases.cascading_lists())
    assert "instance('province')/root/item[region =  /data/region ]" in form
    assert '<instance id="communes" src="jr://file-csv/communes.csv"/>' in form
    assert "<size>big</size>" in form


def test_a_list_from_a_file_keeps_the_columns_it_reads():
    commune = {"name": "commune", "type": "select_one", "label": {"vi": "Xã"}, "from_file": "communes.csv"}
    commune |= {"parameters": {"value": "code", "label": "ten"}, "choices": [{"name": "x1", "label": {"vi": "Một"}}]}
    definition = {"title": {"vi": "Tệp"}, "attachments": ["communes.csv"], "questions": [commune]}
    row = sheet(export(definition), "survey")[0]
    assert (row["type"], row["parameters"]) == ("select_one_from_file communes.csv", "value=code label=ten")
    form = xform(definition, validate=True)
    assert '<itemset nodeset="instance(\'communes\')/root/item"><value ref="code"/><label ref="ten"/>' in form


def test_an_image_alone_labels_a_choice():
    colour = [c for c in sheet(export(cases.every_new_type()), "choices") if c["list_name"] == "colour"]
    assert colour[1] == {"list_name": "colour", "name": "blue", "image::" + VI: "blue.png", "image::" + EN: "blue.png"}


def test_or_other_where_pyxform_refuses_it_is_spelt_out():
    rows = sheet(export(cases.or_other_filtered()), "survey")
    crop = rows[1:3]
    assert crop[0]["type"] == "select_one crop"
    assert crop[0]["choice_filter"] == "(season = ${season}) or name = 'other'"
    assert crop[1] == {
        "type": "text",
        "name": "crop_other",
        "label::" + VI: "Ghi rõ lựa chọn khác",
        "relevant": "selected(${crop}, 'other')",
    }
    assert rows[3]["type"] == "select_multiple tool or_other"  # a file's list cannot take "other": written out
    choices = sheet(export(cases.or_other_filtered()), "choices")
    assert [(c["list_name"], c["name"]) for c in choices if c["list_name"] != "season"] == [
        ("crop", "rice"),
        ("crop", "other"),
        ("tool", "plough"),
        ("tool", "other"),
    ]
    form = xform(cases.or_other_filtered())
    assert "[(season =  /data/season ) or name = 'other']" in form


# Languages ------------------------------------------------------------------------------------------


def test_every_language_gets_its_columns_in_the_forms_order():
    data = export(cases.many_languages())
    labels = [c for c in header(data, "survey") if c.startswith("label::")]
    assert labels == ["label::Khmer (km)", "label::" + VI, "label::" + EN, "label::fr (fr)"]
    village = sheet(data, "survey")[0]
    assert village["label::Khmer (km)"] == "ភូមិ" and village["label::fr (fr)"] == "Village"
    assert village["hint::Khmer (km)"] == "ឈ្មោះភូមិ" and "hint::" + VI not in village
    assert village["constraint_message::fr (fr)"] == "80 caractères au plus."
    settings = sheet(data, "settings")[0]
    assert settings["default_language"] == "Khmer (km)"
    assert (settings["form_title_en"], settings["form_title_km"], settings["form_title_fr"]) == (
        "Many languages",
        "ភាសាច្រើន",
        "Plusieurs langues",
    )
    choices = sheet(data, "choices")
    other = next(c for c in choices if c["list_name"] == "fruit" and c["name"] == "other")
    assert other["label::" + VI] == "Khác" and other["label::Khmer (km)"] == "Other"
    middle = next(c for c in choices if c["list_name"].startswith("scale_1_5") and c["name"] == "3")
    assert {k: v for k, v in middle.items() if k.startswith("label::")} == {
        "label::Khmer (km)": "3",
        "label::" + VI: "3",
        "label::" + EN: "3",
        "label::fr (fr)": "3",
    }
    form = xform(cases.many_languages())
    assert '<translation lang="Khmer (km)" default="true()">' in form
    assert '<translation lang="Vietnamese (vi)">' in form and '<translation lang="fr (fr)">' in form


@pytest.mark.parametrize(
    ("code", "names", "column"),
    [
        ("km", {"km": "Khmer"}, "Khmer (km)"),
        ("tay", {}, "tay (tay)"),  # a code of three letters needs its brackets for pyxform
        ("pt-br", {"pt-br": "Português (Brasil)"}, "Português Brasil (pt-br)"),
        ("francais", {"francais": "Français"}, "Français"),  # the import made the code of the name
        ("tay_nung", {"tay_nung": "Tày Nùng"}, "Tày Nùng"),
        ("tay_nung", {"tay_nung": "Tày-Nùng"}, "tay_nung"),  # a name that folds to another code
        ("vi", {"vi": "Tiếng Việt"}, VI),
    ],
)
def test_a_languages_column_name_reads_back_as_its_code(code, names, column):
    definition = {"title": {"vi": "Ngôn ngữ"}, "language_names": names, "questions": []}
    definition["questions"].append({"name": "q", "type": "text", "label": {code: "Q", "vi": "Q"}})
    assert f"label::{column}" in header(export(definition), "survey")


def test_a_form_without_vietnamese_is_in_its_own_default_language():
    data = export(cases.english_only())
    assert [c for c in header(data, "survey") if "::" in c] == [
        "label::" + EN,
        "hint::" + EN,
        "constraint_message::" + EN,
    ]
    settings = sheet(data, "settings")[0]
    assert settings["default_language"] == EN and settings["form_title"] == "English only"
    assert '<translation lang="English (en)" default="true()">' in xform(cases.english_only())


# Tables ---------------------------------------------------------------------------------------------


def test_matrices_carry_every_rule_on_each_row():
    rows = survey_by_name(cases.table_lists())
    quality, content = rows["quality"], rows["content"]
    assert quality["type"] == "begin_group" and quality["appearance"] == "table-list"
    assert quality["guidance_hint::" + EN] == "Read each row." and quality["relevant"] == "${attended} = 'yes'"
    assert "required" not in quality
    assert content["type"] == rows["method"]["type"] == "select_one scale_1_5_quality"
    assert content["required"] == "yes" and content["required_message::" + VI] == "Hãy chấm mọi dòng."
    assert content["constraint"] == ". >= 2" and content["constraint_message::" + EN] == "At least 2."
    assert rows["yes_no_table"]["appearance"] == "table-list"
    form = xform(cases.table_lists())
    assert 'appearance="list-nolabel"' in form and 'appearance="label"' in form


def test_a_table_list_pyxform_refuses_is_written_as_field_list():
    rows = survey_by_name(cases.refused_table_lists())
    assert rows["mixed_table"]["appearance"] == "field-list w3"
    assert rows["filtered_table"]["appearance"] == "field-list"
    assert rows["ft1"]["choice_filter"] == "name != ${attended}"


def test_a_shown_question_without_any_text_is_labelled_by_its_name():
    rows = survey_by_name(cases.unlabelled())
    assert rows["press_me"]["label::" + VI] == "press_me"
    assert "label::" + VI not in rows["plain"] and rows["plain"]["hint::" + VI] == "Chỉ có gợi ý"
    assert rows["row_one"]["label::" + VI] == "row_one"
    assert "label::" + VI not in rows["scale"]  # a group may go without


# The .zip of a form with attached files ----------------------------------------------------------


def test_the_package_holds_the_workbook_and_every_file():
    definition = cases.cascading_lists()
    files = support.attached_files(definition)
    package = xlsform_package(export(definition), files, xlsx_name="dia-ban-v2.xlsx")
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        assert archive.namelist() == ["dia-ban-v2.xlsx", "communes.csv", "hanoi.png"]
        assert archive.read("communes.csv") == files["communes.csv"]
        assert archive.read("communes.csv").startswith(b"name,label,province\nc1,X\xc3\xa3 M\xe1\xbb\x99t,hn")
        assert sheet(archive.read("dia-ban-v2.xlsx"), "survey")[0]["name"] == "region"


def test_the_package_leaves_out_names_that_are_not_plain_file_names():
    files = {"../evil.csv": b"x", "dir/inner.png": b"x", "..": b"x", "ok.csv": b"a", "form.xlsx": b"clash"}
    with zipfile.ZipFile(io.BytesIO(xlsform_package(b"workbook", files, xlsx_name="form.xlsx"))) as archive:
        assert archive.namelist() == ["form.xlsx", "ok.csv"]
        assert archive.read("form.xlsx") == b"workbook"


def test_the_files_a_definition_lists_are_plain_names_each_once():
    assert attachment_names({"attachments": ["a.csv", "b.png", "a.csv", "../c.png", "d/e.png", "", 3]}) == [
        "a.csv",
        "b.png",
    ]
    assert attachment_names({"attachments": "a.csv"}) == [] and attachment_names({}) == []


# Round trips -------------------------------------------------------------------------------------


def import_back(definition: dict, *, form_id: str) -> dict:
    """The definition our import reads from the export: from the .zip with the files when the
    form has attachments (as the download gives it), else from the bare workbook."""
    data = export(definition, form_id=form_id)
    if definition.get("attachments"):
        package = xlsform_package(data, support.attached_files(definition), xlsx_name="form.xlsx")
        back = xlsform.import_uploads([("form.zip", io.BytesIO(package))]).definition  # the import of forms-spec §4
    else:
        back, _title = xlsform.definition_from_xlsform(io.BytesIO(data), filename="form.xlsx")
    return support.as_read_back(definition, back, form_id=form_id)


@pytest.mark.parametrize(
    "name",
    [
        *cases.ROUND_TRIP_TODAY,
        *(pytest.param(name, id=f"needs_new_import-{name}") for name in cases.ROUND_TRIP_NEEDS_NEW_IMPORT),
    ],
)
def test_the_definition_comes_back_as_it_was(name):
    definition = cases.CASES[name]()
    back = import_back(definition, form_id=name)
    assert back == definition
    assert import_back(back, form_id=name) == definition
