"""The XLSForm corpus (tests/xlsform_corpus/): every feature of the import read into the
definition format of forms-spec §1, every refusal named with its sheet, row and column, and a
realistic KoboToolbox household survey."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from ketnoi.surveys import xlsform
from ketnoi.surveys.tests.xlsform_corpus import features, household
from ketnoi.surveys.tests.xlsform_corpus.refusals import REFUSALS


def read(built: tuple[bytes, dict]) -> xlsform.XLSFormImport:
    data, files = built
    return xlsform.read_xlsform(data, filename="form.xlsx", files=files)


def by_name(questions: list[dict]) -> dict[str, dict]:
    found = {}
    for question in questions:
        found[question["name"]] = question
        found.update(by_name(question.get("children") or []))
    return found


def test_repeats_nest_with_groups_inside_and_their_counts():
    q = by_name(read(features.repeats()).definition["questions"])
    member = q["member"]
    assert member["type"] == "repeat" and member["repeat_count"] == "${n}"
    assert [c["name"] for c in member["children"]] == ["m_name", "m_more", "visit"]
    assert q["m_more"]["type"] == "group" and q["m_more"]["appearance"] == "field-list"
    assert q["visit"]["type"] == "repeat" and [c["name"] for c in q["visit"]["children"]] == ["v_date"]
    assert q["three"]["repeat_count"] == 3
    assert "repeat_count" not in q["free"] and q["free"]["type"] == "repeat"
    assert "three_count" not in q  # pyxform's own count calculate is not a question


def test_calculations_read_only_default_and_hidden():
    q = by_name(read(features.calculations()).definition["questions"])
    assert q["total"] == {"name": "total", "type": "calculate", "calculation": "${a} + ${b}"}
    assert q["shown"]["calculation"] == "${a} + ${b}" and q["shown"]["read_only"] is True
    assert q["say"]["label"] == {"vi": "Tổng là ${total}"}
    assert q["secret"] == {"name": "secret", "type": "hidden", "default": "x1"}


def test_forward_references_are_allowed():
    q = by_name(read(features.forward_reference()).definition["questions"])
    assert q["b"]["relevant"] == "${a} = 'x'"


def test_cascading_lists_keep_the_choice_columns_as_data():
    q = by_name(read(features.cascading()).definition["questions"])
    assert q["district"]["choice_filter"] == "province=${province}"
    assert q["district"]["choices"] == [
        {"name": "bd", "label": {"vi": "Ba Đình"}, "data": {"province": "hn"}},
        {"name": "cl", "label": {"vi": "Cao Lãnh"}, "data": {"province": "dt"}},
    ]
    assert q["province"]["choices"][0] == {"name": "hn", "label": {"vi": "Hà Nội"}, "data": {"zone": "north"}}


def test_or_other_in_both_spellings_and_not_leaking_to_other_questions():
    q = by_name(read(features.or_other_both_spellings()).definition["questions"])
    assert q["a"]["or_other"] is True and q["b"]["or_other"] is True
    assert q["b"]["type"] == "select_multiple"
    assert [c["name"] for c in q["b"]["choices"]] == ["yes", "no"]
    assert "or_other" not in q["c"] and [c["name"] for c in q["c"]["choices"]] == ["yes", "no"]
    assert "a_other" not in q and "b_other" not in q  # pyxform's text box is what or_other means


def test_every_new_type_and_the_aliases():
    q = by_name(read(features.every_new_type()).definition["questions"])
    types = {name: question["type"] for name, question in q.items()}
    assert types == {
        "t": "time",
        "dt": "datetime",
        "d_fixed": "date",
        "dt2": "datetime",
        "r": "range",
        "r_default": "range",
        "rk": "rank",
        "ack": "acknowledge",
        "trg": "trigger",
        "gps": "geopoint",
        "photo": "image",
        "voice": "audio",
        "doc": "file",
        "s": "text",
        "i": "integer",
        "s1": "select_one",
        "s3": "select_one",
        "m3": "select_multiple",
        "s2": "select_one",
        "lk": "select_one",
        "p2": "image",
    }
    assert q["r"]["parameters"] == {"start": 0, "end": 100, "step": 5}
    assert q["d_fixed"]["default"] == "2024-03-01"  # a date's "-" is no minus
    assert q["r_default"]["parameters"] == {"start": 1, "end": 10, "step": 1}
    assert q["photo"]["parameters"] == {"max-pixels": "1024"}
    assert q["voice"]["parameters"] == {"quality": "normal"}
    assert [c["name"] for c in q["rk"]["choices"]] == ["yes", "no"]
    assert q["m3"]["or_other"] is True and [c["name"] for c in q["m3"]["choices"]] == ["yes", "no"]
    assert q["s2"]["appearance"] == "horizontal" and q["lk"]["appearance"] == "likert"


def test_texts_messages_and_media_in_every_language():
    imported = read(features.texts_and_media())
    q = by_name(imported.definition["questions"])
    age = q["age"]
    assert age["guidance_hint"] == {"vi": "Hỏi tuổi tròn"}
    assert age["required"] is True and age["required_message"] == {"vi": "Cần tuổi", "en": "Age needed"}
    assert age["constraint_message"] == {"vi": "Dưới 120", "en": "Under 120"}
    assert age["media"] == {"image": {"vi": "age.png"}, "audio": {"en": "age.mp3"}}
    assert age["default"] == "30"
    assert q["pick"]["choices"] == [
        {"name": "cat", "media": {"image": {"vi": "cat.png", "en": "cat_en.png"}}},
        {"name": "dog", "label": {"vi": "Chó"}, "media": {"image": {"vi": "dog.png"}}},
    ]
    assert imported.definition["attachments"] == ["age.mp3", "age.png", "cat.png", "cat_en.png", "dog.png"]
    assert set(imported.files) == set(imported.definition["attachments"])
    assert any("extra.txt" in notice for notice in imported.notices)


def test_any_number_of_languages_with_their_names():
    definition = read(features.many_languages()).definition
    assert definition["languages"] == ["en", "vi", "km", "francais"]
    assert definition["language_names"] == {"km": "Khmer", "francais": "Français"}
    assert definition["settings"]["default_language"] == "en"
    assert definition["questions"][0]["label"] == {
        "vi": "Câu hỏi",
        "en": "Question",
        "km": "សំណួរ",
        "francais": "Question (fr)",
    }


def test_a_form_with_no_vietnamese_names_its_default_language():
    definition = read(features.no_vietnamese()).definition
    assert definition["questions"][0]["label"] == {"en": "Question", "km": "សំណួរ"}
    assert definition["languages"] == ["en", "km"]
    assert definition["settings"]["default_language"] == "en"


def test_settings_are_kept_and_unused_ones_said():
    imported = read(features.settings_kept())
    assert imported.definition["settings"] == {
        "form_id": "my_form",
        "version": "2024031501",
        "instance_name": "${name}",
    }
    assert any("style" in notice for notice in imported.notices)


def test_lists_from_attached_csv_and_xml_files():
    imported = read(features.from_csv_and_xml())
    q = by_name(imported.definition["questions"])
    assert q["district"]["from_file"] == "districts.csv" and q["district"]["type"] == "select_one"
    assert q["district"]["choices"] == [
        {"name": "bd", "label": {"vi": "Ba Đình", "en": "Ba Dinh"}, "data": {"province": "hn"}},
        {"name": "cl", "label": {"vi": "Cao Lãnh", "en": "Cao Lanh"}, "data": {"province": "dt"}},
    ]
    assert q["items"]["type"] == "select_multiple" and q["items"]["from_file"] == "items.xml"
    assert [c["name"] for c in q["items"]["choices"]] == ["a", "b"]
    assert q["commune"]["choices"][0] == {"name": "x1", "label": {"vi": "Xã Một"}}
    assert imported.definition["attachments"] == ["communes.csv", "districts.csv", "items.xml"]


def test_table_list_of_a_scale_is_a_matrix_and_other_tables_stay_groups():
    q = by_name(read(features.table_list_groups()).definition["questions"])
    assert q["scores"]["type"] == "matrix" and [i["name"] for i in q["scores"]["items"]] == ["s1", "s2"]
    assert q["yesno"]["type"] == "group" and q["yesno"]["appearance"] == "table-list"


def test_metadata_rows_and_unused_columns_are_skipped_and_said():
    imported = read(features.metadata_rows())
    assert [q["name"] for q in imported.definition["questions"]] == ["q", "g"]
    said = " ".join(imported.notices)
    for row, kind in ((2, "start"), (3, "end"), (4, "today"), (5, "deviceid"), (6, "audit"), (7, "username")):
        assert f"dòng {row}: “{kind}”" in said
    assert "body::accuracyThreshold" in said and "hxl" not in said


@pytest.mark.parametrize(("case", "data", "files", "words"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refusals_name_sheet_row_and_column(case, data, files, words):
    with pytest.raises(ValidationError) as caught:
        xlsform.read_xlsform(data, filename="form.xlsx", files=files)
    message = " | ".join(caught.value.messages)
    for word in words:
        assert word in message, (case, message)
    assert "Traceback" not in message


def test_pyxforms_other_messages_keep_its_words_after_a_translated_opening():
    from ketnoi.surveys.xlsform_messages import pyxform_message

    said = pyxform_message("[row : 7] Something pyxform says about 'x'.")
    assert said.startswith("Trang survey, dòng 7: pyxform") and "Something pyxform says about 'x'." in said


# The household survey --------------------------------------------------------------------------


def test_the_kobo_household_survey_imports_whole():
    imported = read((household.household(), household.FILES))
    definition = imported.definition
    assert definition["languages"] == ["vi", "en", "km"] and definition["language_names"] == {"km": "Khmer"}
    assert definition["settings"] == {
        "form_id": "household_2024",
        "version": "2024031501",
        "instance_name": "${head_name}",
    }
    q = by_name(definition["questions"])
    assert q["member"]["type"] == "repeat" and q["member"]["repeat_count"] == "${n_members}"
    assert q["m_school"]["type"] == "group" and q["m_school"]["relevant"] == "${m_age} >= 6 and ${m_age} <= 18"
    assert "m_grade" in [c["name"] for c in q["m_school"]["children"]]
    assert q["total_income"] == {"name": "total_income", "type": "calculate", "calculation": "sum(${m_income})"}
    assert "${total_income}" in q["income_note"]["label"]["vi"]
    assert q["district"]["choice_filter"] == "province=${province}"
    assert {c["data"]["province"] for c in q["district"]["choices"]} == {"hn", "dt"}
    assert q["province"]["choices"][0] == {"name": "hn", "label": {"vi": "Hà Nội", "en": "Hanoi", "km": "ហាណូយ"}}
    assert q["house_photo"]["type"] == "image" and q["gps"]["type"] == "geopoint"
    assert q["toilet_type"]["or_other"] is True
    assert q["toilet_type"]["choices"][0]["media"] == {"image": {"vi": "flush.png"}}
    assert q["location"]["appearance"] == "field-list"
    assert q["assets"]["type"] == "group" and q["wellbeing"]["type"] == "matrix"
    assert q["comments"]["type"] == "long_text"
    assert q["livestock"]["type"] == "repeat" and q["livestock"]["relevant"] == "${has_livestock} = 'yes'"
    assert q["satisfaction"]["parameters"] == {"start": 0, "end": 10, "step": 1}
    assert q["survey_round"] == {"name": "survey_round", "type": "hidden", "default": "round1_2024"}
    assert [q[n]["type"] for n in ("voice_note", "visit_time", "checked")] == ["audio", "time", "acknowledge"]
    assert q["intro"]["label"]["km"] == "ការស្ទង់មតិគ្រួសារ"
    assert definition["attachments"] == ["flush.png", "pit.png"]
    skipped = [n for n in imported.notices if "metadata" in n]
    assert len(skipped) == 6  # start, end, today, deviceid, username, audit


def test_the_household_survey_in_a_zip_and_as_several_files():
    data = household.household()
    bundle = io.BytesIO()
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.writestr("household/household.xlsx", data)
        for name, content in household.FILES.items():
            archive.writestr(f"household/media/{name}", content)
        archive.writestr("__MACOSX/._household.xlsx", b"junk")
    from_zip = xlsform.import_uploads([("household.zip", bundle.getvalue())])
    several = xlsform.import_uploads(
        [("household.xlsx", io.BytesIO(data)), *((n, io.BytesIO(c)) for n, c in household.FILES.items())]
    )
    assert from_zip.definition == several.definition
    assert from_zip.files == several.files == household.FILES


def test_the_household_survey_without_its_images_is_refused_naming_the_rows():
    with pytest.raises(ValidationError) as caught:
        xlsform.import_uploads([("household.xlsx", household.household())])
    message = " | ".join(caught.value.messages)
    assert "Trang choices, dòng 18" in message and "“flush.png”" in message and "“pit.png”" in message


@pytest.mark.parametrize(
    ("uploads", "words"),
    [
        ([], "Hãy chọn tệp XLSForm"),
        ([("a.png", b"x")], "Không thấy tệp XLSForm"),
        ([("a.xlsx", b"x"), ("b.xlsx", b"y")], "a.xlsx, b.xlsx"),
        ([("forms.zip", b"PK\x03\x04broken")], "bị hỏng"),
    ],
)
def test_bundles_that_hold_no_single_form_are_refused(uploads, words):
    with pytest.raises(ValidationError) as caught:
        xlsform.import_uploads(uploads)
    assert words in " ".join(caught.value.messages)


def test_refusals_are_in_english_when_the_page_is():
    from django.utils import translation

    data = REFUSALS[0][1]  # a calculate row without its calculation
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        xlsform.read_xlsform(data, filename="form.xlsx")
    assert caught.value.messages == [
        "Sheet survey, row 2, column calculation: a calculate row needs a formula in the calculation column (for "
        "example ${so_nguoi} * 2). Fill in the formula or delete the row."
    ]
