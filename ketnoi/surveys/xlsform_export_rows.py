"""The survey and choices rows of an XLSForm for our definition's questions, for
xlsform_export.py (which writes them into a workbook; the mapping is described there).

Each row is a {column: value} dict; a translated text is kept as {language code: text} under
its column kind ("label", "hint", "image", …) and spread over the language columns when the
sheet is written, so the exporter need not know the languages while it walks the questions."""

import json
import re
import unicodedata
from typing import Any

from . import definition as d

# The "other" choice or_other stands for: pyxform labels the one it adds "Other" in every language,
# so the export writes it out translated; a choice labelled only so is or_other's own.
OR_OTHER_LABELS = {"vi": "Khác", "en": "Other"}
OR_OTHER_TEXTS = {"Other", "Khác"}
OTHER_TEXT_LABELS = {"vi": "Ghi rõ lựa chọn khác", "en": "Specify other"}

# Translated columns of a survey row, in the order they are written for each language.
TRANSLATED_SURVEY = ("label", "hint", "guidance_hint", "required_message", "constraint_message")
MEDIA_KINDS = ("image", "big-image", "audio", "video")
# Columns a choice's `data` may not take: they already mean something on the choices sheet.
RESERVED_CHOICE_COLUMNS = {"list_name", "name", "label", "media", *MEDIA_KINDS}
DATA_COLUMN = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")  # becomes an XML element of the choice in the XForm
LIST_FILE = re.compile(r"[A-Za-z0-9_.\-]+\.(csv|xml|geojson)")  # the files pyxform reads a list from

# Our type → XLSForm's, for the types written as one plain row.
PLAIN_TYPES = {
    d.TEXT: "text",
    d.INTEGER: "integer",
    d.DECIMAL: "decimal",
    d.DATE: "date",
    d.NOTE: "note",
    "time": "time",
    "datetime": "dateTime",
    "range": "range",
    "acknowledge": "acknowledge",
    "trigger": "trigger",
    "hidden": "hidden",
    "calculate": "calculate",
    "geopoint": "geopoint",
    "image": "image",
    "audio": "audio",
    "file": "file",
}
SELECT_TYPES = (d.SELECT_ONE, d.SELECT_MULTIPLE, "rank")
REPEAT = "repeat"
TABLE_LIST = "table-list"
# Types that show nothing, so need no label (pyxform refuses a shown question with none).
UNSHOWN_TYPES = {"calculate", "hidden"}


def texts(value: Any, default_language: str) -> dict[str, str]:
    """{code: text} of a label-like value (a plain string is in the default language)."""
    if isinstance(value, str):
        return {default_language: value} if value else {}
    if isinstance(value, dict):
        return {str(code): str(text) for code, text in value.items() if text not in (None, "")}
    return {}


def appearance_words(*parts: str) -> str:
    """Appearance words joined once each, in order (the question's own words kept verbatim)."""
    words: list[str] = []
    for part in parts:
        for word in (part or "").split():
            if word not in words:
                words.append(word)
    return " ".join(words)


def parameters_text(parameters: Any) -> str | None:
    """pyxform's `k=v k=v` for a {name: value} dict (a string is kept as it is)."""
    if isinstance(parameters, str):
        return parameters.strip() or None
    if not isinstance(parameters, dict) or not parameters:
        return None
    return " ".join(f"{key}={_number_text(value)}" for key, value in parameters.items())


def _number_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _expression(value: Any) -> Any:
    if value is None or value == "":
        return None
    return value if isinstance(value, int | float) and not isinstance(value, bool) else str(value)


class RowWriter:
    """Walks a definition's questions and collects the survey rows and the choice lists."""

    def __init__(self, languages: list[str], default_language: str):
        self.languages = languages
        self.default_language = default_language
        self.survey: list[dict[str, Any]] = []
        self.choices: list[dict[str, Any]] = []
        self.lists: dict[str, str] = {}  # the choices as JSON → their list name, to share equal lists
        self.list_names: set[str] = set()

    def in_every_language(self, known: dict[str, str]) -> dict[str, str]:
        """A text of ours in each of the form's languages (English where we have no translation):
        pyxform's own "other" is English only."""
        return {code: known.get(code, known["en"]) for code in self.languages}

    # choice lists

    def list_for(self, wanted: str, choices: list[dict]) -> str:
        key = json.dumps(choices, sort_keys=True, ensure_ascii=False)
        if key in self.lists:
            return self.lists[key]
        name, n = wanted, 2
        while name in self.list_names:
            name, n = f"{wanted}_{n}", n + 1
        self.list_names.add(name)
        self.lists[key] = name
        for choice in choices:
            row: dict[str, Any] = {"list_name": name, "name": choice["name"]}
            row["label"] = texts(choice.get("label"), self.default_language)
            for kind, files in (choice.get("media") or {}).items():
                row[kind] = texts(files, self.default_language)
            for column, value in (choice.get("data") or {}).items():
                if column not in RESERVED_CHOICE_COLUMNS and DATA_COLUMN.fullmatch(column):
                    row[f"data:{column}"] = value
            self.choices.append(row)
        return name

    def scale_list(self, question: dict) -> str:
        scale = question.get("scale") or {}
        low, high = int(scale.get("min", 1)), int(scale.get("max", 5))
        choices = []
        for number in range(low, high + 1):
            label = {code: str(number) for code in self.languages}
            key = "min_label" if number == low else "max_label" if number == high else None
            given = scale.get(key) if key else None
            if isinstance(given, dict) and any(given.values()):
                label = {code: text for code, text in given.items() if text}
            choices.append({"name": str(number), "label": label})
        return self.list_for(f"scale_{low}_{high}_{question['name']}", choices)

    # rows

    def row(self, question: dict, kind: str, **extra: Any) -> dict[str, Any]:
        """A survey row with everything a question may carry; `extra` overrides."""
        row: dict[str, Any] = {"type": kind, "name": question["name"]}
        for column in TRANSLATED_SURVEY:
            row[column] = texts(question.get(column), self.default_language)
        for media_kind, files in (question.get("media") or {}).items():
            row[media_kind] = texts(files, self.default_language)
        if question.get("required"):
            row["required"] = "yes"
        if question.get("read_only"):
            row["read_only"] = "yes"
        for column in ("relevant", "constraint", "calculation", "default", "choice_filter"):
            row[column] = _expression(question.get(column))
        row["appearance"] = question.get("appearance") or None
        row["parameters"] = parameters_text(question.get("parameters"))
        row.update(extra)
        if kind.split()[0] not in UNSHOWN_TYPES | {"begin_group", "begin_repeat"} and not any(
            row.get(column) for column in ("label", "hint", *MEDIA_KINDS)
        ):
            row["label"] = {self.default_language: question["name"]}  # pyxform refuses a shown question with none
        self.survey.append(row)
        return row

    def questions(self, questions: list[dict]) -> None:
        for question in questions:
            kind = question["type"]
            if kind in PLAIN_TYPES:
                self.row(question, PLAIN_TYPES[kind])
            elif kind == d.LONG_TEXT:
                self.row(question, "text", appearance=appearance_words("multiline", question.get("appearance")))
            elif kind in SELECT_TYPES:
                self.select(question)
            elif kind == d.RATING:
                appearance = appearance_words("likert", question.get("appearance"))
                self.row(question, f"select_one {self.scale_list(question)}", appearance=appearance)
            elif kind == d.MATRIX:
                self.matrix(question)
            elif kind == d.GROUP:
                self.group(question, "group")
            elif kind == REPEAT:
                self.group(question, "repeat")

    def select(self, question: dict) -> None:
        kind, name = question["type"], question["name"]
        choices = [
            {key: choice[key] for key in ("name", "label", "media", "data") if choice.get(key)}
            for choice in question.get("choices") or []
        ]
        or_other = bool(question.get("or_other"))
        choice_filter = _expression(question.get("choice_filter"))
        from_file = question.get("from_file") if kind in (d.SELECT_ONE, d.SELECT_MULTIPLE) else None
        if from_file and LIST_FILE.fullmatch(str(from_file)) and not or_other:
            self.row(question, f"{kind}_from_file {from_file}")
            return
        # pyxform adds "other" itself only to an inline list with no choice filter; elsewhere the
        # export writes out what or_other means: an "other" choice and the text that follows it.
        native_other = or_other and not choice_filter
        if or_other and d.OTHER not in {c["name"] for c in choices}:
            choices.append({"name": d.OTHER, "label": self.in_every_language(OR_OTHER_LABELS)})
        list_name = self.list_for(name, choices)
        if native_other:
            self.row(question, f"{kind} {list_name} or_other")
            return
        extra = {"choice_filter": f"({choice_filter}) or name = '{d.OTHER}'"} if or_other and choice_filter else {}
        self.row(question, f"{kind} {list_name}", **extra)
        if or_other:
            self.survey.append(
                {
                    "type": "text",
                    "name": f"{name}_{d.OTHER}",
                    "label": self.in_every_language(OTHER_TEXT_LABELS),
                    "relevant": f"selected(${{{name}}}, '{d.OTHER}')",
                }
            )

    def matrix(self, question: dict) -> None:
        """A table-list group of select_one rows over the scale: what KoboToolbox and ODK call a
        matrix (pyxform adds the header row and hides the rows' own choice labels)."""
        list_name = self.scale_list(question)
        on_table = ("name", "label", "hint", "guidance_hint", "relevant", "media")
        group = {k: v for k, v in question.items() if k in on_table}
        appearance = appearance_words(TABLE_LIST, question.get("appearance"))
        self.row(group, "begin_group", appearance=appearance)
        shared = ("required", "required_message", "constraint", "constraint_message", "read_only")
        for item in question.get("items") or []:
            rules = {k: question[k] for k in shared if k in question}
            self.row({"name": item["name"], "label": item.get("label"), **rules}, f"select_one {list_name}")
        self.survey.append({"type": "end_group", "name": question["name"]})

    def group(self, question: dict, control: str) -> None:
        keep = ("name", "label", "hint", "guidance_hint", "relevant", "appearance", "media", "read_only")
        head = {k: v for k, v in question.items() if k in keep}
        extra: dict[str, Any] = {}
        if control == "repeat":
            extra["repeat_count"] = _expression(question.get("repeat_count"))
        self.row(head, f"begin_{control}", **extra)
        self.questions(question.get("children") or [])
        self.survey.append({"type": f"end_{control}", "name": question["name"]})


def settle_table_lists(survey: list[dict[str, Any]]) -> None:
    """Write as field-list (the same questions on one screen) each table-list pyxform would
    refuse. pyxform reads a table-list from its begin row to the next end row of any group,
    and takes its rows' list from the first select, which may have no choice filter nor come
    from a file; every later select must use that same list."""
    while True:
        owner, table = None, None
        for row in survey:
            kind = row["type"].split()
            if kind[0].startswith("end_"):
                owner, table = None, None
            elif kind[0].startswith("begin_"):
                if TABLE_LIST in (row.get("appearance") or "").split():
                    owner, table = row, ""
            elif owner is not None and len(kind) > 1 and kind[0].removesuffix("_from_file") in SELECT_TYPES:
                first = table == ""
                if first and (row.get("choice_filter") or kind[0].endswith("_from_file")):
                    break
                table = kind[1] if first else table
                if kind[1] != table:
                    break
        else:
            return
        words = (owner.get("appearance") or "").split()
        owner["appearance"] = appearance_words(*("field-list" if word == TABLE_LIST else word for word in words))


def language_codes(definition: dict) -> list[str]:
    """Every language the definition writes in, in the order its sheet columns take:
    `languages` first, then Vietnamese, English, and the others as they appear."""
    found: list[str] = []

    def add(value: Any) -> None:
        if isinstance(value, dict):
            for code, text in value.items():
                if text not in (None, "") and code not in found:
                    found.append(code)

    def visit(questions: list[dict]) -> None:
        for question in questions:
            for column in TRANSLATED_SURVEY:
                add(question.get(column))
            for files in (question.get("media") or {}).values():
                add(files)
            scale = question.get("scale") or {}
            add(scale.get("min_label"))
            add(scale.get("max_label"))
            for entry in (question.get("items") or []) + (question.get("choices") or []):
                add(entry.get("label"))
                for files in (entry.get("media") or {}).values():
                    add(files)
            visit(question.get("children") or [])

    visit(definition.get("questions") or [])
    listed = [code for code in definition.get("languages") or [] if isinstance(code, str) and code]
    ordered = [*listed, *(code for code in ("vi", "en") if code in found)]
    ordered += [code for code in found if code not in ordered]
    return list(dict.fromkeys(ordered)) or ["vi"]


def language_column(code: str, names: dict[str, str]) -> str:
    """The name a language's columns carry. For a language code, `Name (code)` as KoboToolbox
    writes it, with the name from `language_names` or else the code itself ("tay (tay)"): the
    code in brackets is what ODK reads as the language's code (pyxform warns of a column
    without one). A code our import made from a column's name ("francais" from "Français") is
    written as that name, or as the code alone, which the import reads back as the same code."""
    fixed = {"vi": "Vietnamese (vi)", "en": "English (en)"}
    if code in fixed:
        return fixed[code]
    name = (names or {}).get(code)
    name = re.sub(r"[():]", "", name).strip() if isinstance(name, str) else ""
    if LANGUAGE_TAG.fullmatch(code):
        return f"{name or code} ({code})"
    return name if name and _folded(name) == code else code


LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{2,8})*")


def _folded(name: str) -> str:
    """A language name as the import makes a code of it: lower case, without accents, only
    [a-z0-9_-]."""
    plain = unicodedata.normalize("NFKD", name.strip().lower().replace("đ", "d"))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9_-]+", "_", plain).strip("_")
