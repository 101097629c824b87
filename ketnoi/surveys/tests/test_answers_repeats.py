"""Answers v2 (forms-spec §2) on the server: repeat rows and how rules see them, calculations
recomputed, read-only and default values, messages in the respondent's language, media names,
and crafted submissions (huge, deep, wrong shapes, NaN, booleans for numbers) refused with a
ValidationError naming the answer, in bounded time."""

import copy
import json
import time
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from ketnoi.surveys import definition as d
from ketnoi.surveys.definition import check_answers

from .answer_cases import FORMS


def _form(*questions, **top):
    return {"title": {"vi": "Thử"}, "questions": list(questions), **top}


def _q(name, type_="text", **extra):
    return {"name": name, "type": type_, "label": {"vi": f"Câu {name}", "en": f"Question {name}"}, **extra}


def _repeat(name, *children, **extra):
    return {"name": name, "type": "repeat", "label": {"vi": name}, "children": list(children), **extra}


def _errors(definition, answers, **options) -> dict:
    with pytest.raises(ValidationError) as error:
        check_answers(definition, answers, **options)
    return error.value.message_dict


HOUSEHOLD = FORMS["household"]


def test_a_rule_outside_a_repeat_sees_every_row():
    form = _form(_repeat("kid", _q("age", "integer")), _q("older", relevant="selected(${age}, '12')"))
    d.check_definition(form)
    cleaned = check_answers(form, {"kid": [{"age": 12}, {"age": 3}, {}], "older": "x"})
    assert cleaned == {"kid": [{"age": 12}, {"age": 3}, {}], "older": "x"}
    assert check_answers(form, {"kid": [{"age": 3}], "older": "x"}) == {"kid": [{"age": 3}]}


def test_a_row_sees_its_own_values_first_then_its_ancestors():
    form = _form(
        _q("limit", "integer"),
        _repeat(
            "outer",
            _q("size", "integer"),
            _repeat("inner", _q("part", "integer", constraint=". <= ${size} and . <= ${limit}")),
        ),
    )
    answers = {
        "limit": 5,
        "outer": [{"size": 2, "inner": [{"part": 2}]}, {"size": 9, "inner": [{"part": 5}, {"part": 6}]}],
    }
    errors = _errors(form, answers)
    assert list(errors) == ["outer[1].inner[1].part"]
    answers["outer"][1]["inner"].pop()
    assert check_answers(form, answers) == answers


def test_non_relevant_rows_and_repeats_are_dropped():
    form = _form(
        _q("has_kids", "select_one", choices=[{"name": "yes", "label": "Có"}, {"name": "no", "label": "Không"}]),
        _repeat("kid", _q("age", "integer"), _q("school", relevant="${age} >= 6"), relevant="${has_kids} = 'yes'"),
    )
    assert check_answers(form, {"has_kids": "no", "kid": [{"age": 3}]}) == {"has_kids": "no"}
    cleaned = check_answers(form, {"has_kids": "yes", "kid": [{"age": 3, "school": "x"}, {"age": 7, "school": "y"}]})
    assert cleaned["kid"] == [{"age": 3}, {"age": 7, "school": "y"}]


def test_repeat_count_literal_and_expression():
    form = _form(
        _q("n", "integer"), _repeat("r", _q("x"), repeat_count="${n} + 1"), _repeat("fixed", _q("y"), repeat_count=2)
    )
    assert _errors(form, {"n": 1, "r": [{"x": "a"}]}).keys() == {"r", "fixed"}
    cleaned = check_answers(form, {"n": 1, "r": [{"x": "a"}, {"x": "b"}], "fixed": [{"y": "1"}, {}]})
    assert cleaned == {"n": 1, "r": [{"x": "a"}, {"x": "b"}], "fixed": [{"y": "1"}, {}]}
    # an empty or unreadable count is 0 rows
    assert "r" in _errors(form, {"r": [{"x": "a"}], "fixed": [{}, {}]})
    assert "r" in _errors(form, {"n": "", "r": [{}], "fixed": [{}, {}]})
    assert check_answers(form, {"n": "", "fixed": [{}, {}]}) == {"fixed": [{}, {}]}


def test_calculations_are_recomputed_and_client_values_of_random_ones_kept():
    form = _form(_q("a", "integer"), {"name": "twice", "type": "calculate", "calculation": "${a} * 2"})
    assert check_answers(form, {"a": 4, "twice": 1000}) == {"a": 4, "twice": 8}
    random_form = _form({"name": "id", "type": "calculate", "calculation": "uuid()"}, _q("a"))
    assert check_answers(random_form, {"id": "uuid:abc", "a": "x"}) == {"id": "uuid:abc", "a": "x"}
    too_long = check_answers(random_form, {"id": "x" * 256, "a": "x"})
    assert too_long.get("id") != "x" * 256


def test_read_only_values_come_from_the_form_not_the_client():
    form = _form(
        _q("ro", read_only=True), _q("ro_default", "integer", read_only=True, default="4"), _q("free", default="d")
    )
    assert check_answers(form, {"ro": "typed", "ro_default": 99}) == {"ro_default": 4}
    assert check_answers(form, {}) == {"ro_default": 4}  # the default of "free" is not forced
    assert check_answers(form, {"free": "mine"})["free"] == "mine"


def test_messages_follow_the_respondent_language():
    form = _form(
        _q(
            "age",
            "integer",
            required=True,
            required_message={"vi": "Cần tuổi.", "en": "Age needed."},
            constraint=". >= 18",
            constraint_message={"vi": "Từ 18.", "en": "From 18."},
        )
    )
    with translation.override("en"):
        assert "Age needed." in _errors(form, {})["age"][0]
        assert "From 18." in _errors(form, {"age": 3})["age"][0]
    with translation.override("vi"):
        assert "Cần tuổi." in _errors(form, {})["age"][0]
        assert "Từ 18." in _errors(form, {"age": 3})["age"][0]


def test_media_names_must_be_safe_unique_and_uploaded():
    form = _form(_q("photo", "image"), _repeat("r", _q("clip", "audio")))
    answers = {"photo": "a.jpg", "r": [{"clip": "b.m4a"}, {"clip": "a.jpg"}]}
    assert list(_errors(form, answers)) == ["r[1].clip"]
    answers["r"][1]["clip"] = "c.m4a"
    assert check_answers(form, answers, files=None) == answers
    assert list(_errors(form, answers, files=["a.jpg", "b.m4a"])) == ["r[1].clip"]
    assert check_answers(form, answers, files={"a.jpg", "b.m4a", "c.m4a"}) == answers
    assert d.media_names(form, answers) == ["a.jpg", "b.m4a", "c.m4a"]


def test_today_reaches_rules_in_rows():
    form = _form(_repeat("v", _q("day", "date", constraint=". <= today()")))
    assert check_answers(form, {"v": [{"day": "2024-01-01"}]}, today=date(2024, 1, 1))
    assert list(_errors(form, {"v": [{"day": "2024-01-02"}]}, today=date(2024, 1, 1))) == ["v[0].day"]


def test_checking_does_not_change_the_definition_or_the_answers():
    definition = copy.deepcopy(HOUSEHOLD)
    answers = {"head": "Lan", "n": "1", "member": [{"m_name": " A ", "m_age": "30", "job": "x"}]}
    before = copy.deepcopy(answers)
    check_answers(definition, answers)
    assert definition == HOUSEHOLD and answers == before


# Crafted submissions ---------------------------------------------------------------------------

NUMBERS = _form(
    _q("n", "integer"),
    _q("x", "decimal"),
    _q("r", "range"),
    _q("s", "rating", scale={"min": 1, "max": 5}),
    _q("t"),
    _q("m", "select_multiple", choices=[{"name": "a", "label": "A"}]),
    _repeat("rows", _q("inner")),
)


@pytest.mark.parametrize(
    "answers, key",
    [
        ({"n": True}, "n"),
        ({"x": False}, "x"),
        ({"r": True}, "r"),
        ({"s": True}, "s"),
        ({"n": float("nan")}, "n"),
        ({"x": float("inf")}, "x"),
        ({"x": float("nan")}, "x"),
        ({"r": float("-inf")}, "r"),
        ({"s": float("nan")}, "s"),
        ({"x": "Infinity"}, "x"),
        ({"x": "1" * 400}, "x"),
        ({"n": 10**400}, "n"),
        ({"x": 10**400}, "x"),
        ({"t": "x" * 1_000_000}, "t"),
        ({"t": ["a"]}, "t"),
        ({"t": {"a": "b"}}, "t"),
        ({"m": [["a"]]}, "m"),
        ({"m": [{"a": 1}]}, "m"),
        ({"m": 5}, "m"),
        ({"rows": "x"}, "rows"),
        ({"rows": {"0": {}}}, "rows"),
        ({"rows": [1, 2]}, "rows"),
        ({"rows": [{}] * (d.MAX_REPEAT_ROWS + 1)}, "rows"),
        ({"rows": [{"inner": "a", "rows": []}]}, "rows[0].rows"),
        ({"rows": [{"nope": 1}]}, "rows[0].nope"),
    ],
)
def test_crafted_values_are_refused_naming_the_answer(answers, key):
    errors = _errors(NUMBERS, answers)
    assert key in errors
    assert all(isinstance(m, str) and m for ms in errors.values() for m in ms)


def test_deeply_nested_values_are_refused_without_recursing():
    nested: list = ["a"]
    for _ in range(100_000):
        nested = [nested]
    assert "m" in _errors(NUMBERS, {"m": nested})
    assert "t" in _errors(NUMBERS, {"t": nested})
    deep_dict: dict = {}
    for _ in range(100_000):
        deep_dict = {"rows": [deep_dict]}
    assert "rows[0].rows" in _errors(NUMBERS, {"rows": [deep_dict]})


def test_a_million_rows_or_keys_are_refused_quickly():
    started = time.monotonic()
    assert "rows" in _errors(NUMBERS, {"rows": [{}] * 1_000_000})
    many = {f"k{i}": i for i in range(1_000_000)}
    errors = _errors(NUMBERS, many)
    assert len(errors) <= 200
    assert time.monotonic() - started < 10


def test_the_total_number_of_values_is_bounded():
    form = _form(_repeat("a", _repeat("b", _q("v"))))
    rows = [{"b": [{"v": "x"}] * 100} for _ in range(300)]  # 300 × (1 + 100 × 2) > 20,000
    assert _errors(form, {"a": rows}) == {"answers": [f"Phiếu có quá {d.MAX_ANSWER_VALUES} câu trả lời."]}
    started = time.monotonic()
    fine = [{"b": [{"v": "x"}] * 40} for _ in range(100)]  # 8,200 values
    assert len(check_answers(form, {"a": fine})["a"]) == 100
    assert time.monotonic() - started < 10


def test_rules_over_many_rows_stay_bounded():
    # each row of "other" reads every row of "r" (a nodeset of 500): 250,000 values, once each
    form = _form(
        _repeat("r", _q("v", "integer")),
        _repeat("other", _q("w", relevant="selected(${v}, '1')")),
    )
    n = d.MAX_REPEAT_ROWS
    answers = {"r": [{"v": i} for i in range(1, n + 1)], "other": [{"w": "x"}] * n}
    started = time.monotonic()
    cleaned = check_answers(form, answers)
    assert cleaned["other"] == [{"w": "x"}] * n
    assert time.monotonic() - started < 20


def test_rules_that_need_each_other_end():
    # relevance going round in a circle (a needs b, b needs a) is allowed by XLSForm; it ends
    form = _form(_q("a", relevant="${b} = ''"), _q("b", relevant="${a} = ''"))
    assert isinstance(check_answers(form, {"a": "1", "b": "2"}), dict)
    long_chain = _form(*[_q(f"q{i}", relevant=f"${{q{i + 1}}} = ''") for i in range(300)], _q("q300"))
    assert isinstance(check_answers(long_chain, {f"q{i}": "x" for i in range(301)}), dict)


def test_answers_that_are_not_an_object_are_refused():
    for answers in ([], "x", None, 5, [{"a": 1}]):
        assert "answers" in _errors(HOUSEHOLD, answers)


def test_error_paths_are_json_friendly():
    errors = _errors(HOUSEHOLD, {"head": "", "n": 1, "member": [{"m_age": "x"}]})
    assert json.loads(json.dumps(errors)) == errors
    assert set(errors) == {"head", "member[0].m_name", "member[0].m_age"}
