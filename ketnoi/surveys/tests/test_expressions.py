"""The expression language on the server: the shared case table (the browser runs the same one
in tests/browser/test_survey_expressions.py) and properties checked on generated expressions.

The strategies here also feed the browser test, which evaluates the same generated batches in
Chromium and compares the results with these."""

import json
import math
import operator
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ketnoi.surveys import expressions
from ketnoi.surveys.expressions import ExpressionError

CASES_FILE = Path(__file__).with_name("expression_cases.json")
CASES_DATA = json.loads(CASES_FILE.read_text(encoding="utf-8"))
CASES = [case for case in CASES_DATA["cases"] if "source" in case]
TODAY = date.fromisoformat(CASES_DATA["today"])
JS_FILE = Path(expressions.__file__).parent / "static" / "surveys" / "expressions.js"


def encode(value: Any) -> list:
    """A result as [kind, value] so Python's and the browser's can be compared as JSON."""
    if isinstance(value, bool):
        return ["boolean", value]
    if isinstance(value, (int, float)):
        if math.isnan(value):
            return ["number", "nan"]
        if math.isinf(value):
            return ["number", "inf" if value > 0 else "-inf"]
        return ["number", float(value) + 0.0]  # -0.0 and 0.0 are the same answer
    if isinstance(value, str):
        return ["string", value]
    raise AssertionError(f"the evaluator returned {type(value).__name__}: {value!r}")


def expected_of(case: dict) -> list:
    if case.get("error"):
        return ["error"]
    expected = case["expected"]
    if isinstance(expected, dict):  # {"number": "nan" | "inf" | "-inf"}
        return ["number", expected["number"]]
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        return ["number", float(expected)]
    return encode(expected)


def run(source: str, answers: dict, current: Any = "", *, holds: bool = False, today: date = TODAY) -> list:
    """Evaluate as the browser test does: an unreadable expression is ["error"]."""
    try:
        if holds:
            return encode(expressions.holds(source, answers, current=current, today=today))
        return encode(expressions.evaluate(source, answers, current=current, today=today))
    except ExpressionError:
        return ["error"]


def run_case(case: dict) -> list:
    return run(case["source"], case.get("answers", {}), case.get("current", ""), holds=case.get("holds", False))


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
    with pytest.raises(ExpressionError, match="unknown function 'sum'"):
        expressions.parse("sum(1)")
    with pytest.raises(ExpressionError, match="nested"):
        expressions.parse("-" * 40 + "1")


# Strategies (shared with the browser test) -------------------------------------------------------

NAMES = ("a", "b", "c", "d", "m", "t")
STRINGS = (
    "",
    "a",
    "b",
    "yes",
    "no",
    "10",
    "9",
    " 3 ",
    "-2.5",
    ".5",
    "1.",
    "0",
    "2024-05-01",
    "2025-01-15",
    "a b",
    "cso other",
    "Đà Nẵng",
    "Nguyễn",
    "😀",
    "1e3",
    "true",
    "false",
    "x y z",
    "٣",
)
PATTERNS = ("[0-9]+", "\\d{2,4}", "[a-z ]*", ".*", "a|b", "", "(", "[A-Z][a-z]+", "\\w+", "\\s*", "[^ ]+", "y.s")
FUNCTION_NAMES = sorted(expressions.FUNCTIONS)
BINARY = ("+", "-", "*", "div", "mod", "=", "!=", "<", "<=", ">", ">=", "and", "or")


def _quote(text: str) -> str:
    return f'"{text}"' if "'" in text else f"'{text}'"


number_literals = st.one_of(
    st.integers(0, 10**6).map(str),
    st.tuples(st.integers(0, 999), st.integers(0, 999)).map(lambda p: f"{p[0]}.{p[1]}"),
    st.integers(0, 99).map(lambda n: f".{n}"),
    st.sampled_from(["0", "007", "99999999999999999999", "1152921504606846976", "9" * 320]),
)
leaves = st.one_of(
    number_literals,
    st.sampled_from(STRINGS).map(_quote),
    st.sampled_from(NAMES).map(lambda n: "${" + n + "}"),
    st.sampled_from([".", "true()", "false()", "today()"]),
)


def _extend(children):
    def call(draw_name_args):
        name, args = draw_name_args
        return f"{name}({', '.join(args)})"

    calls = st.sampled_from(FUNCTION_NAMES).flatmap(
        lambda name: st.tuples(
            st.just(name),
            st.lists(
                children if name != "regex" else st.one_of(children, st.sampled_from(PATTERNS).map(_quote)),
                min_size=expressions.FUNCTIONS[name],
                max_size=expressions.FUNCTIONS[name],
            ),
        )
    )
    return st.one_of(
        st.tuples(children, st.sampled_from(BINARY), children, st.sampled_from([" ", ""])).map(
            lambda t: f"{t[0]}{t[3] if t[1] not in ('and', 'or', 'div', 'mod') else ' '}{t[1]} {t[2]}"
        ),
        children.map(lambda c: f"({c})"),
        children.map(lambda c: f"-{c}"),
        calls.map(call),
    )


#: Source text of random expressions built from the grammar (most parse; some, like "1 = 2 = 3",
#: are refused, which both evaluators must agree on).
expression_sources = st.recursive(leaves, _extend, max_leaves=10)

answer_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(STRINGS),
    st.text(max_size=8),
    st.lists(st.sampled_from(["a", "b", "cso", "other"]), max_size=3),
)
answer_sets = st.dictionaries(st.sampled_from(NAMES), answer_values, max_size=len(NAMES))
GRAMMAR_CHARACTERS = "0123456789.${}()'\",+-*=!<> \t\nabcdivmodnrtselcuy_-\u00a0\u3000\ufeffĐ😀٣"
random_texts = st.one_of(st.text(max_size=60), st.text(alphabet=GRAMMAR_CHARACTERS, max_size=60))


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
