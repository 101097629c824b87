"""The definition's side of the expression API of forms-spec §5: what it hands to
expressions.evaluate_in (an Environment with resolve, position, choice…) once that API exists,
checked here against a stand-in with the contract's fields, and the same answers through
today's flat evaluate until then."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ketnoi.surveys import definition_expr, expressions
from ketnoi.surveys.definition import check_answers


@dataclass
class ContractEnvironment:
    answers: dict
    current: Any = ""
    today: date = date(1970, 1, 1)
    now: datetime | None = None
    resolve: Any = None
    position: int | None = None
    choice: dict | None = None
    choice_name: Any = None


def test_the_contract_api_gets_resolve_position_and_choice(monkeypatch):
    seen: list[ContractEnvironment] = []

    def evaluate_in(source, env):
        seen.append(env)
        return env.resolve("age") if "${age}" in source else [env.choice and env.choice.get("province"), "ignored"]

    monkeypatch.setattr(expressions, "Environment", ContractEnvironment, raising=False)
    monkeypatch.setattr(expressions, "evaluate_in", evaluate_in, raising=False)
    today = date(2024, 6, 15)
    assert definition_expr.evaluate("${age}", resolve=lambda name: 7, today=today, position=2) == 7
    assert seen[-1].position == 2 and seen[-1].today == today and seen[-1].answers == {}
    # a nodeset read as a scalar is its first item
    assert definition_expr.evaluate("province", resolve=lambda n: "", today=today, choice={"province": "hn"}) == "hn"
    assert definition_expr.holds("province", resolve=lambda n: "", today=today, choice={"province": "hn"})


def test_rows_pass_their_position_and_their_own_values(monkeypatch):
    calls: list[tuple[int | None, Any]] = []

    def evaluate_in(source, env):
        calls.append((env.position, env.resolve("v")))
        return True

    monkeypatch.setattr(expressions, "Environment", ContractEnvironment, raising=False)
    monkeypatch.setattr(expressions, "evaluate_in", evaluate_in, raising=False)
    form = {
        "title": {"vi": "x"},
        "questions": [
            {
                "name": "r",
                "type": "repeat",
                "children": [
                    {"name": "v", "type": "text", "label": "v"},
                    {"name": "w", "type": "text", "label": "w", "relevant": "${v} != ''"},
                ],
            }
        ],
    }
    check_answers(form, {"r": [{"v": "a", "w": "1"}, {"v": "b", "w": "2"}]})
    assert (1, "a") in calls and (2, "b") in calls


def test_today_expressions_still_answer_through_the_shim():
    assert definition_expr.evaluate("${a} + 1", resolve=lambda name: 2, today=date(2024, 1, 1)) == 3.0
    assert definition_expr.evaluate("${a}", resolve=lambda name: [4, 5], today=date(2024, 1, 1)) in (4, "4 5")
    assert definition_expr.holds("", resolve=lambda name: "", today=date(2024, 1, 1))
    assert definition_expr.holds("nonsense(", resolve=lambda name: "", today=date(2024, 1, 1))
    assert definition_expr.evaluate("nonsense(", resolve=lambda name: "", today=date(2024, 1, 1)) == ""
    assert definition_expr.choice_columns("province = ${province} and name != 'x'") == {"province", "name"}
    assert definition_expr.references("province = ${province}") == {"province"}
    assert definition_expr.uses_nondeterministic("concat(uuid(), 'x')")
    assert not definition_expr.uses_nondeterministic("${uuid_value} + 1")
