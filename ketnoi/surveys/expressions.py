"""The expression language of form rules — relevance, constraints, calculations, choice filters,
repeat counts — parsed and evaluated safely (never `eval`). `static/surveys/expressions.js`
implements the same grammar and semantics for the browser; both run the shared cases in
`tests/expression_cases.json`. It is the part of ODK's XPath that real XLSForms use.

Grammar:

    expr     := or
    or       := and ("or" and)*
    and      := compare ("and" compare)*
    compare  := additive (("=" | "!=" | "<" | "<=" | ">" | ">=") additive)?
    additive := multiply (("+" | "-") multiply)*
    multiply := unary (("*" | "div" | "mod") unary)*
    unary    := "-" unary | primary
    primary  := NUMBER | STRING | "${" NAME "}" | "." | NAME | "position" "(" ".." ")"
              | FUNCTION "(" [expr ("," expr)*] ")" | "(" expr ")"

A bare NAME (not followed by "(") is a column of the choice being filtered (`province =
${province}` in a choice_filter: its `name`, or a key of its `data`); it is accepted only where
the caller allows it (`parse(source, choice_columns_allowed=True)`, and evaluation with a
`choice` in the Environment) and is an ExpressionError everywhere else. `..` (the parent) is
accepted only as the argument of position(). FUNCTION is a name of FUNCTIONS; the `jr:` prefix
exists only in `jr:choice-name`. Paths such as /data/group/x are `${x}` by the time a form is
saved (the XLSForm import rewrites them).

Values are numbers, strings or booleans; an unanswered question is the empty string. A nodeset
(what `Environment.resolve` answers as a list: a question inside a repeat seen from outside it)
is a list; where one value is expected it is its first item ("" when empty); sum, count,
count-non-empty, min, max, join, concat and indexed-repeat take all of it.
- `=` and `!=` compare as numbers when both sides read as numbers, otherwise as strings; a
  boolean compares with the truth of the other side.
- `<`, `<=`, `>`, `>=` compare as numbers when both sides read as numbers, as strings when both
  are non-empty strings, and are false otherwise.
- Reading as a number: ASCII decimals (no exponent), true/false as 1/0, and — as JavaRosa does —
  an ISO date as its count of days since 1970-01-01 (a datetime adds the time as a fraction of a
  day, its offset applied; without an offset it is read as UTC). So `today() + 7` is a number of
  days, `date(today() + 7)` a date, and two dates still compare as they should.
- Arithmetic reads both sides as numbers; something that is not a number makes the result
  empty (NaN, and a comparison with it false). Division by zero is empty too.
- Truth: false, 0, NaN and "" are false; everything else is true.
- A number is written as Python writes a float (integers in full, else the shortest digits:
  0.1 + 0.2 is 0.30000000000000004); the browser copies this digit for digit.

Functions (arguments a, b, …; `ns` may be a nodeset):
- text: concat(…), join(sep, ns…), string(a), string-length(a), substr(s, start[, end])
  (0-based, end excluded, negative counts from the end), substring-before(a, b),
  substring-after(a, b), normalize-space(a), contains(a, b), starts-with(a, b), ends-with(a, b),
  regex(a, pattern) (the whole string; ASCII classes \\d \\w \\s as the browser and ODK Collect
  read them; matched by RE2 — patterns.py says why and which constructs a form may not use).
  Strings a function builds stop at MAX_TEXT characters.
- choices: selected(a, name), count-selected(a), selected-at(a, i) (0-based, "" past the end),
  jr:choice-name(value, '${q}') (the label, through Environment.choice_name).
- truth: not(a), true(), false(), boolean(a), boolean-from-string(a) ("true" in any case, "1"),
  if(cond, a, b), coalesce(a, b).
- numbers: number(a), int(a) (towards zero), round(x[, places]) (half away from zero, on the
  written decimal digits as JavaRosa's BigDecimal), floor, ceiling, abs, sqrt, pow(x, y) (a
  result beyond 1e15 is empty; a fractional exponent keeps 12 significant digits, the same
  in every engine),
  min(ns…), max(ns…) (empty if any item is not a number), sum(ns), count(ns),
  count-non-empty(ns).
- repeats: position(..) (the current row, from 1), indexed-repeat(${q}, ${repeat}, i) (the value
  of q in row i, from 1; "" outside).
- dates: today(), now() (ISO datetime with its offset, to the second), date(a) (days → ISO date;
  a date or datetime → its date), decimal-date-time(a) (days since 1970-01-01 with fraction),
  format-date(d, pattern) and format-date-time (codes %Y %y %m %n %d %e %H %h %M %S %3 %a %b;
  a value that is no date gives "").
- once(a) (a; the caller keeps a value stored before), uuid(), random(): with now(), the
  NONDETERMINISTIC functions whose stored value the server keeps rather than recomputes.
Numbers are ASCII digits. Brackets, calls and minus signs nest at most MAX_DEPTH levels; an
expression is at most MAX_LENGTH characters.
"""

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from .expression_functions import CALLS, NODESET_FUNCTIONS, scalar
from .expression_values import MAX_TEXT, to_number, to_string, truth

__all__ = ["MAX_TEXT", "to_number", "to_string", "truth"]  # read by the tests and the engine

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
    | (?P<name>(?:jr:)?[A-Za-z_][A-Za-z0-9_\-]*)
    | (?P<parent>\.\.)
    | (?P<dot>\.)
    )""",
    re.VERBOSE,
)
# name → (fewest, most) arguments; None: any number.
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "selected": (2, 2),
    "count-selected": (1, 1),
    "selected-at": (2, 2),
    "string-length": (1, 1),
    "regex": (2, 2),
    "contains": (2, 2),
    "starts-with": (2, 2),
    "ends-with": (2, 2),
    "not": (1, 1),
    "true": (0, 0),
    "false": (0, 0),
    "boolean": (1, 1),
    "boolean-from-string": (1, 1),
    "number": (1, 1),
    "int": (1, 1),
    "string": (1, 1),
    "if": (3, 3),
    "coalesce": (2, 2),
    "once": (1, 1),
    "concat": (0, None),
    "join": (1, None),
    "substr": (2, 3),
    "substring-before": (2, 2),
    "substring-after": (2, 2),
    "normalize-space": (1, 1),
    "round": (1, 2),
    "floor": (1, 1),
    "ceiling": (1, 1),
    "abs": (1, 1),
    "pow": (2, 2),
    "sqrt": (1, 1),
    "min": (1, None),
    "max": (1, None),
    "sum": (1, 1),
    "count": (1, 1),
    "count-non-empty": (1, 1),
    "indexed-repeat": (3, 3),
    "position": (1, 1),
    "jr:choice-name": (2, 2),
    "today": (0, 0),
    "now": (0, 0),
    "date": (1, 1),
    "decimal-date-time": (1, 1),
    "format-date": (2, 2),
    "format-date-time": (2, 2),
    "uuid": (0, 0),
    "random": (0, 0),
}
NONDETERMINISTIC = {"now", "uuid", "random", "once"}
WORD_OPERATORS = {"and", "or", "div", "mod"}


class ExpressionError(ValueError):
    """The expression cannot be read; the message says where."""


@dataclass(frozen=True)
class Token:
    kind: str  # number, string, ref, op, name, parent, dot, end
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


# The tree: ("num", float) ("str", s) ("ref", name) ("dot",) ("parent",) ("col", name)
# ("call", name, args) ("neg", x) ("bin", op, left, right)
Node = tuple


class _Parser:
    def __init__(self, tokens: list[Token]):
        self.tokens, self.index, self.depth = tokens, 0, 0
        self.first_column: Token | None = None  # the first bare name, for the error message

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
            if not self.at("("):
                if token.text.startswith("jr:"):
                    raise ExpressionError(f"unexpected {token.text!r} at {token.position + 1}")
                self.first_column = self.first_column or token
                return ("col", token.text)
            return self.call(token)
        found = token.text or "end of expression"
        raise ExpressionError(f"unexpected {found!r} at {token.position + 1}")

    def call(self, token: Token) -> Node:
        if token.text not in FUNCTIONS:
            raise ExpressionError(f"unknown function {token.text!r} at {token.position + 1}")
        self.take("op", "(")
        if token.text == "position":  # position(..): the one place the parent may be written
            self.take("parent")
            self.take("op", ")")
            return ("call", "position", (("parent",),))
        args = self.nested(self.arguments)
        self.take("op", ")")
        fewest, most = FUNCTIONS[token.text]
        if len(args) < fewest or (most is not None and len(args) > most):
            expected = str(fewest) if fewest == most else f"{fewest} to {most}" if most else f"at least {fewest}"
            raise ExpressionError(f"{token.text}() takes {expected} argument(s), {len(args)} given")
        return ("call", token.text, tuple(args))

    def arguments(self) -> list[Node]:
        args: list[Node] = []
        if not self.at(")"):
            args.append(self.or_())
            while self.at(","):
                self.take()
                args.append(self.or_())
        return args


@lru_cache(maxsize=2048)
def _parsed(source: str) -> tuple[Node, Token | None]:
    """The tree of an expression and its first bare name (cached: forms reuse a few expressions)."""
    parser = _Parser(tokenize(source))
    return parser.parse(), parser.first_column


def parse(source: str, choice_columns_allowed: bool = False) -> Node:
    """The tree of an expression. Bare names (choice columns) are refused unless allowed: only a
    choice_filter has a choice to read them from."""
    tree, column = _parsed(source)
    if column is not None and not choice_columns_allowed:
        raise ExpressionError(
            f"unknown name {column.text!r} at {column.position + 1}: write ${{{column.text}}} for a question "
            "(a bare name is a choice column, only in a choice filter)"
        )
    return tree


def _nodes(node: Node) -> Iterator[Node]:
    """The node and every node under it, in document order. Walked with a stack: nested
    generators cost each node its depth (a chain of 80 "+" read 2000 times took seconds)."""
    stack = [node]
    while stack:
        node = stack.pop()
        yield node
        children = (
            node[2] if node[0] == "call" else node[1:2] if node[0] == "neg" else node[2:4] if node[0] == "bin" else ()
        )
        stack.extend(reversed(children))


def references(source: str) -> set[str]:
    """The question names an expression refers to with ${…} (also the '${q}' that
    jr:choice-name() names in quotes). Bare names are allowed here — they are no questions —
    so that a choice filter can be read too: choice_columns() lists them, and parse(source)
    refuses them where no choice is given."""
    names = set()
    for node in _nodes(parse(source, choice_columns_allowed=True)):
        if node[0] == "ref":
            names.add(node[1])
        elif node[0] == "call" and node[1] == "jr:choice-name" and node[2][1][0] == "str":
            quoted = re.fullmatch(r"\$\{\s*([A-Za-z_][A-Za-z0-9_.\-]*)\s*\}", node[2][1][1].strip())
            if quoted:
                names.add(quoted.group(1))
    return names


def regex_patterns(source: str) -> list[str]:
    """The patterns written in quotes as the second argument of regex() calls (a pattern taken
    from an answer is only known when the form is filled in)."""
    return [
        node[2][1][1]
        for node in _nodes(parse(source, choice_columns_allowed=True))
        if node[0] == "call" and node[1] == "regex" and node[2][1][0] == "str"
    ]


def choice_columns(source: str) -> set[str]:
    """The bare names of a choice filter: the choice columns it reads."""
    return {node[1] for node in _nodes(parse(source, choice_columns_allowed=True)) if node[0] == "col"}


def uses_nondeterministic(source: str) -> bool:
    """Whether the expression calls now(), uuid(), random() or once(): its value is one the
    client computed and the server keeps."""
    return any(
        node[0] == "call" and node[1] in NONDETERMINISTIC for node in _nodes(parse(source, choice_columns_allowed=True))
    )


# Evaluation ---------------------------------------------------------------------------------


@dataclass
class Environment:
    """What an expression reads. `resolve`, when given, answers ${name} instead of `answers`:
    a value, or a list for a nodeset (a select_multiple answer must then be given as its
    space-separated string; a repeat's rows may be given as dicts: count(${repeat}) counts
    them, and a dict — a row, a matrix answer — reads as ""). `choice` holds the columns of the
    choice a choice_filter is evaluated for; `choice_name(value, question)` the label
    jr:choice-name() gives."""

    answers: dict[str, Any]
    current: Any = ""
    today: date = date(1970, 1, 1)
    now: datetime | None = None
    resolve: Callable[[str], Any] | None = None
    position: int | None = None
    choice: dict[str, str] | None = None
    choice_name: Callable[[Any, str], str] | None = None


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
    if isinstance(value, dict):  # a repeat row or a matrix answer: counted, but no text of its own
        return ""
    return str(value)


def _resolved(name: str, env: Environment) -> Value | list:
    if env.resolve is None:
        return _answer(env.answers.get(name))
    value = env.resolve(name)
    if isinstance(value, list):
        return [_answer(item) for item in value]
    return _answer(value)


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


def evaluate_node(node: Node, env: Environment) -> Value | list:
    """The value of a tree: a list only for a nodeset reference (and `if` choosing one)."""
    kind = node[0]
    if kind in ("num", "str"):
        return node[1]
    if kind == "ref":
        return _resolved(node[1], env)
    if kind == "dot":
        return _answer(env.current)
    if kind == "col":
        return _answer((env.choice or {}).get(node[1]))
    if kind == "neg":
        return -to_number(scalar(evaluate_node(node[1], env)))
    if kind == "call":
        name, args = node[1], node[2]
        if name == "if":
            return evaluate_node(args[1] if truth(scalar(evaluate_node(args[0], env))) else args[2], env)
        if name == "position":  # its argument is the parent (..), which has no value here
            values = []
        elif name in NODESET_FUNCTIONS:
            values = [evaluate_node(arg, env) for arg in args]
        else:
            values = [scalar(evaluate_node(arg, env)) for arg in args]
        return CALLS[name](values, env)
    op = node[1]
    left = scalar(evaluate_node(node[2], env))
    if op == "and":
        return truth(left) and truth(scalar(evaluate_node(node[3], env)))
    if op == "or":
        return truth(left) or truth(scalar(evaluate_node(node[3], env)))
    right = scalar(evaluate_node(node[3], env))
    if op == "=":
        return _equal(left, right)
    if op == "!=":
        return not _equal(left, right)
    if op in ("<", "<=", ">", ">="):
        return _order(op, left, right)
    return _arithmetic(op, left, right)


def evaluate_in(source: str, env: Environment) -> Value | list:
    """The value of an expression in an environment; bare names only when it has a `choice`."""
    return evaluate_node(parse(source, choice_columns_allowed=env.choice is not None), env)


def holds_in(source: str, env: Environment) -> bool:
    """Whether a rule is satisfied in an environment; an empty rule always is."""
    if not source or not source.strip():
        return True
    return truth(scalar(evaluate_in(source, env)))


def evaluate(source: str, answers: dict[str, Any], *, current: Any = "", today: date | None = None) -> Value:
    return evaluate_in(source, Environment(answers, current, today or date.today()))  # type: ignore[return-value]


def holds(source: str, answers: dict[str, Any], *, current: Any = "", today: date | None = None) -> bool:
    """Whether a relevance or constraint rule is satisfied; an empty rule always is."""
    return holds_in(source, Environment(answers, current, today or date.today()))
