"""The browser's expression evaluator (static/surveys/expressions.js) in Chromium gives the same
result as the server's (ketnoi/surveys/expressions.py): every shared case, then batches of
generated expressions and random text, each batch evaluated in one call."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ketnoi.surveys.tests.expression_cases import (
    CASES,
    CASES_DATA,
    JS_FILE,
    answer_sets,
    answer_values,
    expected_of,
    expression_sources,
    random_texts,
    run,
    run_case,
)

pytestmark = pytest.mark.browser

# Evaluate a JSON batch of [source, answers, current, holds] and answer a JSON list of
# [kind, value], the same encoding as expression_cases.encode.
EVALUATE_BATCH = """([batchJson, today]) => {
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
    return ["unexpected", String(value)];
  };
  return JSON.stringify(JSON.parse(batchJson).map(([source, answers, current, holds]) => {
    try {
      const options = { current: current, today: today };
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
    return json.loads(page.evaluate(EVALUATE_BATCH, [json.dumps(batch), CASES_DATA["today"]]), parse_int=float)


def test_every_shared_case_gives_the_python_result(page):
    batch = [[c["source"], c.get("answers", {}), c.get("current", ""), c.get("holds", False)] for c in CASES]
    results = in_browser(page, batch)
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
    batch = [list(item) for item in batch]
    results = in_browser(page, batch)
    python = [run(source, answers, current, holds=holds) for source, answers, current, holds in batch]
    disagreements = [(item, js, py) for item, js, py in zip(batch, results, python, strict=True) if js != py]
    assert disagreements == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(texts=st.lists(random_texts, min_size=1, max_size=100), answers=answer_sets)
def test_random_text_agrees(page, texts, answers):
    batch = [[text, answers, "", False] for text in texts]
    results = in_browser(page, batch)
    python = [run(text, answers) for text in texts]
    disagreements = [(text, js, py) for text, js, py in zip(texts, results, python, strict=True) if js != py]
    assert disagreements == []
