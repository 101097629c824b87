"""The respondent page checks answers as the server will: answers.js (in Chromium, the check the
respondent page calls) and definition.check_answers agree on which answers are wrong and on the
answers as stored: for every shared case of ketnoi/surveys/tests/answer_cases.json (repeats,
choice filters, calculations, every type), and for generated answer sets to the two ready forms
and to forms that use every type and rule. What the browser accepts, the server stores
unchanged."""

import json
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ketnoi.surveys import definition as defs
from ketnoi.surveys.ready_forms import ready_form
from ketnoi.surveys.tests.answer_cases import CASES, FORMS, TODAY, case_id, expected, server_result
from ketnoi.surveys.tests.factories import ALL_TYPES

pytestmark = pytest.mark.browser

STATIC = Path(defs.__file__).parent / "static" / "surveys"
RULES = {
    "title": {"vi": "Quy tắc"},
    "questions": [
        {"name": "phone", "type": "text", "label": {"vi": "Điện thoại"}, "constraint": "regex(., '0[0-9]{9}')"},
        {"name": "hours", "type": "decimal", "label": {"vi": "Số giờ"}, "required": True, "constraint": ". > 0"},
        {
            "name": "why",
            "type": "long_text",
            "label": {"vi": "Vì sao nhiều giờ?"},
            "required": True,
            "relevant": "${hours} > 2.5",
        },
        {
            "name": "picks",
            "type": "select_multiple",
            "label": {"vi": "Chọn tối đa hai"},
            "choices": [{"name": n, "label": {"vi": n}} for n in ("a", "b", "c")],
            "or_other": True,
            "constraint": "count-selected(.) <= 2",
        },
        {
            "name": "when",
            "type": "date",
            "label": {"vi": "Ngày"},
            "relevant": "selected(${picks}, 'a') or ${phone} != ''",
            "constraint": ". >= '2024-01-01' and . <= '2025-12-31'",
        },
        {
            "name": "detail",
            "type": "group",
            "label": {"vi": "Chi tiết"},
            "relevant": "count-selected(${picks}) >= 1",
            "children": [
                {"name": "size", "type": "integer", "label": {"vi": "Quy mô"}, "required": True},
                {
                    "name": "grid",
                    "type": "matrix",
                    "label": {"vi": "Bảng"},
                    "required": True,
                    "relevant": "${size} >= 10",
                    "scale": {"min": 1, "max": 7},
                    "items": [{"name": "g1", "label": {"vi": "Một"}}, {"name": "g2", "label": {"vi": "Hai"}}],
                },
            ],
        },
    ],
}
DEFINITIONS = {
    "lecture": ready_form("lecture"),
    "workshop": ready_form("workshop"),
    "all_types": ALL_TYPES,
    "rules": RULES,
    # forms-spec v2: repeats inside repeats, calculations, every new type, choice filters
    "household": FORMS["household"],
    "types": FORMS["types"],
    "cascade": FORMS["cascade"],
    "khmer": FORMS["khmer"],
    "nested": FORMS["nested"],
}

TEXTS = ["Xin chào", " a ", "  ", "\u00a0", "\x1f x \x85", "\ufeff", "0912345678", "x" * 1001, "Đà Nẵng 😀"]
SAMPLES = {
    "text": TEXTS,
    "long_text": TEXTS,
    "integer": ["12", " 7 ", "-3", "3.5", "abc", "1e3", "0012", "123456789012345", "1234567890123456", "+5", "-0"]
    + ["0", "1", "9", "10", "18", "50", "51"],
    "decimal": ["3,5", "2.25", "1e3", "abc", "-0.5", ".5", "5.", "+3", "1,000.5", "999999999999999", "1e15"]
    + ["NaN", "Infinity", "0", "2.5", "2.6"],
    "date": ["2024-02-29", "2023-02-29", "2025-12-31", " 2024-01-05 ", "2024-1-5", "31/12/2024", "0000-01-01"]
    + ["2026-01-01", "2023-12-31"],
}
SCALE_EXTRAS = ["0", "6", "4.0", " 3 ", "abc", "11", "inf", "1e0"]


SAMPLES.update(
    {
        "time": ["07:30", "23:59:59", "24:00", "7:30", " 07:30 ", "07:30:60", "x"],
        "datetime": ["2024-03-01T07:30", "2024-02-29T00:00:00+07:00", "2023-02-29T10:00", "2024-03-01 07:30"]
        + ["2024-03-01T07:30Z", "2024-03-01T07:30-05:00"],
        "range": ["0", "2.5", "7,5", "10", "11", "1", "-2.5", "abc", "5", "3", 2.5, 4, True],
        "acknowledge": ["OK", "ok", " OK", "yes"],
        "trigger": ["OK", "", "no"],
        "geopoint": ["21.0285 105.8542 12.5 4", "-90 180", "91 0 0 0", "10 181", "1 2 3 -1", "1", "a b", "1 2 3 4 5"],
        "image": ["a.jpg", "b.png", "../x", "..", "x" * 101, "c d.jpg"],
        "audio": ["a.jpg", "c.m4a", "a b"],
        "file": ["doc.pdf", "a.jpg", "/etc/passwd"],
        "hidden": ["tampered", "fixed"],
        "calculate": ["1000", "yes", "x"],
    }
)
VALID = {
    "text": ["Xin chào", " a ", "0912345678"],
    "integer": ["1", "10", "12", "18", "50"],
    "decimal": ["3,5", "2.25", "0.5", "1e3"],
    "date": ["2024-02-29", "2025-12-31"],
    "time": ["07:30", "23:59:59"],
    "datetime": ["2024-03-01T07:30", "2024-02-29T00:00:00+07:00"],
    "range": ["0", "2.5", "5", "10", "3"],
    "acknowledge": ["OK"],
    "trigger": ["OK"],
    "geopoint": ["21.0285 105.8542 12.5 4", "-90 180"],
    "image": ["a.jpg", "b.png"],
    "audio": ["c.m4a"],
    "file": ["doc.pdf"],
    "hidden": ["fixed"],
    "calculate": ["x"],
}


def _values(question: dict, key: str, *, valid: bool):
    kind = question["type"]
    texts = VALID["text"] if valid else TEXTS
    if key == f"{question['name']}_{defs.OTHER}" or kind in ("text", "long_text"):
        return st.sampled_from(texts)
    if kind in SAMPLES:
        return st.sampled_from(VALID[kind] if valid else SAMPLES[kind])
    if kind in ("select_one", "select_multiple", "rank"):
        names = defs.choice_names(question) + ([] if valid else ["zzz"])
        if kind == "select_one":
            return st.sampled_from(names)
        if kind == "rank":
            return st.permutations(names).map(" ".join) | st.lists(st.sampled_from(names), max_size=4).map(" ".join)
        return st.lists(st.sampled_from(names), min_size=int(valid), max_size=4, unique=True)
    if kind == "repeat":
        return st.lists(answer_sets(question["children"], valid=valid), max_size=3)
    scale = question["scale"]
    points = [str(n) for n in range(scale["min"], scale["max"] + 1)]
    return st.sampled_from(points if valid else points + SCALE_EXTRAS)


def answer_sets(questions: list, *, valid: bool):
    """Answers as the page reads them from its widgets: anything the widgets allow and more, or
    (valid) values each of which is fine on its own, so that whole answer sets pass too. A
    repeat gets a few rows of its own answer sets."""
    fields = {}
    for question in defs.walk(questions, into_repeats=False):
        for key in defs.answer_names(question):
            value = _values(question, key, valid=valid)
            fields[key] = value if valid else st.one_of(st.none(), value)
    return st.fixed_dictionaries(fields).map(lambda d: {k: v for k, v in d.items() if v is not None})


cases = st.sampled_from(sorted(DEFINITIONS)).flatmap(
    lambda name: st.tuples(
        st.just(name),
        answer_sets(DEFINITIONS[name]["questions"], valid=False)
        | answer_sets(DEFINITIONS[name]["questions"], valid=True),
    )
)


def server_check(definition: dict, answers: dict) -> tuple[dict, list[str]]:
    try:
        return defs.check_answers(definition, answers, today=date.fromisoformat(TODAY)), []
    except ValidationError as error:
        return {}, sorted(error.message_dict)


@pytest.fixture(scope="module")
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_content("<!doctype html><html><head><title>checks</title></head><body></body></html>")
    for name in ("expressions.js", "answers.js"):
        page.add_script_tag(content=(STATIC / name).read_text(encoding="utf-8"))
    assert page.evaluate("typeof window.KetNoiAnswers.check") == "function"
    yield page
    context.close()


CHECK_BATCH = """([definitionsJson, batchJson]) => {
  const definitions = JSON.parse(definitionsJson);
  return JSON.stringify(JSON.parse(batchJson).map(([name, raw]) => {
    const result = window.KetNoiAnswers.check(definitions[name], raw, { today: "TODAY_ISO", messages: {} });
    return [result.cleaned, Object.keys(result.errors).sort()];
  }));
}""".replace("TODAY_ISO", TODAY)


def in_browser(page, batch: list) -> list:
    return json.loads(page.evaluate(CHECK_BATCH, [json.dumps(DEFINITIONS), json.dumps(batch)]))


def test_a_complete_answer_to_each_form_passes_on_both_sides(page):
    from ketnoi.surveys.tests.factories import LECTURE_ANSWERS

    workshop = {"participant_type": "cso", "useful": "4", "met_new_partners": "yes", "partners_count": "3"}
    [(lecture_cleaned, lecture_errors), (workshop_cleaned, workshop_errors)] = in_browser(
        page, [["lecture", {**LECTURE_ANSWERS, "topics_useful": ["advocacy", "other"]}], ["workshop", workshop]]
    )
    assert lecture_errors == [] and workshop_errors == []
    assert lecture_cleaned == LECTURE_ANSWERS
    assert workshop_cleaned == server_check(DEFINITIONS["workshop"], workshop)[0]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(batch=st.lists(cases, min_size=1, max_size=60))
def test_browser_and_server_checks_agree(page, batch):
    batch = [[name, raw] for name, raw in batch]
    for (name, raw), (js_cleaned, js_errors) in zip(batch, in_browser(page, batch), strict=True):
        definition = DEFINITIONS[name]
        py_cleaned, py_errors = server_check(definition, raw)
        assert js_errors == py_errors, (name, raw)
        if not js_errors:
            assert js_cleaned == py_cleaned, (name, raw)
            # What the page sends is stored as it is.
            assert server_check(definition, js_cleaned) == (js_cleaned, [])


SHARED_BATCH = """([formsJson, casesJson]) => {
  const forms = JSON.parse(formsJson);
  return JSON.stringify(JSON.parse(casesJson).map((c) => {
    const options = { today: c.today || "TODAY_ISO", files: c.files, messages: {} };
    const result = window.KetNoiAnswers.check(forms[c.form], c.raw, options);
    const errors = Object.keys(result.errors).sort();
    return [errors.length ? {} : result.cleaned, errors];
  }));
}""".replace("TODAY_ISO", TODAY)


def test_every_shared_case_is_decided_alike_in_the_browser(page):
    results = json.loads(page.evaluate(SHARED_BATCH, [json.dumps(FORMS), json.dumps(CASES)]))
    for case, (js_cleaned, js_errors) in zip(CASES, results, strict=True):
        assert (js_cleaned, js_errors) == expected(case), case_id(case)
        assert (js_cleaned, js_errors) == server_result(case), case_id(case)


SHOWN_AND_VALUES = """([formJson, rawJson]) => {
  const messages = { required: "REQ", invalid: "BAD", rows: "ROWS %(n)s" };
  const options = { today: "2024-06-15", messages: messages, lang: "vi" };
  const result = window.KetNoiAnswers.check(JSON.parse(formJson), JSON.parse(rawJson), options);
  return JSON.stringify({ shown: result.shown, values: result.values, errors: result.errors });
}"""


def test_the_page_learns_what_shows_the_values_and_the_messages_by_path(page):
    raw = {"head": "Minh", "n": 2, "member": [{"m_name": "Lan", "m_age": 40}, {"m_age": 12}]}
    result = json.loads(page.evaluate(SHOWN_AND_VALUES, [json.dumps(FORMS["household"]), json.dumps(raw)]))
    assert result["shown"]["member[0].job"] is True and result["shown"]["member[1].job"] is False
    assert result["shown"]["member[0].m_pos"] is False  # only when head is Lan
    assert result["values"]["member[0].m_adult"] == "yes" and result["values"]["double_n"] == 4
    assert result["errors"]["member[1].m_name"] == {"message": "REQ", "required": True}
    assert result["errors"]["member[0].job"]["required"] is True
    short = {"head": "Minh", "n": 3, "member": [{"m_name": "Lan", "m_age": 4}]}
    result = json.loads(page.evaluate(SHOWN_AND_VALUES, [json.dumps(FORMS["household"]), json.dumps(short)]))
    assert result["errors"]["member"] == {"message": "ROWS 3", "required": False}
