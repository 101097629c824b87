"""A form's responses as CSV, XLSX or JSON: one row per response — its UUID, when it was
submitted, the collection and its context (class, campus, semester, lecturer, city, session),
the version answered — then one column per answer: each matrix item its own column, a multiple
choice as its space-separated codes (or its labels joined by "; "), "other" texts under
`<name>_other`. With `labels` the headers and choices are the Vietnamese (or English) texts
people read; without, the codes, for R, SPSS or Stata.

Bounded memory for any number of responses: rows are read with `.values_list(…).iterator()`
in chunks; CSV and JSON are generators for a StreamingHttpResponse; XLSX is written by
XlsxWriter's constant-memory mode, which flushes each row to a temporary file as it goes
(twice as fast as openpyxl's write-only mode on 100,000 responses).

Respondents are anonymous members of the public, so a text that starts like a spreadsheet
formula (=, +, -, @) is written so that no spreadsheet runs it: prefixed with ' in CSV, stored
as a string cell in XLSX.
"""

import csv
import json
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import xlsxwriter
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from . import definition as d
from .models import Form, FormVersion, Response
from .results import Question, form_questions
from .results_filters import CONTEXT_LABELS, form_collections
from .services import CONTEXT_KEYS

CSV_TYPE = "text/csv; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 2000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^[+-]?\d+([.,]\d+)?$")


@dataclass
class Column:
    key: str  # the header in codes
    header: str  # the header in labels
    answer: str = ""  # the answer key it reads ("" for a column about the response)
    question: Question | None = None


def export_columns(form: Form, questions: list[Question] | None = None) -> list[Column]:
    questions = questions if questions is not None else form_questions(form)
    columns = [
        Column("_uuid", _("Mã phiếu")),
        Column("_submitted_at", _("Thời điểm gửi")),
        Column("_collection", _("Đợt khảo sát")),
        *(Column(f"_{key}", str(CONTEXT_LABELS[key])) for key in CONTEXT_KEYS),
        Column("_version", _("Phiên bản")),
    ]
    for question in questions:
        if question.kind == d.MATRIX:
            columns += [Column(i.name, f"{question.label} – {i.label}", i.name, question) for i in question.items]
            continue
        columns.append(Column(question.name, question.label, question.name, question))
        if question.or_other:
            other = _("%(question)s – Khác (ghi rõ)") % {"question": question.label}
            columns.append(Column(question.other_key, other, question.other_key, None))
    return columns


def _labeller(question: Question | None) -> Callable[[Any], Any] | None:
    if question is None or not question.is_choice:
        return None
    labels = {c.name: c.label for c in question.choices}
    if question.kind == d.SELECT_ONE:
        return lambda value: labels.get(value, value) if isinstance(value, str) else value
    return lambda value: "; ".join(labels.get(p, p) for p in str(value).split()) if value not in (None, "") else value


def _rows(form: Form, responses: QuerySet[Response], columns: list[Column], *, labels: bool) -> Iterator[list]:
    """The cells of each response, in column order: Python values (datetime, numbers, text)."""
    collections = {c.pk: c for c in form_collections(form)}
    versions = dict(FormVersion.objects.filter(form=form).values_list("id", "number"))
    answers_at = [(c.answer, _labeller(c.question) if labels else None) for c in columns if c.answer]
    rows = (
        responses.order_by("submitted_at", "id")
        .values_list("uuid", "submitted_at", "collection_id", "version_id", "answers")
        .iterator(chunk_size=CHUNK)
    )
    for response_uuid, submitted_at, collection_id, version_id, answers in rows:
        collection = collections.get(collection_id)
        context = collection.context if collection else {}
        row = [
            str(response_uuid),
            timezone.localtime(submitted_at),
            collection.title if collection else "",
            *(context.get(key, "") for key in CONTEXT_KEYS),
            versions.get(version_id),
        ]
        answers = answers if isinstance(answers, dict) else {}
        for key, labeller in answers_at:
            value = answers.get(key)
            row.append(labeller(value) if labeller and value is not None else value)
        yield row


def _headers(columns: list[Column], labels: bool) -> list[str]:
    return [c.header if labels else c.key for c in columns]


# CSV ---------------------------------------------------------------------------------------------


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START) and not PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def _csv_time(value: datetime, labels: bool) -> str:
    return value.strftime("%d/%m/%Y %H:%M") if labels else value.isoformat(timespec="seconds")


def export_csv(form: Form, responses: QuerySet[Response], *, labels: bool) -> Iterator[str]:
    """The CSV text in pieces, starting with a UTF-8 byte order mark so that Excel reads the
    Vietnamese right. Rows are joined in batches so a big export is not one write per line."""
    columns = export_columns(form)
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([_csv_safe(h) for h in _headers(columns, labels)])
    batch: list[str] = []
    for row in _rows(form, responses, columns, labels=labels):
        row[1] = _csv_time(row[1], labels)
        batch.append(writer.writerow([_csv_safe(v) for v in row]))
        if len(batch) >= 500:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


# JSON --------------------------------------------------------------------------------------------


def export_json(form: Form, responses: QuerySet[Response], *, labels: bool) -> Iterator[str]:
    """A JSON array of one object per response, keyed by the codes (labels change the values
    only, so a program reading the file finds the same keys), streamed element by element."""
    columns = export_columns(form)
    keys = [c.key for c in columns]
    yield "["
    first = True
    batch: list[str] = []
    for row in _rows(form, responses, columns, labels=labels):
        row[1] = row[1].isoformat(timespec="seconds")
        text = json.dumps(dict(zip(keys, row, strict=True)), ensure_ascii=False)
        batch.append(("\n" if first else ",\n") + text)
        first = False
        if len(batch) >= 500:
            yield "".join(batch)
            batch = []
    yield "".join(batch) + "\n]\n"


# XLSX --------------------------------------------------------------------------------------------


def write_xlsx(form: Form, responses: QuerySet[Response], *, labels: bool, path) -> None:
    """Write the workbook to `path` (a file name): the responses, and a sheet that explains
    each column (question, type, choices) for whoever reads the codes. XlsxWriter's
    constant-memory mode writes each row to a temporary file as it comes; texts stay texts
    (never formulas, links or numbers)."""
    questions = form_questions(form)
    columns = export_columns(form, questions)
    workbook = xlsxwriter.Workbook(
        path,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "tmpdir": tempfile.gettempdir(),
        },
    )
    bold = workbook.add_format({"bold": True})
    when = workbook.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    sheet = workbook.add_worksheet(_("Phiếu trả lời"))
    sheet.set_column(0, 0, 38)
    sheet.set_column(1, 1, 17)
    sheet.set_column(2, len(columns) - 1, 16)
    sheet.freeze_panes(1, 1)
    sheet.write_row(0, 0, _headers(columns, labels), bold)
    for number, row in enumerate(_rows(form, responses, columns, labels=labels), start=1):
        submitted, row[1] = row[1], None
        sheet.write_row(number, 0, row)
        sheet.write_datetime(number, 1, submitted.replace(tzinfo=None), when)

    guide = workbook.add_worksheet(_("Giải thích cột"))
    guide.set_column(0, 0, 24)
    guide.set_column(1, 1, 50)
    guide.set_column(2, 2, 16)
    guide.set_column(3, 3, 60)
    guide.write_row(0, 0, [_("Mã cột"), _("Nội dung"), _("Loại"), _("Lựa chọn")], bold)
    for number, column in enumerate(columns, start=1):
        question = column.question
        kind = question.kind_label if question else ""
        choices = "; ".join(f"{c.name} = {c.label}" for c in question.choices) if question else ""
        if question and question.scale:
            choices = f"{question.point_label(question.scale[0])} … {question.point_label(question.scale[1])}"
        guide.write_row(number, 0, [column.key, column.header, kind, choices])
    workbook.close()
