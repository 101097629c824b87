"""XLSForm import: a varied set of forms read field by field, and every refusal naming its row."""

import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ketnoi.surveys import xlsform, xlsform_read
from ketnoi.surveys.definition import TYPES, check_answers, check_definition
from ketnoi.surveys.xlsform import definition_from_xlsform, normalise_expression

from . import xlsform_builders as b
from .xlsform_builders import rows, xlsx


def L(vi: str, en: str | None = None) -> dict:  # noqa: N802
    return {"vi": vi, "en": en} if en is not None else {"vi": vi}


YES_NO = [{"name": "yes", "label": L("Có", "Yes")}, {"name": "no", "label": L("Không", "No")}]


def read(data: bytes, filename: str = "form.xlsx") -> tuple[dict, str]:
    return definition_from_xlsform(io.BytesIO(data), filename=filename)


def refused(data: bytes | object, filename: str = "form.xlsx") -> list[str]:
    with pytest.raises(ValidationError) as caught:
        definition_from_xlsform(data if not isinstance(data, bytes) else io.BytesIO(data), filename=filename)
    return caught.value.messages


def only(messages: list[str]) -> str:
    assert len(messages) == 1, messages
    return messages[0]


def by_name(definition: dict) -> dict[str, dict]:
    found = {}

    def walk(questions):
        for question in questions:
            found[question["name"]] = question
            walk(question.get("children") or [])

    walk(definition["questions"])
    return found


# The varied set, field by field ----------------------------------------------------------------


def test_every_question_type():
    definition, title = read(b.every_type())
    assert title == "Mọi loại câu hỏi"
    assert definition["title"] == L("Mọi loại câu hỏi", "Every question type")
    q = by_name(definition)
    assert list(q) == [
        "intro",
        "full_name",
        "comments",
        "age",
        "hours",
        "attended_on",
        "first_time",
        "topics",
        "satisfied",
    ]
    assert q["intro"] == {
        "name": "intro",
        "type": "note",
        "label": L("Cảm ơn anh/chị đã tham gia.", "Thank you for taking part."),
    }
    assert q["full_name"] == {
        "name": "full_name",
        "type": "text",
        "label": L("Họ và tên", "Full name"),
        "hint": L("Viết hoa chữ cái đầu", "Capitalise"),
        "required": True,
    }
    assert q["comments"] == {"name": "comments", "type": "long_text", "label": L("Ý kiến khác", "Other comments")}
    assert q["age"] == {"name": "age", "type": "integer", "label": L("Tuổi", "Age"), "required": True}
    assert q["hours"]["type"] == "decimal"
    assert q["attended_on"]["type"] == "date"
    assert q["first_time"] == {
        "name": "first_time",
        "type": "select_one",
        "label": L("Lần đầu tham gia?", "First time?"),
        "required": True,
        "choices": YES_NO,
    }
    assert q["topics"]["type"] == "select_multiple"
    assert [c["name"] for c in q["topics"]["choices"]] == ["law", "finance", "media"]
    assert q["topics"]["choices"][1]["label"] == L("Tài chính", "Finance")
    assert "or_other" not in q["topics"]
    assert q["satisfied"] == {
        "name": "satisfied",
        "type": "rating",
        "label": L("Mức độ hài lòng", "Satisfaction"),
        "required": True,
        "scale": {
            "min": 1,
            "max": 5,
            "min_label": L("Rất không hài lòng", "Very unhappy"),
            "max_label": L("Rất hài lòng", "Very happy"),
        },
    }
    check_definition(definition)


def test_groups_nested_two_deep_with_a_relevance_chain():
    definition, _title = read(b.nested_groups())
    top = definition["questions"]
    assert [q["name"] for q in top] == ["consent", "about", "last"]
    about = top[1]
    assert about["type"] == "group"
    assert about["label"] == L("Về anh/chị", "About you")
    assert about["relevant"] == "${consent} = 'yes'"
    assert [q["name"] for q in about["children"]] == ["organisation", "work", "thanks"]
    work = about["children"][1]
    assert work["type"] == "group" and work["label"] == L("Công việc", "Work")
    assert [q["name"] for q in work["children"]] == ["years", "manages", "team_size"]
    assert work["children"][1]["relevant"] == "${years} >= 2"
    assert work["children"][2]["relevant"] == "${manages} = 'yes'"
    assert about["children"][2]["relevant"] == "${team_size} > 10 or ${years} > 20"
    # The chain works when answering: no consent hides the whole group.
    assert check_answers(definition, {"consent": "no", "years": 5}) == {"consent": "no"}
    answers = {"consent": "yes", "years": 3, "manages": "yes", "team_size": 12}
    assert check_answers(definition, answers) == answers


def test_constraints_with_messages_in_two_languages():
    definition, _title = read(b.constraints())
    q = by_name(definition)
    assert q["age"]["constraint"] == ". >= 18 and . <= 70"
    assert q["age"]["constraint_message"] == L("Từ 18 đến 70 tuổi.", "Between 18 and 70.")
    assert q["phone"]["constraint"] == "regex(., '0[0-9]{9}')"
    assert q["summary"]["constraint"] == "string-length(.) <= 200"
    assert q["score"] == {
        "name": "score",
        "type": "decimal",
        "label": L("Điểm", "Score"),
        "required": True,
        "constraint": ". >= 0 and . <= 10",
        "constraint_message": L("Từ 0 đến 10.", "0 to 10."),
    }
    assert q["when"]["constraint"] == ". <= today()"
    assert q["topics"]["constraint"] == "count-selected(.) <= 2"
    with pytest.raises(ValidationError) as caught:
        check_answers(definition, {"age": 15, "phone": "12345", "score": 3})
    assert caught.value.message_dict["age"] == ["“Tuổi”: Từ 18 đến 70 tuổi."]
    assert "phone" in caught.value.message_dict


def test_or_other_on_single_and_multiple_choice():
    definition, _title = read(b.or_other())
    q = by_name(definition)
    # pyxform's own "other" choice and its generated "<name>_other" text are folded into or_other.
    assert list(q) == ["org_type", "channels", "which_other"]
    assert q["org_type"]["or_other"] is True and q["org_type"]["type"] == "select_one"
    assert [c["name"] for c in q["org_type"]["choices"]] == ["state", "cso"]
    assert q["org_type"]["required"] is True
    assert q["channels"]["or_other"] is True and q["channels"]["type"] == "select_multiple"
    assert [c["name"] for c in q["channels"]["choices"]] == ["email", "zalo"]
    assert q["which_other"]["relevant"] == "selected(${channels}, 'other')"
    answers = {"org_type": "other", "org_type_other": "Hợp tác xã", "channels": "zalo other", "channels_other": "Loa"}
    assert check_answers(definition, answers) == answers


def test_likert_ratings_one_to_ten_and_zero_to_ten():
    definition, _title = read(b.likert_ten())
    q = by_name(definition)
    assert q["recommend"] == {
        "name": "recommend",
        "type": "rating",
        "label": L("Khả năng giới thiệu", "How likely to recommend"),
        "required": True,
        "scale": {
            "min": 1,
            "max": 10,
            "min_label": L("Chắc chắn không", "Not at all"),
            "max_label": L("Chắc chắn có", "Certainly"),
        },
    }
    # Ends labelled only with their own number carry no label.
    assert q["nps"]["scale"] == {"min": 0, "max": 10}
    # Without the likert appearance the same list is an ordinary single choice.
    assert q["plain_ten"]["type"] == "select_one"
    assert [c["name"] for c in q["plain_ten"]["choices"]] == [str(n) for n in range(1, 11)]


def test_table_list_matrix_and_uneven_tables_that_stay_groups():
    definition, _title = read(b.table_list_matrix())
    q = by_name(definition)
    assert q["quality"] == {
        "name": "quality",
        "type": "matrix",
        "label": L("Đánh giá bài giảng", "Rate the lecture"),
        "hint": L("1 = kém, 5 = tốt", "1 = poor, 5 = good"),
        "relevant": "${attended} = 'yes'",
        "required": True,
        "scale": {
            "min": 1,
            "max": 5,
            "min_label": L("Rất không đồng ý", "Strongly disagree"),
            "max_label": L("Rất đồng ý", "Strongly agree"),
        },
        "items": [
            {"name": "content", "label": L("Nội dung", "Content")},
            {"name": "method", "label": L("Phương pháp", "Method")},
            {"name": "timing", "label": L("Thời lượng", "Timing")},
        ],
    }
    assert "content" not in {question["name"] for question in definition["questions"]}
    # A table over yes/no is no rating scale; a table whose rows differ keeps each row's rules.
    assert q["words"]["type"] == "group"
    assert [c["type"] for c in q["words"]["children"]] == ["select_one", "select_one"]
    assert q["uneven"]["type"] == "group"
    assert q["u1"]["required"] is True and q["u2"]["relevant"] == "${u1} > 2"
    answers = {"attended": "yes", "content": 5, "method": 4, "timing": 3, "u1": "2"}
    assert check_answers(definition, answers) == answers


def test_labels_only_in_english_stay_english_and_name_the_default_language():
    definition, title = read(b.english_only())
    assert title == "English form"
    assert definition["languages"] == ["en"] and definition["settings"]["default_language"] == "en"
    q = by_name(definition)
    assert q["name"]["label"] == {"en": "Your name"}
    assert q["name"]["hint"] == {"en": "As on your ID"}
    assert q["ok"]["choices"] == [{"name": "yes", "label": {"en": "Yes"}}, {"name": "no", "label": {"en": "No"}}]


def test_plain_label_columns_are_vietnamese():
    definition, title = read(b.plain_label())
    assert title == "Nhãn thường"
    q = by_name(definition)
    assert q["ho_ten"] == {"name": "ho_ten", "type": "text", "label": L("Họ tên"), "hint": L("Ghi đầy đủ")}
    assert q["so_nam"]["constraint_message"] == L("Phải lớn hơn 0")
    assert q["dong_y"]["choices"] == [{"name": "co", "label": L("Có")}, {"name": "khong", "label": L("Không")}]


def test_numeric_choice_names_become_strings():
    definition, _title = read(b.numeric_choices())
    q = by_name(definition)
    assert [c["name"] for c in q["grade"]["choices"]] == ["10", "11", "12"]
    assert q["grade"]["type"] == "select_one"  # 10–12 is no rating scale
    assert [c["name"] for c in q["years"]["choices"]] == ["2024", "2025"]
    assert [c["name"] for c in q["half"]["choices"]] == ["0.5", "1"]
    assert check_answers(definition, {"grade": "11", "years": "2025 2024"}) == {"grade": "11", "years": "2024 2025"}


def test_a_kobotoolbox_export_imports():
    definition, title = read(b.kobo_style())
    assert title == "Kobo"
    q = by_name(definition)
    # Metadata rows are skipped; a note without a name gets pyxform's name for it.
    assert list(q) == ["generated_note_name_6", "g1", "q1", "q2", "q3"]
    assert q["generated_note_name_6"]["label"] == L("Phiếu khảo sát", "Survey")
    assert q["q1"]["label"] == L("Câu 1", "Question 1")  # "Tiếng Việt (vi)" is Vietnamese
    assert q["q1"]["required"] is True  # true() means yes
    # XPath paths become our ${name} references.
    assert q["q2"]["relevant"] == "${q1} = 'yes'"
    assert q["q3"]["relevant"] == "${q2} > 3 and selected(${q1}, 'yes')"


# A form with no Vietnamese at all is valid once definition.py reads forms-spec §1 (the engine
# helper's work); the v1 check still asks every label in Vietnamese.
@pytest.mark.parametrize("name", sorted(set(b.VARIED_FORMS) - ({"english_only"} if "repeat" not in TYPES else set())))
def test_every_varied_form_is_a_valid_definition(name):
    definition, title = read(b.VARIED_FORMS[name]())
    assert check_definition(definition) is definition
    assert title


def test_a_legacy_xls_workbook_imports():
    definition, title = read(b.legacy_xls(), "phan-hoi.xls")
    assert title == "Phản hồi (xls)"
    q = by_name(definition)
    assert q["useful"] == {
        "name": "useful",
        "type": "rating",
        "label": L("Hội thảo hữu ích?", "Was it useful?"),
        "required": True,
        "scale": {"min": 1, "max": 5, "min_label": L("Không", "No"), "max_label": L("Rất", "Very")},
    }
    assert q["more"]["relevant"] == "${useful} >= 4"
    assert q["why"]["type"] == "long_text"


def test_a_legacy_xls_with_a_geopoint_imports_it():
    definition, _title = read(b.legacy_xls(with_geopoint=True), "phan-hoi.xls")
    assert "geopoint" in [q["type"] for q in definition["questions"]]


def test_an_xls_workbook_named_xlsx_is_read_by_its_content():
    definition, _title = read(b.legacy_xls(), "phan-hoi.xlsx")
    assert by_name(definition)["useful"]["type"] == "rating"


# What the upload view may hand over -------------------------------------------------------------


def test_reads_an_uploaded_file_from_its_start():
    upload = SimpleUploadedFile("bieu-mau.xlsx", b.plain_label())
    upload.read(100)  # an earlier check may have read the head
    definition, _title = definition_from_xlsform(upload, filename=upload.name)
    assert definition["questions"][0]["name"] == "ho_ten"


def test_reads_bytes_and_takes_the_title_from_the_file_name_without_settings():
    data = xlsx(rows(["type", "name", "label"], ["text", "a", "A"]))
    definition, title = definition_from_xlsform(data, filename="Danh gia cuoi khoa.xlsx")
    assert title == "Danh gia cuoi khoa"
    assert definition["title"] == {"vi": "Danh gia cuoi khoa"}


def test_title_comes_from_settings_with_its_english_twin():
    data = xlsx(
        rows(["type", "name", "label"], ["text", "a", "A"]),
        settings=[["form_title", "form_id", "form_title_en"], ["Khảo sát", "ks", "Survey"]],
    )
    definition, title = read(data)
    assert title == "Khảo sát"
    assert definition["title"] == {"vi": "Khảo sát", "en": "Survey"}


def test_default_language_english_makes_plain_labels_english():
    data = xlsx(
        rows(["type", "name", "label", "label::Vietnamese (vi)"], ["text", "a", "Age", "Tuổi"]),
        settings=[["default_language"], ["English (en)"]],
    )
    definition, _title = read(data)
    assert definition["questions"][0]["label"] == {"vi": "Tuổi", "en": "Age"}


def test_other_languages_are_kept_beside_vietnamese():
    data = xlsx(rows(["type", "name", "label::Vietnamese (vi)", "label::French (fr)"], ["text", "a", "Tuổi", "Âge"]))
    definition, _title = read(data)
    assert definition["questions"][0]["label"] == {"vi": "Tuổi", "fr": "Âge"}
    assert definition["languages"] == ["vi", "fr"] and definition["language_names"] == {"fr": "French"}


def test_typographic_quotes_are_kept_though_pyxform_straightens_them():
    data = xlsx(
        rows(
            ["type", "name", "label", "hint", "constraint"],
            ["select_one l", "q", "Anh/chị thấy “Kết Nối” thế nào?", "‘Một’ câu", "selected(., ‘a’)"],
        ),
        rows(["list_name", "name", "label"], ["l", "a", "“Tốt”"], ["l", "b", "Chưa tốt"]),
        settings=[["form_title"], ["Đánh giá “nhanh”"]],
    )
    definition, title = read(data)
    question = definition["questions"][0]
    assert title == "Đánh giá “nhanh”"
    assert question["label"] == L("Anh/chị thấy “Kết Nối” thế nào?")
    assert question["hint"] == L("‘Một’ câu")
    assert question["choices"][0]["label"] == L("“Tốt”")
    assert question["constraint"] == "selected(., 'a')"  # in an expression they must be straight


def test_disabled_rows_and_field_list_groups_and_other_appearances():
    data = xlsx(
        rows(
            ["type", "name", "label", "appearance", "disabled"],
            ["text", "a", "A", "numbers"],
            ["text", "gone", "Gone", None, "yes"],
            ["begin_group", "g", "G", "field-list"],
            ["date", "d", "D", "no-calendar"],
            ["end_group"],
        )
    )
    definition, _title = read(data)
    assert [q["name"] for q in definition["questions"]] == ["a", "g"]
    assert definition["questions"][0]["type"] == "text"
    assert definition["questions"][1]["children"][0]["type"] == "date"


def test_a_likert_over_a_scale_we_do_not_know_stays_a_single_choice():
    data = xlsx(
        rows(["type", "name", "label", "appearance"], ["select_one four", "q", "Q", "likert"]),
        rows(["list_name", "name", "label"], *[["four", n, str(n)] for n in range(1, 5)]),
    )
    definition, _title = read(data)
    assert definition["questions"][0]["type"] == "select_one"


def test_an_explicit_other_choice_keeps_its_label_beside_or_other():
    data = xlsx(
        rows(["type", "name", "label"], ["select_one l or_other", "q", "Q"]),
        rows(["list_name", "name", "label"], ["l", "a", "A"], ["l", "other", "Khác (ghi rõ)"]),
    )
    definition, _title = read(data)
    question = definition["questions"][0]
    assert question["or_other"] is True
    assert question["choices"] == [{"name": "a", "label": L("A")}, {"name": "other", "label": L("Khác (ghi rõ)")}]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("../a = 'x'", "${a} = 'x'"),
        ("../../g/a > 2", "${a} > 2"),
        ("/data/g/sub/a != ''", "${a} != ''"),
        ("current()/../a = 1", "${a} = 1"),
        ("selected(../t, 'other')", "selected(${t}, 'other')"),
        ("${a} = '../b' and . > 1", "${a} = '../b' and . > 1"),  # quoted text and "." untouched
        ("${a} div 2 > 1", "${a} div 2 > 1"),
        ("", ""),
    ],
)
def test_xpath_paths_become_references(source, expected):
    assert normalise_expression(source) == expected


def test_a_constraint_naming_its_own_question_checks_the_value():
    assert normalise_expression("${age} >= 18 and ${age} < ${max}", current="age") == ". >= 18 and . < ${max}"
    data = xlsx(rows(["type", "name", "label", "constraint"], ["integer", "age", "Tuổi", "${age} >= 18"]))
    definition, _title = read(data)
    assert definition["questions"][0]["constraint"] == ". >= 18"


# Refusals, each naming its row ------------------------------------------------------------------

H = ["type", "name", "label", "relevant", "calculation", "appearance", "choice_filter", "required"]
LIST = rows(["list_name", "name", "label"], ["l", "x", "X"], ["l", "y", "Y"])


@pytest.mark.parametrize(
    ("case", "survey_rows", "row", "words"),
    [
        ("geoshape", [["geoshape", "g", "G"]], 2, "geoshape"),
        ("barcode", [["barcode", "p", "P"]], 2, "barcode"),
        ("select_from_file without its file", [["select_one_from_file places.csv", "p", "P"]], 2, "places.csv"),
        ("search", [["select_one l", "a", "A", None, None, "search('places')"]], 2, "search()"),
        ("unknown function", [["text", "a", "A"], ["text", "b", "B", "frobnicate(${a}) = 'yx'"]], 3, "frobnicate"),
        (
            "duplicate across groups",
            [["text", "a", "A"], ["begin_group", "g", "G"], ["text", "a", "B"], ["end_group"]],
            4,
            "dòng 2",
        ),
        ("name with a dot", [["text", "a.b", "A"]], 2, "a.b"),
        ("name with accents", [["text", "a", "A"], ["text", "câu_hỏi", "B"]], 3, "câu_hỏi"),
        ("conditional required", [["text", "a", "A"], ["text", "b", "B", *[None] * 4, "${a} = 'x'"]], 3, "required"),
    ],
)
def test_refusals_name_the_row(case, survey_rows, row, words):
    messages = refused(xlsx(rows(H, *survey_rows), LIST))
    message = only(messages)
    assert f"Trang survey, dòng {row}," in message, (case, message)
    assert words in message, (case, message)
    assert "Hãy" in message or "hãy" in message, message  # says what to do


def test_the_trigger_column_is_refused():
    message = only(
        refused(xlsx(rows(["type", "name", "label", "trigger"], ["text", "a", "A"], ["text", "b", "B", "${a}"])))
    )
    assert "dòng 3, cột trigger" in message


def test_several_problems_are_listed_together():
    messages = refused(xlsx(rows(H, ["geotrace", "g", "G"], ["text", "ok", "OK"], ["video", "p", "P"])))
    assert len(messages) == 2
    assert "dòng 2, cột type" in messages[0] and "dòng 4, cột type" in messages[1]


def test_duplicate_name_in_one_group_is_pyxforms_message_in_vietnamese_with_its_row():
    message = only(refused(xlsx(rows(H, ["text", "a", "A"], ["text", "a", "B"]))))
    assert message.startswith("Trang survey, dòng 3, cột name:") and "“a”" in message


def test_missing_choices_list_names_the_list_and_its_row():
    message = only(refused(xlsx(rows(H, ["text", "a", "A"], ["select_one zz", "b", "B"]), LIST)))
    assert message.startswith("Trang survey, dòng 3, cột type:") and "“zz”" in message


def test_missing_choices_sheet():
    message = only(refused(xlsx(rows(H, ["select_one zz", "b", "B"]))))
    assert "“zz”" in message and "không có trang choices" in message


def test_table_list_over_different_lists_is_refused_by_pyxform_with_its_row():
    survey_rows = rows(
        ["type", "name", "label", "appearance"],
        ["begin_group", "t", "T", "table-list"],
        ["select_one l", "a", "A"],
        ["select_one m", "b", "B"],
        ["end_group"],
    )
    choices = rows(["list_name", "name", "label"], ["l", "x", "X"], ["m", "y", "Y"])
    message = only(refused(xlsx(survey_rows, choices)))
    assert message.startswith("Trang survey, dòng 4: pyxform") and "table list" in message


def test_row_without_type_and_sheet_without_type_column():
    assert only(refused(xlsx(rows(H, ["text", "a", "A"], [None, "b", "B"])))).startswith("Trang survey, dòng 3")
    assert "type" in only(refused(xlsx([["name", "label"], ["a", "A"]])))


def test_a_form_of_metadata_only_has_no_question():
    message = only(refused(xlsx(rows(H, ["start", "start"], ["end", "end"]))))
    assert "ít nhất một câu hỏi" in message


# Files that are not XLSForms ------------------------------------------------------------------


def _empty_workbook() -> bytes:
    out = io.BytesIO()
    openpyxl.Workbook().save(out)
    return out.getvalue()


def _zip_without_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("case", "data", "filename", "words"),
    [
        ("csv renamed .xlsx", b"type,name,label\ntext,a,A\n", "form.xlsx", "không phải là bảng tính"),
        ("a csv", b"type,name,label\ntext,a,A\n", "form.csv", "không phải là bảng tính"),
        ("a text file", b"hello", "notes.txt", "không phải là bảng tính"),
        ("a Word document renamed", _zip_without_workbook(), "form.xlsx", "không phải là bảng tính"),
        ("a cut-off download", xlsx(rows(H, ["text", "a", "A"]))[:3000], "form.xlsx", "bị hỏng"),
        ("garbage after the zip magic", b"PK\x03\x04" + b"\x00" * 500, "form.xlsx", "bị hỏng"),
        ("garbage after the xls magic", xlsform.OLE_MAGIC + b"\x00" * 2000, "form.xls", "Không đọc được"),
        ("an empty file", b"", "form.xlsx", "trống"),
        ("an empty workbook", _empty_workbook(), "form.xlsx", "Trang survey trống"),
        ("headers only", xlsx(rows(H)), "form.xlsx", "Trang survey trống"),
        ("no survey sheet", xlsx([["a"]], survey_sheet="Sheet1", extra_sheets={"Sheet2": [["b"]]}), "f.xlsx", "survey"),
    ],
)
def test_files_that_are_not_xlsforms_get_a_clear_message(case, data, filename, words):
    message = only(refused(data, filename))
    assert words in message, (case, message)


def test_a_file_over_the_size_limit_is_refused_before_reading():
    message = only(refused(b"PK\x03\x04" + b"0" * xlsform.MAX_BYTES))
    assert "5 MB" in message


def test_a_zip_that_unpacks_to_a_flood_is_refused(monkeypatch):
    monkeypatch.setattr(xlsform_read, "MAX_UNPACKED_BYTES", 1000)
    message = only(refused(b.every_type()))
    assert "giải nén" in message


def test_an_unforeseen_failure_inside_pyxform_is_still_a_clear_message(monkeypatch):
    def broken(**kwargs):
        raise KeyError("label")

    monkeypatch.setattr(xlsform, "workbook_to_json", broken)
    message = only(refused(b.plain_label()))
    assert "Không đọc được biểu mẫu" in message


def test_too_many_rows_are_refused(monkeypatch):
    monkeypatch.setattr(xlsform_read, "MAX_ROWS", 3)
    message = only(refused(xlsx(rows(H, *[["text", f"q{n}", "Q"] for n in range(5)]))))
    assert "3 dòng" in message


SMALL_FORM = b.plain_label()  # built once: openpyxl stamps the time, which would change its length


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_damaged_files_never_raise_anything_but_a_validation_error(data):
    """Any byte flipped, cut or inserted in a real XLSForm ends in a definition or a clear
    message — never a server error."""
    original = bytearray(SMALL_FORM)
    kind = data.draw(st.sampled_from(["flip", "cut", "insert", "random"]))
    if kind == "random":
        blob = data.draw(st.binary(max_size=2000))
        blob = data.draw(st.sampled_from([b"", b"PK\x03\x04", xlsform.OLE_MAGIC])) + blob
    else:
        position = data.draw(st.integers(0, len(original) - 1))
        if kind == "flip":
            original[position] ^= data.draw(st.integers(1, 255))
        elif kind == "cut":
            del original[position:]
        else:
            original[position:position] = data.draw(st.binary(min_size=1, max_size=20))
        blob = bytes(original)
    try:
        definition, _title = definition_from_xlsform(io.BytesIO(blob), filename="form.xlsx")
    except ValidationError as error:
        assert error.messages
    else:
        check_definition(definition)
