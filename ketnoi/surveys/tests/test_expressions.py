"""The expression language on the server: the shared case table (the browser runs the same one
in tests/browser/test_survey_expressions.py) and properties checked on generated expressions.

The cases and strategies are in expression_cases.py: they also feed the browser test, which
evaluates the same generated batches in Chromium and compares the results with these."""

import math
import operator
import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ketnoi.surveys import expressions
from ketnoi.surveys.expressions import ExpressionError

from .expression_cases import (
    CASES,
    JS_FILE,
    TODAY,
    answer_sets,
    answer_values,
    expected_of,
    expression_sources,
    random_texts,
    run,
    run_case,
)

# The shared table -----------------------------------------------------------------------------


def _case_id(index_case) -> str:
    index, case = index_case
    return f"{index}:{case['source'][:40]!r}"


@pytest.mark.parametrize("case", CASES, ids=[_case_id(pair) for pair in enumerate(CASES)])
def test_shared_case(case):
    assert run_case(case) == expected_of(case), case.get("note", "")


def test_the_table_covers_every_function_and_operator():
    sources = " ".join(case["source"] for case in CASES)
    for name in expressions.FUNCTIONS:
        assert f"{name}(" in sources or f"{name} (" in sources, name
    for op in ("+", "-", "*", " div ", " mod ", "=", "!=", "<", "<=", ">", ">=", " and ", " or "):
        assert op in sources, op
    assert any(case.get("error") for case in CASES)
    assert any(case.get("holds") for case in CASES)
    assert any("current" in case for case in CASES)


def test_the_browser_evaluator_never_evaluates_code():
    source = JS_FILE.read_text(encoding="utf-8")
    assert not re.search(r"\beval\s*\(|\bFunction\s*\(|new\s+Function", source)


def test_references_lists_the_questions_named():
    assert expressions.references("${a} = 1 and selected(${b}, 'x') or -${c} > count-selected(${a})") == {
        "a",
        "b",
        "c",
    }
    assert expressions.references("1 + 1") == set()
    with pytest.raises(ExpressionError):
        expressions.references("${a} =")


def test_error_messages_say_where():
    with pytest.raises(ExpressionError, match="at 5"):
        expressions.parse("1 + )")
    with pytest.raises(ExpressionError, match="unknown function 'pulldata'"):
        expressions.parse("pulldata('a', 'b', 'c', 1)")
    with pytest.raises(ExpressionError, match="nested"):
        expressions.parse("-" * 40 + "1")


# Properties --------------------------------------------------------------------------------------


def _number_tree(depth: int):
    literal = st.one_of(
        st.integers(0, 10**4).map(lambda n: (str(n), float(n))),
        st.tuples(st.integers(0, 99), st.integers(0, 99)).map(lambda p: (f"{p[0]}.{p[1]}", float(f"{p[0]}.{p[1]}"))),
    )
    if depth == 0:
        return literal
    smaller = _number_tree(depth - 1)
    return st.one_of(
        literal,
        st.tuples(smaller, st.sampled_from(["+", "-", "*", "div", "mod"]), smaller),
        smaller.map(lambda node: ("neg", node)),
    )


def _render(node) -> tuple[str, float]:
    """Source and the value plain Python float arithmetic gives (NaN for an undefined result)."""
    if isinstance(node[0], str) and len(node) == 2 and node[0] != "neg":
        return node
    if node[0] == "neg":
        source, value = _render(node[1])
        return f"-({source})", -value
    left, op, right = node
    (ls, lv), (rs, rv) = _render(left), _render(right)
    source = f"({ls}) {op} ({rs})"
    if math.isnan(lv) or math.isnan(rv):
        return source, math.nan
    if op in ("div", "mod") and rv == 0:
        return source, math.nan
    if op == "mod" and math.isinf(lv):
        return source, math.nan
    value = {"+": operator.add, "-": operator.sub, "*": operator.mul, "div": operator.truediv, "mod": math.fmod}[op](
        lv, rv
    )
    return source, value


@settings(max_examples=300)
@given(tree=_number_tree(3))
def test_arithmetic_agrees_with_python(tree):
    source, value = _render(tree)
    result = expressions.evaluate(source, {})
    assert isinstance(result, float)
    if math.isnan(value):
        assert math.isnan(result)
    else:
        assert result == value


@settings(max_examples=300)
@given(left=_number_tree(2), op=st.sampled_from(["=", "!=", "<", "<=", ">", ">="]), right=_number_tree(2))
def test_comparisons_agree_with_python(left, op, right):
    (ls, lv), (rs, rv) = _render(left), _render(right)
    result = expressions.evaluate(f"({ls}) {op} ({rs})", {})
    if math.isnan(lv) or math.isnan(rv):
        # Not-a-number is the empty answer: equal only to another empty one, never ordered.
        both_empty = math.isnan(lv) and math.isnan(rv)
        expected = {"=": both_empty, "!=": not both_empty}.get(op, False)
    else:
        expected = {
            "=": lv == rv,
            "!=": lv != rv,
            "<": lv < rv,
            "<=": lv <= rv,
            ">": lv > rv,
            ">=": lv >= rv,
        }[op]
    assert result is expected


@settings(max_examples=300)
@given(a=st.integers(-(10**6), 10**6), b=st.integers(-(10**6), 10**6), op=st.sampled_from(["=", "!=", "<", ">"]))
def test_answers_given_as_numbers_or_text_compare_the_same(a, b, op):
    as_numbers = expressions.evaluate(f"${{x}} {op} ${{y}}", {"x": a, "y": b})
    as_text = expressions.evaluate(f"${{x}} {op} ${{y}}", {"x": str(a), "y": f" {b} "})
    assert as_numbers is as_text is {"=": a == b, "!=": a != b, "<": a < b, ">": a > b}[op]


@settings(max_examples=500)
@given(text=random_texts)
def test_parse_refuses_random_text_only_with_expression_error(text):
    try:
        expressions.parse(text)
    except ExpressionError:
        return
    # Whatever parses evaluates without raising, to a number, a string or a boolean.
    assert isinstance(expressions.evaluate(text, {"a": "1"}, today=TODAY), (float, str, bool))


@settings(max_examples=300)
@given(source=expression_sources, answers=answer_sets, current=answer_values)
def test_generated_expressions_evaluate_to_a_value(source, answers, current):
    result = run(source, answers, current)
    assert result[0] in ("number", "string", "boolean", "error")


@settings(max_examples=300)
@given(source=expression_sources, answers=answer_sets, current=answer_values)
def test_not_is_the_negation_of_holds(source, answers, current):
    try:
        expressions.parse(f"not({source})")
    except ExpressionError:
        assume(False)
    holds = expressions.holds(source, answers, current=current, today=TODAY)
    assert expressions.holds(f"not({source})", answers, current=current, today=TODAY) is (not holds)
    assert expressions.holds(f"not(not({source}))", answers, current=current, today=TODAY) is holds


@settings(max_examples=200)
@given(source=expression_sources)
def test_references_are_the_names_in_the_text(source):
    try:
        found = expressions.references(source)
    except ExpressionError:
        assume(False)
    assert found == set(re.findall(r"\$\{(\w+)\}", source))
