"""The expression language on the server: the shared case table (the browser runs the same one
in tests/browser/test_survey_expressions.py) and properties checked on generated expressions.

The cases and strategies are in expression_cases.py: they also feed the browser test, which
evaluates the same generated batches in Chromium and compares the results with these."""

import math
import operator
import re
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal, localcontext

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


def test_references_reach_inside_the_new_functions():
    source = (
        "concat(${a}, join(' ', ${b})) != '' and sum(${c}) > indexed-repeat(${d}, ${rep}, position(..)) "
        "and jr:choice-name(${e}, '${f}') = format-date(date(${g}), '%d') and min(${h}, max(${i}, 1)) > 0"
    )
    assert expressions.references(source) == {"a", "b", "c", "d", "rep", "e", "f", "g", "h", "i"}
    assert expressions.references("jr:choice-name(${q}, 'q')") == {"q"}, "a plain quoted name is not a ${}"


def test_bare_names_are_choice_columns_only_where_allowed():
    source = "province = ${province} and starts-with(name, 'h') and name != ''"
    with pytest.raises(ExpressionError, match="unknown name 'province' at 1"):
        expressions.parse(source)
    assert expressions.parse(source, choice_columns_allowed=True)[0] == "bin"
    # Reading which names an expression uses never refuses them: the definition check refuses
    # bare names outside a choice filter by choice_columns().
    assert expressions.references(source) == {"province"}
    assert expressions.regex_patterns("regex(name, '[a-z]+')") == ["[a-z]+"]
    assert expressions.choice_columns(source) == {"province", "name"}
    assert expressions.choice_columns("${a} = 1") == set()
    with pytest.raises(ExpressionError):
        expressions.evaluate("name = 'x'", {})
    env = expressions.Environment({"province": "north"}, choice={"name": "hn", "province": "north"})
    assert expressions.holds_in(source, env) is True
    assert expressions.holds_in(source, expressions.Environment({"province": "south"}, choice=env.choice)) is False
    assert expressions.holds_in("province = ''", expressions.Environment({}, choice={"name": "hn"})) is True


def test_nondeterministic_functions_are_named():
    assert {"now", "uuid", "random", "once"} == expressions.NONDETERMINISTIC
    for source in ("now()", "concat('a', uuid())", "once(${x})", "if(1, random(), 0)", "date(now()) = today()"):
        assert expressions.uses_nondeterministic(source), source
    for source in ("today()", "${x} + 1", "name = 'x'", "'now()'"):
        assert not expressions.uses_nondeterministic(source), source


def test_now_without_a_clock_is_the_current_time_with_its_offset():
    value = expressions.evaluate_in("now()", expressions.Environment({}))
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}", value)
    stored = datetime.fromisoformat(value)
    assert abs((datetime.now(UTC) - stored).total_seconds()) < 5


def test_the_resolver_replaces_the_answers_and_lists_are_nodesets():
    rows = {"age": [40, None, 12], "name": ["Lan", "Minh"]}
    env = expressions.Environment({"age": 99}, resolve=rows.get, position=2)
    assert expressions.evaluate_in("${age}", env) == [40.0, "", 12.0]
    assert expressions.evaluate_in("count-non-empty(${age}) + position(..)", env) == 4.0
    assert expressions.evaluate_in("indexed-repeat(${name}, ${member}, position(..))", env) == "Minh"
    assert expressions.holds_in("${age} = 40", env) is True
    assert expressions.holds_in("${missing} = ''", env) is True
    # Without a resolver a list answer is a select_multiple value, as before.
    assert expressions.evaluate("${m}", {"m": ["a", "b"]}) == "a b"


def test_choice_name_asks_the_environment_with_the_question_name():
    asked = []

    def label(value, question):
        asked.append((value, question))
        return {"a": "Táo"}.get(value, "")

    env = expressions.Environment({"q": "a"}, choice_name=label)
    assert expressions.evaluate_in("jr:choice-name(${q}, '${q}')", env) == "Táo"
    assert expressions.evaluate_in("jr:choice-name('b', '/data/g/q')", env) == ""
    assert asked == [("a", "q"), ("b", "q")]


def test_built_text_is_bounded():
    env = expressions.Environment({}, resolve={"x": ["y" * 4000] * 400}.get)
    assert len(expressions.evaluate_in("join(',', ${x})", env)) == expressions.MAX_TEXT
    assert len(expressions.evaluate_in("concat(${x}, ${x})", env)) == expressions.MAX_TEXT
    assert expressions.evaluate("format-date('2024-01-01', ${p})", {"p": "%Y" * 4000}) == "2024" * 2500


def test_error_messages_say_where():
    with pytest.raises(ExpressionError, match="at 5"):
        expressions.parse("1 + )")
    with pytest.raises(ExpressionError, match="unknown function 'pulldata'"):
        expressions.parse("pulldata('a', 'b', 'c', 1)")
    with pytest.raises(ExpressionError, match="nested"):
        expressions.parse("-" * 40 + "1")
    with pytest.raises(ExpressionError, match=r"round\(\) takes 1 to 2 argument\(s\), 3 given"):
        expressions.parse("round(1, 2, 3)")
    with pytest.raises(ExpressionError, match=r"concat\(\) takes|at least"):
        expressions.parse("join()")
    with pytest.raises(ExpressionError, match="expected 'parent'"):
        expressions.parse("position(.)")


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


@settings(max_examples=300)
@given(day=st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))
def test_dates_read_as_days_and_back(day):
    days = float((day - date(1970, 1, 1)).days)
    text = day.isoformat()
    assert expressions.evaluate(f"number('{text}')", {}) == days
    assert expressions.evaluate(f"date(number('{text}'))", {}) == text
    assert expressions.evaluate(f"date({int(days)} + 0.75)" if days >= 0 else f"date(0 - {-int(days)})", {}) == text
    assert expressions.evaluate(f"format-date('{text}', '%Y-%m-%d')", {}) == text
    assert expressions.evaluate(f"format-date('{text}', '%a')", {}) == day.strftime("%a")


@settings(max_examples=500)
@given(
    number=st.floats(min_value=-1e12, max_value=1e12, allow_nan=False).filter(lambda x: x != 0),
    places=st.integers(-6, 8),
)
def test_round_is_half_away_from_zero_on_the_written_digits(number, places):
    """Decimal's ROUND_HALF_UP (ties away from zero) on repr() digits is the oracle."""
    with localcontext() as context:
        context.prec = 400
        written = Decimal(repr(number))
        expected = float(written.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))
    result = expressions.evaluate("round(${x}, ${p})", {"x": number, "p": places})
    assert result == expected


@settings(max_examples=300)
@given(
    text=st.text(max_size=12),
    start=st.integers(-15, 15),
    end=st.one_of(st.none(), st.integers(-15, 15)),
)
def test_substr_is_a_slice(text, start, end):
    source = "substr(${s}, ${a})" if end is None else "substr(${s}, ${a}, ${b})"
    result = expressions.evaluate(source, {"s": text, "a": start, "b": end})
    assert result == (text[start:] if end is None else text[start:end])
