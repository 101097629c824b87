"""The definition's use of the expression language (forms-spec §5): reading which names an
expression uses, and evaluating one where a question sits (its repeat row, a choice's columns,
the choices' labels for jr:choice-name)."""

from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from . import expressions

NONDETERMINISTIC = expressions.NONDETERMINISTIC


# Read once per expression text: a check asks the same of each rule in every repeat row, and
# each question walks the expression's tree (a long one, 500 rows: seconds).
@lru_cache(maxsize=8192)
def references(source: str) -> frozenset[str]:
    return frozenset(expressions.references(source))


@lru_cache(maxsize=8192)
def choice_columns(source: str) -> frozenset[str]:
    return frozenset(expressions.choice_columns(source))


@lru_cache(maxsize=8192)
def uses_nondeterministic(source: str) -> bool:
    return expressions.uses_nondeterministic(source)


def evaluate(source: str, **context: Any) -> Any:
    """The value of an expression where it sits (context: see _evaluate); a nodeset (a list)
    read as a scalar is its first item. One that cannot be evaluated is empty (the form check
    refused unreadable ones)."""
    try:
        value = _evaluate(source, **context)
    except (expressions.ExpressionError, RecursionError):
        return ""
    if isinstance(value, list):
        return value[0] if value else ""
    return value


def holds(source: Any, **context: Any) -> bool:
    """Whether a rule holds; an empty rule always does, and so does one that cannot be evaluated."""
    if not isinstance(source, str) or not source.strip():
        return True
    try:
        value = _evaluate(source, **context)
    except (expressions.ExpressionError, RecursionError):
        return True
    if isinstance(value, list):
        value = value[0] if value else ""
    return expressions.truth(value)


def _evaluate(
    source: str,
    *,
    resolve: Callable[[str], Any],
    current: Any = "",
    today: date,
    now: datetime | None = None,
    position: int | None = None,
    choice: dict[str, str] | None = None,
    choice_name: Callable[[Any, str], str] | None = None,
) -> Any:
    env = expressions.Environment(
        answers={},
        current=current,
        today=today,
        now=now,
        resolve=resolve,
        position=position,
        choice=choice,
        choice_name=choice_name,
    )
    return expressions.evaluate_in(source, env)
