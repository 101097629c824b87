"""Submissions crafted to make the server work: rules that read a whole repeat from every row of
another, choice filters over long lists in many rows, select answers naming thousands of choices.
Each is answered (accepted or refused with a message) after a bounded amount of work, and the
largest legitimate submission still fits in that bound."""

import time

import pytest
from django.core.exceptions import ValidationError

from ketnoi.surveys import definition_answers, definition_expr
from ketnoi.surveys.definition import check_answers, check_definition


def _q(name, type_="text", **extra):
    return {"name": name, "type": type_, "label": {"vi": f"Câu {name}"}, **extra}


def _repeat(name, *children, **extra):
    return {"name": name, "type": "repeat", "label": {"vi": name}, "children": list(children), **extra}


def _form(*questions):
    form = {"title": {"vi": "Thử"}, "questions": list(questions)}
    check_definition(form)
    return form


@pytest.fixture
def evaluations(monkeypatch):
    """How many expressions the check evaluates."""
    counter = {"n": 0}
    original = definition_expr._evaluate

    def counting(source, **context):
        counter["n"] += 1
        return original(source, **context)

    monkeypatch.setattr(definition_expr, "_evaluate", counting)
    return counter


def test_sums_over_another_repeat_in_every_row_stop_at_the_work_budget():
    # 500 rows x 10 calculations x 60 sums of a 500-row repeat, each also reading its own row (so
    # no row shares another's result): 150 million values read (200 s before the budget).
    every_row = "${x} + " + "+".join(["sum(${b})"] * 60)
    form = _form(
        _repeat("B", _q("b", "integer")),
        _repeat("A", _q("x", "integer"), *[_q(f"c{i}", "calculate", calculation=every_row) for i in range(10)]),
    )
    answers = {"B": [{"b": i} for i in range(500)], "A": [{"x": 1} for _ in range(500)]}
    started = time.monotonic()
    with pytest.raises(ValidationError) as error:
        check_answers(form, answers)
    assert time.monotonic() - started < 10
    assert "quá nhiều phép tính" in error.value.message_dict["answers"][0]


def test_a_rule_reading_nothing_of_its_row_is_evaluated_once_for_all_rows(evaluations):
    total = "+".join(["sum(${b})"] * 60)
    form = _form(
        _repeat("B", _q("b", "integer")),
        _repeat(
            "A",
            _q("x", "integer", relevant="count(${b}) > 0"),
            *[_q(f"c{i}", "calculate", calculation=total) for i in range(10)],
        ),
    )
    answers = {"B": [{"b": 1} for _ in range(500)], "A": [{"x": 1} for _ in range(500)]}
    cleaned = check_answers(form, answers)
    assert cleaned["A"][499] == {"x": 1, **{f"c{i}": 30_000 for i in range(10)}}
    assert evaluations["n"] < 100


def test_a_sum_of_another_repeat_is_read_once_per_row_not_rebuilt():
    form = _form(
        _repeat("B", _q("b", "integer")),
        _repeat("A", _q("x", "integer"), _q("share", "calculate", calculation="${x} * 1000 div sum(${b})")),
    )
    answers = {"B": [{"b": 2} for _ in range(500)], "A": [{"x": i} for i in range(500)]}
    cleaned = check_answers(form, answers)
    assert cleaned["A"][3] == {"x": 3, "share": 3}


def test_the_largest_legitimate_submission_fits_the_budget():
    # 20,000 answers (the most one response may hold), each with a relevance and a constraint.
    children = [_q("a0", "integer")] + [
        _q(f"a{i}", "integer", relevant=f"${{a{i - 1}}} >= 0", constraint=f". <= ${{a{i - 1}}} + 100 and . < ${{top}}")
        for i in range(1, 38)
    ]
    form = _form(_q("top", "integer"), _repeat("R", *children), _q("tot", "calculate", calculation="sum(${a1})"))
    answers = {"top": 1000, "R": [{f"a{i}": i for i in range(38)} for _ in range(500)]}
    assert check_answers(form, answers)["tot"] == 500


COMMUNES = [{"name": f"c{i}", "label": {"vi": f"Xã {i}"}, "data": {"p": str(i % 20)}} for i in range(20_000)]


def test_a_choice_filter_runs_on_the_chosen_choice_not_the_whole_list(evaluations):
    form = _form(_repeat("A", _q("p", "integer"), _q("s", "select_one", choices=COMMUNES, choice_filter="p = ${p}")))
    answers = {"A": [{"p": i % 20, "s": f"c{i % 20}"} for i in range(500)]}
    assert check_answers(form, answers) == answers
    assert evaluations["n"] < 2_000  # 10 million before (20,000 choices x 500 rows)
    with pytest.raises(ValidationError) as error:
        check_answers(form, {"A": [{"p": 1, "s": "c2"}]})
    assert list(error.value.message_dict) == ["A[0].s"]


def test_a_filtered_multiple_choice_keeps_choice_order_and_refuses_filtered_out_names():
    form = _form(
        _q("p", "integer"),
        _q("m", "select_multiple", choices=COMMUNES[:40], choice_filter="p = ${p}", or_other=True),
        _q("r", "rank", choices=COMMUNES[:40], choice_filter="p = ${p}"),
    )
    cleaned = check_answers(form, {"p": 3, "m": "c23 other c3", "m_other": "x", "r": "c23 c3"})
    assert cleaned == {"p": 3, "m": "c3 c23 other", "m_other": "x", "r": "c23 c3"}
    with pytest.raises(ValidationError) as error:
        check_answers(form, {"p": 3, "m": "c3 c4", "r": "c3"})
    assert set(error.value.message_dict) == {"m", "r"}


def test_a_multiple_choice_naming_every_choice_is_checked_in_linear_time():
    form = _form(_q("m", "select_multiple", choices=COMMUNES))
    every = " ".join(reversed([c["name"] for c in COMMUNES]))
    started = time.monotonic()
    assert check_answers(form, {"m": every})["m"].startswith("c0 c1 c2")
    assert time.monotonic() - started < 5  # list look-ups: 400 million comparisons before


def test_the_budget_is_a_bound_on_evaluations(evaluations):
    form = _form(
        _repeat("B", _q("b", "integer")),
        _repeat("A", _q("x", "integer"), _q("c", "calculate", calculation="${x} + " + "+".join(["sum(${b})"] * 60))),
    )
    with pytest.raises(ValidationError):
        check_answers(form, {"B": [{"b": 1}] * 500, "A": [{"x": 1}] * 500})
    assert evaluations["n"] <= definition_answers.MAX_WORK // 500


# Text PostgreSQL cannot store ------------------------------------------------------------------


@pytest.mark.parametrize("text", ["x\ud800", "\udc00y", "a\x00b"])
def test_text_with_a_lone_surrogate_or_nul_is_refused_naming_the_question(text):
    form = _form(_q("a"), _q("s", "select_one", choices=[{"name": "other", "label": {"vi": "Khác"}}], or_other=True))
    with pytest.raises(ValidationError) as error:
        check_answers(form, {"a": text, "s": "other", "s_other": text})
    assert set(error.value.message_dict) == {"a", "s_other"}
    assert "ký tự không hợp lệ" in error.value.message_dict["a"][0]


def test_a_client_value_with_a_lone_surrogate_is_replaced_by_the_server_s():
    form = _form(_q("id", "calculate", calculation="uuid()"))
    kept = check_answers(form, {"id": "client-made-1"})["id"]
    replaced = check_answers(form, {"id": "bad\ud800"})["id"]
    assert kept == "client-made-1" and replaced != "bad\ud800" and len(replaced) == 36


@pytest.mark.django_db
def test_a_lone_surrogate_sent_to_the_service_is_a_validation_error_with_nothing_stored(prog):
    import uuid

    from ketnoi.surveys.models import Response
    from ketnoi.surveys.services import response_submit

    from .media_builders import media_form

    collection = media_form(prog, definition={"title": {"vi": "T"}, "questions": [_q("village")]})
    with pytest.raises(ValidationError):
        response_submit(collection=collection, uuid=uuid.uuid4(), answers={"village": "Thôn \ud800"})
    assert Response.objects.count() == 0


def test_an_expression_tree_is_walked_without_recursion_in_document_order():
    from ketnoi.surveys import expressions

    tree = ("ref", "a")
    for index in range(5000):  # a long chain of "+" (left-deep, as the parser builds it)
        tree = ("bin", "+", tree, ("ref", f"b{index}"))
    names = [node[1] for node in expressions._nodes(tree) if node[0] == "ref"]
    assert names == ["a"] + [f"b{index}" for index in range(5000)]
    chain = "+".join(f"${{q{i}}}" for i in range(120))  # 1000 characters at most
    assert expressions.references(chain) == {f"q{i}" for i in range(120)}
