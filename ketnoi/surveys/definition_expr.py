"""The definition's use of the expression language (forms-spec §5): reading which names an
expression uses, and evaluating one where a question sits (its repeat row, a choice's columns).

TEMPORARY: until expressions.py gains Environment.resolve / evaluate_in / choice_columns /
uses_nondeterministic (being written in parallel), `_compat_evaluate` and the fallbacks below
map onto today's flat `expressions.evaluate`. The coordinator removes them at merge."""

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from . import expressions

NONDETERMINISTIC = getattr(expressions, "NONDETERMINISTIC", {"now", "uuid", "random", "once"})
_BARE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")


def references(source: str) -> set[str]:
    """The ${names} an expression uses (ExpressionError when it cannot be read)."""
    if hasattr(expressions, "choice_columns"):
        return expressions.references(source)
    return expressions.references(_compat_source(source)[0]) - {f"__choice_{c}" for c in choice_columns(source)}


def choice_columns(source: str) -> set[str]:
    """The bare names used as choice columns (choice_filter)."""
    if hasattr(expressions, "choice_columns"):
        return expressions.choice_columns(source)
    return _compat_source(source)[1]


def uses_nondeterministic(source: str) -> bool:
    if hasattr(expressions, "uses_nondeterministic"):
        return expressions.uses_nondeterministic(source)
    return bool(re.search(r"\b(now|uuid|random|once)\s*\(", source))


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
) -> Any:
    if hasattr(expressions, "evaluate_in"):
        env = expressions.Environment(
            answers={}, current=current, today=today, now=now, resolve=resolve, position=position, choice=choice
        )
        return expressions.evaluate_in(source, env)
    return _compat_evaluate(source, resolve, current, today, choice)


# TEMPORARY shim (removed at merge) ------------------------------------------------------------


def _compat_source(source: str) -> tuple[str, set[str]]:
    """Today's grammar has no bare names: rewrite each choice column as ${__choice_<name>}."""
    tokens = expressions.tokenize(source)
    columns, pieces, last = set(), [], 0
    for token, following in zip(tokens, tokens[1:], strict=False):
        if token.kind == "name" and not (following.kind == "op" and following.text == "("):
            columns.add(token.text)
            pieces += [source[last : token.position], "${__choice_" + token.text + "}"]
            last = token.position + len(token.text)
    return "".join(pieces) + source[last:], columns


def _compat_evaluate(source: str, resolve, current: Any, today: date, choice: dict | None) -> Any:
    rewritten, columns = _compat_source(source)
    answers = {name: resolve(name) for name in expressions.references(rewritten) if not name.startswith("__choice_")}
    answers.update({f"__choice_{c}": (choice or {}).get(c, "") for c in columns})
    return expressions.evaluate(rewritten, answers, current=current, today=today)
