"""The small expression language of relevance and constraint rules, parsed and evaluated safely
(never `eval`). `static/surveys/expressions.js` implements the same grammar and semantics for the
browser; both run the shared cases in `tests/expression_cases.json`.

Grammar (a subset of the XPath that XLSForm uses):

    expr     := or
    or       := and ("or" and)*
    and      := compare ("and" compare)*
    compare  := additive (("=" | "!=" | "<" | "<=" | ">" | ">=") additive)?
    additive := multiply (("+" | "-") multiply)*
    multiply := unary (("*" | "div" | "mod") unary)*
    unary    := "-" unary | primary
    primary  := NUMBER | STRING | "${" NAME "}" | "." | NAME "(" [expr ("," expr)*] ")" | "(" expr ")"

Values are numbers, strings or booleans. An unanswered question is the empty string.
- `=` and `!=` compare as numbers when both sides read as numbers, otherwise as strings; a
  boolean compares with the truth of the other side.
- `<`, `<=`, `>`, `>=` compare as numbers when both sides read as numbers, as strings when both
  are non-empty strings (ISO dates order correctly), and are false otherwise.
- Arithmetic reads both sides as numbers; something that is not a number makes the result
  empty (and a comparison with it false). Division by zero is empty too.
- Truth: false, 0, NaN and "" are false; everything else is true.
Functions: selected(a, choice), count-selected(a), string-length(a), regex(a, pattern) (whole
string), contains(a, b), starts-with(a, b), not(a), true(), false(), number(a), int(a),
if(cond, a, b), coalesce(a, b), today(). regex() patterns use ASCII classes (\\d, \\w, \\s), as the
browser and ODK Collect do, and are matched by RE2 (patterns.py says why and which constructs a
form may not use). Numbers are ASCII digits. Brackets, calls and minus signs nest at
most MAX_DEPTH levels.
"""

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from . import patterns

Value = float | str | bool

MAX_LENGTH = 1000  # characters of one expression
# Nested brackets, function calls and minus signs: deep enough for any real rule, and far
# from Python's recursion limit (the browser applies the same limit).
MAX_DEPTH = 32
_TOKEN = re.compile(
    r"""\s*(?:
      (?P<number>[0-9]+(?:\.[0-9]+)?|\.[0-9]+)
    | (?P<string>'[^']*'|"[^"]*")
    | (?P<ref>\$\{\s*(?P<refname>[A-Za-z_][A-Za-z0-9_.\-]*)\s*\})
    | (?P<op><=|>=|!=|=|<|>|\+|-|\*|\(|\)|,)
    | (?P<name>[A-Za-z_][A-Za-z0-9_\-]*)
    | (?P<dot>\.)
    )""",
    re.VERBOSE,
)
FUNCTIONS = {
    "selected": 2,
    "count-selected": 1,
    "string-length": 1,
    "regex": 2,
    "contains": 2,
    "starts-with": 2,
    "not": 1,
    "true": 0,
    "false": 0,
    "number": 1,
    "int": 1,
    "if": 3,
    "coalesce": 2,
    "today": 0,
}
WORD_OPERATORS = {"and", "or", "div", "mod"}


class ExpressionError(ValueError):
    """The expression cannot be read; the message says where."""


@dataclass(frozen=True)
class Token:
    kind: str  # number, string, ref, op, name, dot, end
    text: str
    position: int


def tokenize(source: str) -> list[Token]:
    if len(source) > MAX_LENGTH:
        raise ExpressionError(f"expression longer than {MAX_LENGTH} characters")
    tokens, position = [], 0
    while position < len(source):
        if source[position:].strip() == "":
            break
        match = _TOKEN.match(source, position)
        if match is None or match.end() == position:
            raise ExpressionError(f"unexpected character at {position + 1}: {source[position : position + 10]!r}")
        kind = match.lastgroup if match.lastgroup != "refname" else "ref"
        if match.group("ref"):
            kind, text = "ref", match.group("refname")
        elif match.group("string") is not None:
            kind, text = "string", match.group("string")[1:-1]
        else:
            text = match.group(kind)
            if kind == "name" and text in WORD_OPERATORS:
                kind = "op"
        tokens.append(Token(kind, text, match.start() + (len(match.group(0)) - len(match.group(0).lstrip()))))
        position = match.end()
    tokens.append(Token("end", "", len(source)))
    return tokens


# The tree: ("num", float) ("str", s) ("ref", name) ("dot",) ("call", name, args) ("neg", x)
# ("bin", op, left, right)
Node = tuple


class _Parser:
    def __init__(self, tokens: list[Token]):
        self.tokens, self.index, self.depth = tokens, 0, 0

    def peek(self) -> Token:
        return self.tokens[self.index]

    def take(self, kind: str | None = None, text: str | None = None) -> Token:
        token = self.peek()
        if (kind and token.kind != kind) or (text and token.text != text):
            expected = text or kind
            found = token.text or "end of expression"
            raise ExpressionError(f"expected {expected!r} at {token.position + 1}, found {found!r}")
        self.index += 1
        return token

    def at(self, *texts: str) -> bool:
        token = self.peek()
        return token.kind == "op" and token.text in texts

    def nested(self, parse_inside):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(f"expression nested more than {MAX_DEPTH} levels deep")
        node = parse_inside()
        self.depth -= 1
        return node

    def parse(self) -> Node:
        node = self.or_()
        if self.peek().kind != "end":
            token = self.peek()
            raise ExpressionError(f"unexpected {token.text!r} at {token.position + 1}")
        return node

    def binary(self, operators: tuple[str, ...], operand) -> Node:
        node = operand()
        while self.at(*operators):
            op = self.take().text
            node = ("bin", op, node, operand())
        return node

    def or_(self) -> Node:
        return self.binary(("or",), self.and_)

    def and_(self) -> Node:
        return self.binary(("and",), self.compare)

    def compare(self) -> Node:
        node = self.additive()
        if self.at("=", "!=", "<", "<=", ">", ">="):
            op = self.take().text
            node = ("bin", op, node, self.additive())
        return node

    def additive(self) -> Node:
        return self.binary(("+", "-"), self.multiply)

    def multiply(self) -> Node:
        return self.binary(("*", "div", "mod"), self.unary)

    def unary(self) -> Node:
        if self.at("-"):
            self.take()
            return ("neg", self.nested(self.unary))
        return self.primary()

    def primary(self) -> Node:
        token = self.peek()
        if token.kind == "number":
            self.take()
            return ("num", float(token.text))
        if token.kind == "string":
            self.take()
            return ("str", token.text)
        if token.kind == "ref":
            self.take()
            return ("ref", token.text)
        if token.kind == "dot":
            self.take()
            return ("dot",)
        if token.kind == "op" and token.text == "(":
            self.take()
            node = self.nested(self.or_)
            self.take("op", ")")
            return node
        if token.kind == "name":
            self.take()
            if token.text not in FUNCTIONS:
                raise ExpressionError(f"unknown function {token.text!r} at {token.position + 1}")
            self.take("op", "(")
            args = self.nested(self.arguments)
            self.take("op", ")")
            if len(args) != FUNCTIONS[token.text]:
                raise ExpressionError(f"{token.text}() takes {FUNCTIONS[token.text]} argument(s), {len(args)} given")
            return ("call", token.text, tuple(args))
        found = token.text or "end of expression"
        raise ExpressionError(f"unexpected {found!r} at {token.position + 1}")

    def arguments(self) -> list[Node]:
        args: list[Node] = []
        if not self.at(")"):
            args.append(self.or_())
            while self.at(","):
                self.take()
                args.append(self.or_())
        return args


@lru_cache(maxsize=2048)
def parse(source: str) -> Node:
    """The tree of an expression (cached: forms reuse the same few expressions)."""
    return _Parser(tokenize(source)).parse()


def _nodes(node: Node) -> Iterator[Node]:
    """The node and every node under it."""
    yield node
    children = (
        node[2] if node[0] == "call" else node[1:2] if node[0] == "neg" else node[2:4] if node[0] == "bin" else ()
    )
    for child in children:
        yield from _nodes(child)


def references(source: str) -> set[str]:
    """The question names an expression refers to with ${…}."""
    return {node[1] for node in _nodes(parse(source)) if node[0] == "ref"}


def regex_patterns(source: str) -> list[str]:
    """The patterns written in quotes as the second argument of regex() calls (a pattern taken
    from an answer is only known when the form is filled in)."""
    return [
        node[2][1][1]
        for node in _nodes(parse(source))
        if node[0] == "call" and node[1] == "regex" and node[2][1][0] == "str"
    ]


# Evaluation ---------------------------------------------------------------------------------


def to_number(value: Any) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip()
    if re.fullmatch(r"-?([0-9]+(\.[0-9]*)?|\.[0-9]+)", text):
        return float(text)
    return math.nan


def to_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(to_string(v) for v in value)
    return str(value)


def truth(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return not (value == 0 or math.isnan(value))
    return to_string(value) != ""


def _equal(left: Any, right: Any) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return truth(left) == truth(right)
    a, b = to_number(left), to_number(right)
    if not math.isnan(a) and not math.isnan(b):
        return a == b
    return to_string(left) == to_string(right)


def _order(op: str, left: Any, right: Any) -> bool:
    a, b = to_number(left), to_number(right)
    if math.isnan(a) or math.isnan(b):
        sa, sb = to_string(left), to_string(right)
        if isinstance(left, (bool, int, float)) or isinstance(right, (bool, int, float)) or not sa or not sb:
            return False
        a, b = sa, sb  # type: ignore[assignment]
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def _arithmetic(op: str, left: Any, right: Any) -> float:
    a, b = to_number(left), to_number(right)
    if math.isnan(a) or math.isnan(b):
        return math.nan
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if b == 0 or (op == "mod" and math.isinf(a)):
        return math.nan
    if op == "div":
        return a / b
    return math.fmod(a, b)


def _selected(value: Any) -> list[str]:
    if isinstance(value, list):
        return [to_string(v) for v in value]
    return [part for part in to_string(value).split(" ") if part]


def _call(name: str, args: tuple[Node, ...], env: "Environment") -> Value:
    if name == "if":
        return evaluate_node(args[1] if truth(evaluate_node(args[0], env)) else args[2], env)
    values = [evaluate_node(a, env) for a in args]
    if name == "selected":
        return to_string(values[1]) in _selected(values[0])
    if name == "count-selected":
        return float(len(_selected(values[0])))
    if name == "string-length":
        return float(len(to_string(values[0])))
    if name == "regex":
        # RE2, linear in the answer: a backtracking engine lets one answer hold the server.
        return patterns.full_match(to_string(values[1]), to_string(values[0]))
    if name == "contains":
        return to_string(values[1]) in to_string(values[0])
    if name == "starts-with":
        return to_string(values[0]).startswith(to_string(values[1]))
    if name == "not":
        return not truth(values[0])
    if name == "true":
        return True
    if name == "false":
        return False
    if name == "number":
        return to_number(values[0])
    if name == "int":
        number = to_number(values[0])
        return number if not math.isfinite(number) else float(math.trunc(number))
    if name == "coalesce":
        return values[0] if to_string(values[0]) != "" else values[1]
    if name == "today":
        return env.today.isoformat()
    raise ExpressionError(f"unknown function {name!r}")  # parse() already refuses these


@dataclass
class Environment:
    answers: dict[str, Any]
    current: Any = ""
    today: date = date(1970, 1, 1)


def _answer(value: Any) -> Value:
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        try:
            return float(value)
        except OverflowError:  # an integer beyond any float: infinity, as the browser reads it
            return math.inf if value > 0 else -math.inf
    if isinstance(value, list):
        return " ".join(to_string(v) for v in value)
    return str(value)


def evaluate_node(node: Node, env: Environment) -> Value:
    kind = node[0]
    if kind == "num":
        return node[1]
    if kind == "str":
        return node[1]
    if kind == "ref":
        return _answer(env.answers.get(node[1]))
    if kind == "dot":
        return _answer(env.current)
    if kind == "neg":
        number = to_number(evaluate_node(node[1], env))
        return -number
    if kind == "call":
        return _call(node[1], node[2], env)
    op, left_node, right_node = node[1], node[2], node[3]
    if op == "and":
        return truth(evaluate_node(left_node, env)) and truth(evaluate_node(right_node, env))
    if op == "or":
        return truth(evaluate_node(left_node, env)) or truth(evaluate_node(right_node, env))
    left, right = evaluate_node(left_node, env), evaluate_node(right_node, env)
    if op == "=":
        return _equal(left, right)
    if op == "!=":
        return not _equal(left, right)
    if op in ("<", "<=", ">", ">="):
        return _order(op, left, right)
    return _arithmetic(op, left, right)


def evaluate(source: str, answers: dict[str, Any], *, current: Any = "", today: date | None = None) -> Value:
    return evaluate_node(parse(source), Environment(answers, current, today or date.today()))


def holds(source: str, answers: dict[str, Any], *, current: Any = "", today: date | None = None) -> bool:
    """Whether a relevance or constraint rule is satisfied; an empty rule always is."""
    if not source or not source.strip():
        return True
    return truth(evaluate(source, answers, current=current, today=today))
