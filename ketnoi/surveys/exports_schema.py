"""What an export holds, read from a form's definitions: the tables (the responses, then one per
repeat, nested repeats included — forms-spec §2), their columns, and how each answer becomes a
cell.

The current version's questions come first, in order; a question only earlier versions asked
follows, in the table of its repeat. A choice question keeps the choices of every version, so
an old answer still reads as its label. Groups are transparent, as in the answers.

Cells are Python values the writers format: numbers stay numbers, a date answer becomes a
`date`, a datetime an aware local `datetime` (an answer without an offset is local time, as
the phone gives it), a time a `time`; an answer that does not parse as its type stays the text
it is, so nothing a respondent sent is lost or turned into an error. A geopoint is its string
plus `_<name>_latitude`, `_longitude`, `_altitude` and `_precision` numbers, as KoboToolbox
exports it. Media answers become absolute links to the file (`surveys:response_media`).
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from urllib.parse import quote
from uuid import UUID

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import definition as d
from .models import Form, FormVersion

# The types of forms-spec §1, named as XLSForm names them (definition.py keeps the older ones).
TIME, DATETIME, RANGE, RANK, ACKNOWLEDGE, TRIGGER = "time", "datetime", "range", "rank", "acknowledge", "trigger"
HIDDEN, CALCULATE, GEOPOINT, REPEAT = "hidden", "calculate", "geopoint", "repeat"
MEDIA = ("image", "audio", "file")
NUMBERS = (d.INTEGER, d.DECIMAL, d.RATING, RANGE)
CHOICES = (d.SELECT_ONE, d.SELECT_MULTIPLE, RANK)
SKIPPED = (d.NOTE, d.GROUP, REPEAT)
GEO_PARTS = ("latitude", "longitude", "altitude", "precision")
JOIN_KEYS = ("_index", "_parent_index", "_parent_table_name", "_submission_uuid")
NUMBER = re.compile(r"^-?(0|[1-9]\d{0,14})(\.\d{1,15})?$")  # "007" is a code, not a number

KIND_LABELS = d.KIND_LABELS


@dataclass
class Column:
    key: str  # the header in codes (also the JSON key)
    header: str  # the header in labels
    kind: str = ""  # the question's type ("" for a column about the response or a join key)
    read: Callable[[dict], Any] | None = None  # the cell from the answers (or the row) object
    choices: dict[str, str] = field(default_factory=dict)  # code -> label (choice questions)
    guide: str = ""  # what the explanation sheet says the values are
    in_json: bool = True  # False for the geopoint's parts: JSON keeps the answer as it is

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))


@dataclass(eq=False)  # a table is itself: the writers key their sheets and files by it
class Table:
    """The responses (name "") or one repeat: its answer columns, and in `items` the same
    columns with the nested repeats in the order the form asks them (for the JSON)."""

    name: str
    label: str
    parent: "Table | None" = None
    columns: list[Column] = field(default_factory=list)
    children: list["Table"] = field(default_factory=list)
    items: list["Column | Table"] = field(default_factory=list)

    def add(self, item: "Column | Table") -> None:
        self.items.append(item)
        if isinstance(item, Table):
            self.children.append(item)
        else:
            self.columns.append(item)

    def walk(self) -> "list[Table]":
        """This table and every nested one, parents first (the order of the sheets)."""
        tables = [self]
        for child in self.children:
            tables += child.walk()
        return tables


@dataclass
class Schema:
    main: Table
    versions: dict[int, int]  # version id -> number

    @property
    def tables(self) -> list[Table]:
        return self.main.walk()

    @property
    def has_repeats(self) -> bool:
        return bool(self.main.children)


# Cells -------------------------------------------------------------------------------------------


def _number(value: Any) -> Any:
    if isinstance(value, str) and NUMBER.match(value.strip()):
        text = value.strip()
        return float(text) if "." in text else int(text)
    return value


def _date(value: Any) -> Any:
    try:
        return date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else value
    except ValueError:
        return value


def _datetime(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return value
    if timezone.is_naive(parsed):
        return timezone.make_aware(parsed)
    return timezone.localtime(parsed)


def _time(value: Any) -> Any:
    try:
        return time.fromisoformat(value) if isinstance(value, str) and len(value) in (5, 8) else value
    except ValueError:
        return value


def _geo_part(value: Any, index: int) -> float | None:
    parts = value.split() if isinstance(value, str) else []
    try:
        return float(parts[index]) if len(parts) > index else None
    except ValueError:
        return None


def _plain(value: Any) -> Any:
    """Anything that is not a number, a text or empty (a list or an object someone sent) as
    its JSON text, so no writer meets a type it cannot write."""
    if value is None or (isinstance(value, str | int | float) and not isinstance(value, bool)):
        return value
    return json.dumps(value, ensure_ascii=False)


def _labeller(choices: dict[str, str], kind: str) -> Callable[[Any], Any]:
    if kind == d.SELECT_ONE:
        return lambda value: choices.get(value, value) if isinstance(value, str) else value
    # A multiple choice and a ranking: every label, in the order given (a ranking's order).
    return lambda value: "; ".join(choices.get(p, p) for p in value.split()) if isinstance(value, str) else value


def _reader(key: str, convert: Callable[[Any], Any] | None) -> Callable[[dict], Any]:
    """The cell of answer `key`, through `convert` (None: as it is). Called for every cell of
    every row, hence exact type tests rather than isinstance (JSON gives exact types)."""

    def read(answers: dict) -> Any:
        value = answers.get(key)
        if value is None:
            return None
        kind = type(value)
        if kind is list or kind is dict or kind is bool:
            return _plain(value)  # not what this question stores: shown as sent, never labelled
        return value if convert is None else convert(value)

    return read


def media_link_maker(form: Form, site: str) -> Callable[[str, str], str]:
    """A function (response uuid, file name) -> the absolute link to that file (readable only by
    who may see the results). The URL is reversed once with placeholders, not once per cell."""
    marker_uuid, marker_name = UUID(int=0), "ketnoi-media-name"
    parts: list[str] = []  # the link before and after "<uuid>/<name>", made at the first use

    def link(response_uuid: str, name: str) -> str:
        if not parts:
            code, pk = form.programme.code, form.pk  # read only when the form has media answers
            template = reverse("surveys:response_media", args=[code, pk, marker_uuid, marker_name])
            before, _sep, after = template.partition(f"{marker_uuid}/{marker_name}")
            parts[:] = [before, after]
        return f"{site}{parts[0]}{response_uuid}/{quote(str(name), safe='')}{parts[1]}"

    return link


# Columns -----------------------------------------------------------------------------------------


def _question_columns(raw: dict, choices: dict[str, str], *, labels: bool) -> list[Column]:
    """The columns of one answered question (a matrix: one per item; or_other: plus the text)."""
    kind, name = raw["type"], raw["name"]
    title = d.label(raw.get("label")) or name
    if kind == d.MATRIX:
        items = [i for i in raw.get("items") or [] if isinstance(i, dict) and i.get("name")]
        return [
            Column(
                i["name"],
                f"{title} – {d.label(i.get('label')) or i['name']}",
                kind,
                _reader(i["name"], _number),
                guide=_scale_guide(raw),
            )
            for i in items
        ]
    convert: Callable[[Any], Any] | None = None  # texts as they are
    if kind in NUMBERS or kind == CALCULATE:
        convert = _number
    elif kind == d.DATE:
        convert = _date
    elif kind == DATETIME:
        convert = _datetime
    elif kind == TIME:
        convert = _time
    elif kind in CHOICES and labels:
        convert = _labeller(choices, kind)
    column = Column(name, title, kind, _reader(name, convert), choices if kind in CHOICES else {})
    if kind == d.RATING:
        column.guide = _scale_guide(raw)
    columns = [column]
    if kind == GEOPOINT:
        columns += [
            Column(f"_{name}_{part}", f"_{name}_{part}", kind, _geo_reader(name, i), in_json=False)
            for i, part in enumerate(GEO_PARTS)
        ]
    if kind in CHOICES and raw.get("or_other"):
        other = f"{name}_{d.OTHER}"
        header = _("%(question)s – Khác (ghi rõ)") % {"question": title}
        columns.append(Column(other, header, d.TEXT, _reader(other, None)))
    return columns


def _scale_guide(raw: dict) -> str:
    """A rating scale as the explanation sheet gives it: "1 – Rất kém … 5 – Rất tốt"."""
    scale = raw.get("scale") if isinstance(raw.get("scale"), dict) else {}
    ends = []
    for end, default in (("min", 1), ("max", 5)):
        point, text = scale.get(end, default), d.label(scale.get(f"{end}_label"))
        ends.append(f"{point} – {text}" if text else str(point))
    return " … ".join(ends)


def _geo_reader(name: str, index: int) -> Callable[[dict], Any]:
    return lambda answers: _geo_part(answers.get(name), index)


def _choice_map(raw: dict) -> dict[str, str]:
    choices = {c["name"]: d.label(c.get("label")) or c["name"] for c in raw.get("choices") or [] if c.get("name")}
    if raw.get("or_other") and d.OTHER not in choices:
        choices[d.OTHER] = _("Khác")
    return choices


def form_schema(form: Form, *, labels: bool, media_link: Callable[[str, str], str] | None = None) -> Schema:
    """The tables and columns of the form's export. One query (every version's definition).

    `media_link(response uuid, name)` makes a media answer's link; the reader of a media column
    then needs the response's uuid, which the row builder puts in the answers object it reads
    under MEDIA_UUID_KEY."""
    versions = list(FormVersion.objects.filter(form=form).values_list("id", "number", "definition"))
    versions.sort(key=lambda v: (v[0] != form.current_version_id, -v[1]))
    main = Table("", _("Phiếu trả lời"))
    tables: dict[str, Table] = {}
    seen: dict[str, list[Column]] = {}

    def visit(raws: list, table: Table) -> None:
        for raw in raws:
            if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw.get("type"):
                continue
            kind, name = raw["type"], raw["name"]
            if kind == d.GROUP:
                visit(raw.get("children") or [], table)
            elif kind == REPEAT:
                repeat = tables.get(name)
                if repeat is None:
                    repeat = tables[name] = Table(name, d.label(raw.get("label")) or name, parent=table)
                    table.add(repeat)
                visit(raw.get("children") or [], repeat)
            elif kind in SKIPPED:
                continue
            elif name in seen:
                _merge_choices(seen[name], raw, labels=labels)
            else:
                columns = _question_columns(raw, _choice_map(raw), labels=labels)
                if kind in MEDIA:
                    columns[0].read = _media_reader(name, media_link)
                seen[name] = columns
                for column in columns:
                    table.add(column)

    for _version in versions:
        definition = _version[2]
        questions = definition.get("questions") if isinstance(definition, dict) else None
        visit(questions if isinstance(questions, list) else [], main)
    return Schema(main, {pk: number for pk, number, _definition in versions})


MEDIA_UUID_KEY = "\x00uuid"  # not a possible answer name (names are [A-Za-z_][A-Za-z0-9_]*)


def _media_reader(name: str, media_link: Callable[[str, str], str] | None) -> Callable[[dict], Any]:
    def read(answers: dict) -> Any:
        value = answers.get(name)
        if not isinstance(value, str) or not value or media_link is None:
            return _plain(value)
        return media_link(answers.get(MEDIA_UUID_KEY, ""), value)

    return read


def _merge_choices(columns: list[Column], raw: dict, *, labels: bool) -> None:
    """An earlier version's choices that the shown question lacks still read as their labels."""
    first = columns[0]
    if first.kind not in CHOICES or raw.get("type") not in CHOICES:
        return
    for name, text in _choice_map(raw).items():
        first.choices.setdefault(name, text)
    # The labeller closes over the same dict, so nothing else to rebuild.
    if labels:
        first.read = _reader(first.key, _labeller(first.choices, first.kind))
