"""XLSForm export: the workbook's sheets, pyxform (so KoboToolbox and ODK) accepting it, and the
round trip export → import giving the same definition, for ready, varied and generated forms."""

import copy
import io
import shutil

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyxform.xls2xform import convert

from ketnoi.surveys.definition import SCALES, check_definition, default_language, label
from ketnoi.surveys.ready_forms import READY_FORMS, ready_form
from ketnoi.surveys.xlsform import (
    CHOICES_COLUMNS,
    SURVEY_COLUMNS,
    definition_from_xlsform,
    xlsform_from_definition,
)

from . import xlsform_builders as b
from .xlsform_export_support import as_read_back

OR_OTHER_WARNING = "uses or_other and translations"  # pyxform's advice, not a problem


def form_title(definition: dict) -> str:
    """The title in the form's own language (Vietnamese unless it has none)."""
    return label(definition["title"], default_language(definition))


def export(definition: dict, *, title: str | None = None, form_id: str = "form", **extra) -> bytes:
    title = form_title(definition) if title is None else title
    return xlsform_from_definition(definition, title=title, form_id=form_id, **extra)


def round_trip(definition: dict, *, form_id: str = "form", **extra) -> dict:
    data = export(definition, form_id=form_id, **extra)
    back, title = definition_from_xlsform(io.BytesIO(data), filename="export.xlsx")
    assert title == form_title(definition)
    return as_read_back(definition, back, form_id=form_id, version=str(extra.get("version", 1)))


def sheet(data: bytes, name: str) -> list[dict]:
    rows = list(openpyxl.load_workbook(io.BytesIO(data))[name].iter_rows(values_only=True))
    return [{k: v for k, v in zip(rows[0], row, strict=True) if v is not None} for row in rows[1:]]


def pyxform_accepts(data: bytes, *, validate: bool = False) -> str:
    """The XForm pyxform makes of the workbook, as KoboToolbox and ODK Central do on upload."""
    result = convert(data, file_type=".xlsx", validate=validate, pretty_print=False)
    assert [w for w in result.warnings if OR_OTHER_WARNING not in w] == []
    return result.xform


def varied(name: str) -> dict:
    definition, _title = definition_from_xlsform(io.BytesIO(b.VARIED_FORMS[name]()), filename=f"{name}.xlsx")
    return definition


# The workbook ---------------------------------------------------------------------------------


def test_the_lecture_evaluation_as_a_workbook():
    data = export(ready_form("lecture"), title="Đánh giá bài giảng K12", form_id="danh-gia-bai-giang", version=3)
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["survey", "choices", "settings"]
    assert [c.value for c in workbook["survey"][1]] == SURVEY_COLUMNS
    assert "label::Vietnamese (vi)" in SURVEY_COLUMNS and "hint::English (en)" in SURVEY_COLUMNS
    assert [c.value for c in workbook["choices"][1]] == CHOICES_COLUMNS

    survey = sheet(data, "survey")
    types = [(row["type"], row["name"]) for row in survey]
    assert types == [
        ("begin_group", "quality"),
        ("select_one scale_1_5_quality", "content_relevant"),
        ("select_one scale_1_5_quality", "content_new"),
        ("select_one scale_1_5_quality", "lecturer_clear"),
        ("select_one scale_1_5_quality", "methods_engaging"),
        ("select_one scale_1_5_quality", "time_enough"),
        ("end_group", "quality"),
        ("select_one scale_1_5_overall", "overall"),
        ("select_multiple topics_useful or_other", "topics_useful"),
        ("select_one would_recommend", "would_recommend"),
        ("text", "improve"),
    ]
    matrix, item, overall, improve = survey[0], survey[1], survey[7], survey[10]
    assert matrix["appearance"] == "table-list"
    assert matrix["label::Vietnamese (vi)"] == "Mức độ đồng ý của anh/chị với các nhận định sau"
    assert matrix["label::English (en)"] == "How far do you agree with these statements"
    assert item["required"] == "yes" and item["label::English (en)"] == "The content fits my work"
    assert overall["appearance"] == "likert" and overall["required"] == "yes"
    assert improve["appearance"] == "multiline"
    assert improve["constraint"] == "string-length(.) <= 1000"
    assert improve["constraint_message::Vietnamese (vi)"] == "Tối đa 1000 ký tự."
    assert improve["constraint_message::English (en)"] == "At most 1000 characters."
    assert improve["hint::Vietnamese (vi)"] == "Không bắt buộc." and improve["hint::English (en)"] == "Optional."

    choices = sheet(data, "choices")
    scale = [c for c in choices if c["list_name"] == "scale_1_5_quality"]
    assert [c["name"] for c in scale] == ["1", "2", "3", "4", "5"]
    assert (
        scale[0]["label::Vietnamese (vi)"] == "Rất không đồng ý" and scale[4]["label::English (en)"] == "Strongly agree"
    )
    assert scale[2]["label::Vietnamese (vi)"] == "3"
    topics = [c for c in choices if c["list_name"] == "topics_useful"]
    assert topics[-1] == {
        "list_name": "topics_useful",
        "name": "other",
        "label::Vietnamese (vi)": "Khác",
        "label::English (en)": "Other",
    }

    assert sheet(data, "settings") == [
        {
            "form_title": "Đánh giá bài giảng K12",
            "form_id": "danh-gia-bai-giang",
            "version": "3",
            "default_language": "Vietnamese (vi)",
            "clean_text_values": "no",
            "form_title_en": "Lecture evaluation",
        }
    ]


def test_workshop_feedback_keeps_its_relevance_and_constraint():
    survey = {row["name"]: row for row in sheet(export(ready_form("workshop")), "survey")}
    assert survey["participant_type"]["type"] == "select_one participant_type or_other"
    assert survey["partners_count"]["type"] == "integer"
    assert survey["partners_count"]["relevant"] == "${met_new_partners} = 'yes'"
    assert survey["partners_count"]["constraint"] == ". >= 1 and . <= 50"
    assert survey["useful"]["appearance"] == "likert"


def test_equal_choice_lists_are_shared_and_list_names_never_clash():
    yes_no = [{"name": "yes", "label": {"vi": "Có"}}, {"name": "no", "label": {"vi": "Không"}}]
    definition = {
        "title": {"vi": "Danh sách"},
        "questions": [
            {"name": "a", "type": "select_one", "label": {"vi": "A"}, "choices": yes_no},
            {"name": "b", "type": "select_one", "label": {"vi": "B"}, "choices": copy.deepcopy(yes_no)},
            {"name": "c", "type": "rating", "label": {"vi": "C"}, "scale": {"min": 1, "max": 5}},
            {
                "name": "scale_1_5_c",
                "type": "select_multiple",
                "label": {"vi": "D"},
                "choices": [{"name": "x", "label": {"vi": "X"}}],
            },
        ],
    }
    data = export(definition)
    types = [row["type"] for row in sheet(data, "survey")]
    assert types == [
        "select_one a",
        "select_one a",
        "select_one scale_1_5_c",
        "select_multiple scale_1_5_c_2",
    ]
    assert round_trip(definition) == definition
    pyxform_accepts(data)


def test_texts_excel_would_misread_survive():
    tricky = {
        "title": {"vi": "Ký tự đặc biệt", "en": "Special characters"},
        "questions": [
            {"name": "formula", "type": "text", "label": {"vi": "=SUM(A1:A3) không phải công thức"}},
            {"name": "lines", "type": "note", "label": {"vi": "Dòng một\nDòng hai", "en": "Line one\n\nLine two"}},
            {"name": "markup", "type": "text", "label": {"vi": "<b>đậm</b> & “ngoặc” 'đơn'"}},
            {"name": "spaces", "type": "text", "label": {"vi": "hai  dấu cách"}, "hint": {"vi": "100%"}},
            {"name": "number_label", "type": "integer", "label": {"vi": "2024"}},
            {"name": "yes_label", "type": "text", "label": {"vi": "TRUE"}},
        ],
    }
    assert round_trip(tricky) == tricky
    pyxform_accepts(export(tricky))


def test_control_characters_are_dropped_rather_than_breaking_the_file():
    definition = {
        "title": {"vi": "Điều khiển"},
        "questions": [{"name": "a", "type": "text", "label": {"vi": "Có\x07 ký tự\x00 lạ"}}],
    }
    back = round_trip(definition)
    assert back["questions"][0]["label"] == {"vi": "Có ký tự lạ"}


def test_form_id_is_made_safe_for_xforms():
    data = export(ready_form("workshop"), form_id="2025 hội thảo/Huế")
    form_id = sheet(data, "settings")[0]["form_id"]
    assert form_id == "form_2025_h_i_th_o_Hu_"
    assert 'id="form_2025_h_i_th_o_Hu_"' in pyxform_accepts(data)


def test_title_falls_back_to_the_definitions_title():
    data = xlsform_from_definition(ready_form("workshop"), title="", form_id="ws")
    assert sheet(data, "settings")[0]["form_title"] == "Phản hồi sau hội thảo"


# KoboToolbox and ODK accept it ------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(READY_FORMS))
def test_pyxform_turns_the_ready_forms_into_xforms_in_both_languages(key):
    xform = pyxform_accepts(export(ready_form(key), form_id=key))
    assert '<translation lang="Vietnamese (vi)" default="true()">' in xform
    assert '<translation lang="English (en)">' in xform
    assert f'id="{key}"' in xform


@pytest.mark.parametrize("name", sorted(b.VARIED_FORMS))
def test_pyxform_turns_every_varied_form_into_an_xform(name):
    pyxform_accepts(export(varied(name)))


@pytest.mark.parametrize("key", [*sorted(READY_FORMS), "every_type", "nested_groups", "table_list_matrix"])
def test_odk_validate_accepts_the_export(key):
    # `make test` installs a Java runtime (scripts/install-test-system-deps.sh) for ODK Validate.
    assert shutil.which("java"), "ODK Validate needs Java: apt-get install default-jre-headless"
    definition = ready_form(key) if key in READY_FORMS else varied(key)
    pyxform_accepts(export(definition), validate=True)  # raises ODKValidateError otherwise


# Round trips ---------------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(READY_FORMS))
def test_ready_forms_survive_the_round_trip(key):
    definition = ready_form(key)
    assert round_trip(definition, form_id=key) == definition


@pytest.mark.parametrize("name", sorted(b.VARIED_FORMS))
def test_every_varied_form_survives_the_round_trip(name):
    definition = varied(name)
    once = round_trip(definition)
    assert once == definition
    assert round_trip(once) == definition


# Generated definitions --------------------------------------------------------------------------

_LETTERS = "abcdeghiklmnopqrstuvxyABCDGHKLMNPSTVáàảãạăắằẳẵặâấầẩẫậđéèẻẽẹêếềểễệíìỉĩịóòỏõọôốồổỗộơớờởỡợúùủũụưứừửữựýỳỷỹỵ"
_TEXT_ALPHABET = _LETTERS + "0123456789 ,.?!:;()/-'\"“”‘’&<>%=*_#\n\t"
texts = st.text(alphabet=_TEXT_ALPHABET, min_size=1, max_size=40).map(str.strip).filter(bool)
words = st.text(alphabet=_LETTERS, min_size=1, max_size=12)  # never a bare number


@st.composite
def translated(draw, *, text=texts, english: bool | None = None) -> dict:
    value = {"vi": draw(text)}
    if english if english is not None else draw(st.booleans()):
        value["en"] = draw(text)
    return value


@st.composite
def definitions(draw) -> dict:
    counter = iter(range(10_000))
    answered: list[tuple[str, dict]] = []  # earlier answered questions, for relevance rules

    def name() -> str:
        return f"{draw(st.sampled_from(['q', 'cau', 'Item', '_x']))}{next(counter)}"

    def rules(question: dict, kind: str) -> None:
        if draw(st.booleans()) and kind not in ("note", "group"):
            question["required"] = True
        if answered and draw(st.integers(0, 3)) == 0:
            other, target = draw(st.sampled_from(answered))
            if target["type"] in ("select_one", "select_multiple"):
                question["relevant"] = f"selected(${{{other}}}, '{target['choices'][0]['name']}')"
            else:
                question["relevant"] = f"${{{other}}} != ''"
        constraint = {
            "integer": ". >= 0 and . <= 100",
            "decimal": ". > 0",
            "text": "string-length(.) <= 50",
            "long_text": "regex(., '[^<>]*')",
            "date": ". <= today()",
            "select_multiple": "count-selected(.) <= 2",
            "rating": ". >= 2",
        }.get(kind)
        if constraint and draw(st.booleans()):
            question["constraint"] = constraint
            if draw(st.booleans()):
                question["constraint_message"] = draw(translated())
        if kind not in ("group",) and draw(st.booleans()):
            question["hint"] = draw(translated())

    def scale() -> dict:
        low, high = draw(st.sampled_from(SCALES))
        result = {"min": low, "max": high}
        for key in ("min_label", "max_label"):
            if draw(st.booleans()):
                result[key] = draw(translated(text=words))
        return result

    def question(depth: int) -> dict:
        kinds = ["text", "long_text", "integer", "decimal", "date", "note", "select_one", "select_multiple"]
        kinds += ["rating", "matrix"] + (["group"] if depth < 2 else [])
        kind = draw(st.sampled_from(kinds))
        q: dict = {"name": name(), "type": kind}
        if kind != "group" or draw(st.booleans()):
            q["label"] = draw(translated())
        if kind in ("select_one", "select_multiple"):
            names = draw(
                st.lists(
                    st.from_regex(r"[a-z][a-z0-9_]{0,6}|[0-9]{1,3}", fullmatch=True).filter(lambda n: n != "other"),
                    min_size=1,
                    max_size=5,
                    unique=True,
                )
            )
            q["choices"] = [{"name": n, "label": draw(translated())} for n in names]
            if draw(st.booleans()):
                q["or_other"] = True
        if kind in ("rating", "matrix"):
            q["scale"] = scale()
        if kind == "matrix":
            q["items"] = [{"name": name(), "label": draw(translated())} for _ in range(draw(st.integers(1, 4)))]
        rules(q, kind)
        if kind == "group":
            q["children"] = [question(depth + 1) for _ in range(draw(st.integers(1, 3)))]
        elif kind not in ("note", "matrix"):
            answered.append((q["name"], q))
        elif kind == "matrix":
            answered.extend((item["name"], q) for item in q["items"])
        return q

    questions = [question(0) for _ in range(draw(st.integers(1, 6)))]
    return {"title": draw(translated(text=words)), "questions": questions}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(definition=definitions())
def test_generated_definitions_survive_export_and_import(definition):
    check_definition(definition)
    data = export(definition)
    back, _title = definition_from_xlsform(io.BytesIO(data), filename="generated.xlsx")
    assert as_read_back(definition, back, form_id="form") == definition
    pyxform_accepts(data)
