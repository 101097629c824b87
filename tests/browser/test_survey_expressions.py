"""The browser's expression evaluator (static/surveys/expressions.js) in Chromium gives the same
result as the server's (ketnoi/surveys/expressions.py): every shared case, then batches of
generated expressions and random text, each batch evaluated in one call."""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ketnoi.surveys import expressions
from ketnoi.surveys.tests.expression_cases import (
    CASES,
    CASES_DATA,
    JS_FILE,
    answer_sets,
    answer_values,
    context_of,
    contexts,
    expected_of,
    expression_sources,
    random_texts,
    run,
    run_case,
    shaped,
)

pytestmark = pytest.mark.browser

# Evaluate a JSON batch of [source, answers, current, holds, context] and answer a JSON list of
# [kind, value], the same encoding as expression_cases.encode. The context holds the case keys
# that make the environment (resolve, position, choice, choice_names, now), as
# expression_cases.environment reads them.
EVALUATE_BATCH = """([batchJson, today, now]) => {
  const E = window.KetNoiExpressions;
  const encode = (value) => {
    if (typeof value === "boolean") return ["boolean", value];
    if (typeof value === "number") {
      if (value !== value) return ["number", "nan"];
      if (value === Infinity) return ["number", "inf"];
      if (value === -Infinity) return ["number", "-inf"];
      return ["number", value === 0 ? 0 : value];
    }
    if (typeof value === "string") return ["string", value];
    if (Array.isArray(value)) return ["list", value.map(encode)];
    return ["unexpected", String(value)];
  };
  const own = (object, key) => Object.prototype.hasOwnProperty.call(object, key);
  return JSON.stringify(JSON.parse(batchJson).map(([source, answers, current, holds, context]) => {
    try {
      context = context || {};
      const options = { current: current, today: today, now: context.now || now };
      if (context.resolve) options.resolve = (name) => (own(context.resolve, name) ? context.resolve[name] : null);
      if (context.position !== undefined) options.position = context.position;
      if (context.choice) options.choice = context.choice;
      if (context.choice_names) {
        const names = context.choice_names;
        options.choiceName = (value, name) =>
          own(names, name) && own(names[name], value) ? names[name][value] : "";
      }
      return encode(holds ? E.holds(source, answers, options) : E.evaluate(source, answers, options));
    } catch (error) {
      return error instanceof E.ExpressionError ? ["error"] : ["crash", String(error)];
    }
  }));
}"""


@pytest.fixture(scope="module")
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_content("<!doctype html><html><head><title>expressions</title></head><body></body></html>")
    page.add_script_tag(content=JS_FILE.read_text(encoding="utf-8"))
    assert page.evaluate("typeof window.KetNoiExpressions.evaluate") == "function"
    yield page
    context.close()


def in_browser(page, batch: list) -> list:
    # JSON.stringify writes 1.2345678901234567e19 as 12345678901234567000: read every number as a float.
    raw = page.evaluate(EVALUATE_BATCH, [json.dumps(batch), CASES_DATA["today"], CASES_DATA["now"]])
    return json.loads(raw, parse_int=float)


def test_every_shared_case_gives_the_python_result(page):
    batch = [
        [c["source"], c.get("answers", {}), c.get("current", ""), c.get("holds", False), context_of(c)] for c in CASES
    ]
    results = [shaped(case, got) for case, got in zip(CASES, in_browser(page, batch), strict=True)]
    disagreements = [
        (case["source"][:60], case.get("answers"), got, expected_of(case))
        for case, got in zip(CASES, results, strict=True)
        if got != expected_of(case) or got != run_case(case)
    ]
    assert disagreements == [], f"{len(disagreements)} of {len(CASES)} cases differ: {disagreements[:10]}"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    batch=st.lists(st.tuples(expression_sources, answer_sets, answer_values, st.booleans()), min_size=1, max_size=80)
)
def test_generated_expressions_agree(page, batch):
    batch = [[*item, {}] for item in batch]
    results = in_browser(page, batch)
    python = [run(source, answers, current, holds=holds) for source, answers, current, holds, _ in batch]
    disagreements = [(item, js, py) for item, js, py in zip(batch, results, python, strict=True) if js != py]
    assert disagreements == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(texts=st.lists(random_texts, min_size=1, max_size=100), answers=answer_sets)
def test_random_text_agrees(page, texts, answers):
    batch = [[text, answers, "", False, {}] for text in texts]
    results = in_browser(page, batch)
    python = [run(text, answers) for text in texts]
    disagreements = [(text, js, py) for text, js, py in zip(texts, results, python, strict=True) if js != py]
    assert disagreements == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(batch=st.lists(st.tuples(expression_sources, contexts, answer_values, st.booleans()), min_size=1, max_size=60))
def test_generated_expressions_over_nodesets_agree(page, batch):
    """The same expressions with ${…} answered by a resolver (lists are nodesets), a row
    position and a choice-name table."""
    batch = [[source, {}, current, holds, context] for source, context, current, holds in batch]
    results = in_browser(page, batch)
    python = [run(source, {}, current, holds=holds, context=context) for source, _, current, holds, context in batch]
    disagreements = [(item, js, py) for item, js, py in zip(batch, results, python, strict=True) if js != py]
    assert disagreements == []


def test_now_without_a_clock_is_the_browser_time_with_its_offset(page):
    value, offset_minutes = page.evaluate(
        "() => [window.KetNoiExpressions.evaluate('now()', {}), -new Date().getTimezoneOffset()]"
    )
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}", value)
    moment = datetime.fromisoformat(value)
    assert moment.utcoffset() == timedelta(minutes=offset_minutes)
    assert abs((datetime.now(UTC) - moment).total_seconds()) < 60


INTROSPECT_BATCH = """(sources) => {
  const E = window.KetNoiExpressions;
  return sources.map((source) => {
    try {
      return [E.references(source).sort(), E.choiceColumns(source).sort(), E.usesNondeterministic(source)];
    } catch (error) {
      return error instanceof E.ExpressionError ? "error" : "crash: " + String(error);
    }
  });
}"""


def test_references_columns_and_nondeterminism_agree(page):
    sources = [case["source"] for case in CASES]
    browser_found = page.evaluate(INTROSPECT_BATCH, sources)
    for source, found in zip(sources, browser_found, strict=True):
        try:
            python = [
                sorted(expressions.references(source)),
                sorted(expressions.choice_columns(source)),
                expressions.uses_nondeterministic(source),
            ]
        except expressions.ExpressionError:
            python = "error"
        assert found == python, source
