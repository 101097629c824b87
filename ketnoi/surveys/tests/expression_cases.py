"""The expression cases and generators the server's test (test_expressions.py) and the
browser's (tests/browser/test_survey_expressions.py) share: the case table of
expression_cases.json, the [kind, value] encoding both compare, and Hypothesis strategies of
expression sources, answers and random text."""

import json
import math
from datetime import date
from pathlib import Path
from typing import Any

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


# Strategies -------------------------------------------------------

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
