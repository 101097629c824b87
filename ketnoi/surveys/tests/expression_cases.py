"""The expression cases and generators the server's test (test_expressions.py) and the
browser's (tests/browser/test_survey_expressions.py) share: the case table of
expression_cases.json, the [kind, value] encoding both compare, and Hypothesis strategies of
expression sources, answers and random text."""

import json
import math
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from ketnoi.surveys import expressions
from ketnoi.surveys.expressions import ExpressionError

CASES_FILE = Path(__file__).with_name("expression_cases.json")
CASES_DATA = json.loads(CASES_FILE.read_text(encoding="utf-8"))
CASES = [case for case in CASES_DATA["cases"] if "source" in case]
TODAY = date.fromisoformat(CASES_DATA["today"])
NOW = CASES_DATA["now"]  # now() in every case that gives no "now" of its own
# The keys of a case that make its Environment (besides answers and current).
CONTEXT_KEYS = ("resolve", "position", "choice", "choice_names", "now")
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
    if isinstance(value, list):
        return ["list", [encode(item) for item in value]]
    raise AssertionError(f"the evaluator returned {type(value).__name__}: {value!r}")


def _expected_value(expected: Any) -> list:
    if isinstance(expected, dict) and "list" in expected:  # {"list": [items]}: a nodeset
        return ["list", [_expected_value(item) for item in expected["list"]]]
    if isinstance(expected, dict):  # {"number": "nan" | "inf" | "-inf"}
        return ["number", expected["number"]]
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        return ["number", float(expected)]
    return encode(expected)


def expected_of(case: dict) -> list:
    if case.get("error"):
        return ["error"]
    if "matches" in case:  # a result known only by its shape (uuid(), now() without "now")
        return ["matches", True]
    return _expected_value(case["expected"])


def shaped(case: dict, result: list) -> list:
    """A result as the case checks it: for a "matches" case, whether its text has that shape."""
    if "matches" not in case or result[0] in ("error", "crash"):
        return result
    text = result[1] if result[0] == "string" else repr(result)
    return ["matches", re.fullmatch(case["matches"], text) is not None]


def context_of(case: dict) -> dict:
    return {key: case[key] for key in CONTEXT_KEYS if key in case}


def environment(answers: dict, current: Any, today: date, context: dict) -> expressions.Environment:
    resolve_table = context.get("resolve")
    choice_names = context.get("choice_names")
    return expressions.Environment(
        answers=answers,
        current=current,
        today=today,
        now=datetime.fromisoformat(context.get("now", NOW)),
        resolve=(lambda name: resolve_table.get(name)) if resolve_table is not None else None,
        position=context.get("position"),
        choice=context.get("choice"),
        choice_name=(lambda value, name: choice_names.get(name, {}).get(value, "")) if choice_names else None,
    )


def run(
    source: str,
    answers: dict,
    current: Any = "",
    *,
    holds: bool = False,
    today: date = TODAY,
    context: dict | None = None,
) -> list:
    """Evaluate as the browser test does: an unreadable expression is ["error"]."""
    env = environment(answers, current, today, context or {})
    try:
        if holds:
            return encode(expressions.holds_in(source, env))
        return encode(expressions.evaluate_in(source, env))
    except ExpressionError:
        return ["error"]


def run_case(case: dict) -> list:
    result = run(
        case["source"],
        case.get("answers", {}),
        case.get("current", ""),
        holds=case.get("holds", False),
        context=context_of(case),
    )
    return shaped(case, result)


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
    "2024-02-29T23:59:59.5-05:30",
    "%d/%m/%Y %H:%M:%S %a %b %e %n %y %h %3 %q %",
    "1.005",
    "-2.5",
    "TRUE",
)
PATTERNS = ("[0-9]+", "\\d{2,4}", "[a-z ]*", ".*", "a|b", "", "(", "[A-Z][a-z]+", "\\w+", "\\s*", "[^ ]+", "y.s")
# Generated expressions must give one answer: no uuid() or random(); position() has its own leaf.
FUNCTION_NAMES = sorted(set(expressions.FUNCTIONS) - {"uuid", "random", "position"})
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
    st.sampled_from([".", "true()", "false()", "today()", "now()", "position(..)"]),
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
                min_size=expressions.FUNCTIONS[name][0],
                max_size=expressions.FUNCTIONS[name][1] or expressions.FUNCTIONS[name][0] + 3,
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

#: Environments of a resolver: each name answers a value or a list (a nodeset), with a row
#: position and a choice-name table (JSON, as a case gives them).
contexts = st.fixed_dictionaries(
    {
        "resolve": st.dictionaries(
            st.sampled_from(NAMES),
            st.one_of(answer_values, st.lists(st.one_of(st.sampled_from(STRINGS), st.integers(-50, 50)), max_size=4)),
            max_size=len(NAMES),
        ),
        "position": st.integers(1, 5),
        "choice_names": st.just({"a": {"a": "Apple", "yes": "Có"}, "b": {"x": "X"}}),
    }
)
