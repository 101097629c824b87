"""A form's responses as CSV, XLSX or JSON, as KoboToolbox users expect them.

Tables: one row per response — its UUID, when it was submitted, the collection and its context
(class, campus, semester, lecturer, city, session), the version answered, one column per answer
(each matrix item its own column, a multiple choice or ranking as its space-separated codes or
its labels joined by "; ", "other" texts under `<name>_other`, a geopoint split into
`_<name>_latitude` … as well), and `_index`, its running number — then one table per repeat,
nested repeats included, joined to their parent rows by `_index`, `_parent_index`,
`_parent_table_name` and `_submission_uuid` (exports_rows). With `labels` the headers and
choices are the texts people read; without, the codes, for R, SPSS or Stata.

- XLSX: a sheet per table and a sheet that explains each column. Dates, datetimes (local time)
  and times are real date cells; numbers are numbers.
- CSV: one file when the form has no repeats; a .zip of one CSV per table when it has some.
- JSON: an array of one object per response, nested as the answers are (a repeat is a list of
  objects); labels change the values, never the keys.

Bounded memory for any number of responses: the responses are read once, in chunks
(exports_rows); CSV and JSON are generators for a StreamingHttpResponse (the zip's repeat files
are spooled to temporary files while the main file streams); XLSX is written by exports_xlsx,
which writes each sheet's rows to its own temporary file as they come and zips them at the end
(XlsxWriter's constant-memory mode did the same at ten times the cost per cell).

Respondents are anonymous members of the public, so a text that starts like a spreadsheet
formula (=, +, -, @) is written so that no spreadsheet runs it: prefixed with ' in CSV, stored
as a string cell in XLSX.
"""

import contextlib
import csv
import io
import json
import re
import tempfile
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from . import exports_xlsx
from .exports_rows import all_columns, headers, meta_columns, nested, responses_read, table_rows
from .exports_schema import Schema, Table, form_schema, media_link_maker
from .models import Form, Response

CSV_TYPE = "text/csv; charset=utf-8"
ZIP_TYPE = "application/zip"
JSON_TYPE = "application/json; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FORMULA_FIRST = frozenset(FORMULA_START)
SIMPLE = frozenset((int, float, type(None)))  # cells CSV writes as they are
PLAIN_NUMBER = re.compile(r"^[+-]?\d+([.,]\d+)?$")
BATCH = 500  # rows joined into one piece of a streamed body
SPOOL_BYTES = 4 * 2**20  # a repeat's CSV stays in memory up to this size, then goes to disk
SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
FILE_NAME_BAD = re.compile(r"[^A-Za-z0-9_.-]")


def _schema(form: Form, *, labels: bool, site: str) -> Schema:
    return form_schema(form, labels=labels, media_link=media_link_maker(form, site))


def _unique(wanted: str, taken: set[str], limit: int) -> str:
    """`wanted` cut to `limit` characters, with "~2", "~3" … when a name (any case) is taken."""
    name, number = wanted[:limit], 1
    while name.casefold() in taken:
        number += 1
        suffix = f"~{number}"
        name = wanted[: limit - len(suffix)] + suffix
    taken.add(name.casefold())
    return name


# CSV ---------------------------------------------------------------------------------------------


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START) and not PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def _csv_cell(value: Any) -> Any:
    """One cell as CSV writes it; called for every cell, hence exact type tests."""
    kind = type(value)
    if kind is str:
        if value[:1] in FORMULA_FIRST and not PLAIN_NUMBER.match(value):
            return "'" + value
        return value
    if kind is datetime:
        return value.isoformat(timespec="seconds")
    if kind is date or kind is time:
        return value.isoformat()
    return value


def _csv_row(row: list) -> list:
    """A table row's cells as CSV writes them (numbers and empty cells, the most, as they are)."""
    return [v if type(v) in SIMPLE else _csv_cell(v) for v in row]


def _main_csv_row(row: list, labels: bool) -> list:
    cells = _csv_row(row)
    if labels:
        cells[1] = row[1].strftime("%d/%m/%Y %H:%M")
    return cells


def csv_names(form: Form, schema: Schema) -> dict[Table, str]:
    """Each table's CSV name without `.csv`: the form's code, then the repeats' names."""
    taken: set[str] = set()
    return {t: _unique(FILE_NAME_BAD.sub("_", t.name or form.code) or "form", taken, 60) for t in schema.tables}


def export_csv(
    form: Form, responses: QuerySet[Response], *, labels: bool, site: str = "", schema: Schema | None = None
) -> Iterator[str]:
    """The responses table as CSV text in pieces, starting with a UTF-8 byte order mark so that
    Excel reads the Vietnamese right (the whole export of a form without repeats)."""
    schema = schema or _schema(form, labels=labels, site=site)
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([_csv_safe(h) for h in headers(schema.main, labels=labels)])
    batch: list[str] = []
    for table, row in table_rows(form, responses, schema, csv_names(form, schema)):
        if table is not schema.main:
            continue
        batch.append(writer.writerow(_main_csv_row(row, labels)))
        if len(batch) >= BATCH:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


class _Sink(io.RawIOBase):
    """Where the zip is written: kept until the generator hands the bytes on. Not seekable, so
    zipfile writes each entry's sizes after its data."""

    def __init__(self):
        self.parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def export_csv_zip(
    form: Form, responses: QuerySet[Response], *, labels: bool, site: str = "", schema: Schema | None = None
) -> Iterator[bytes]:
    """A .zip of one CSV per table, streamed: the responses' CSV is compressed as it is read,
    each repeat's CSV spooled to a temporary file meanwhile and added after."""
    schema = schema or _schema(form, labels=labels, site=site)
    names = csv_names(form, schema)
    sink = _Sink()
    with contextlib.ExitStack() as stack:
        spools = {
            table: stack.enter_context(
                tempfile.SpooledTemporaryFile(SPOOL_BYTES, mode="w+", encoding="utf-8", newline="", errors="replace")
            )
            for table in schema.tables[1:]
        }
        archive = stack.enter_context(zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1))
        with archive.open(f"{names[schema.main]}.csv", "w", force_zip64=True) as entry:
            text = io.TextIOWrapper(entry, encoding="utf-8", newline="", errors="replace")
            main_writer = csv.writer(text)
            writers = {table: csv.writer(spool) for table, spool in spools.items()}
            text.write("\ufeff")
            main_writer.writerow([_csv_safe(h) for h in headers(schema.main, labels=labels)])
            for table, spool in spools.items():
                spool.write("\ufeff")
                writers[table].writerow([_csv_safe(h) for h in headers(table, labels=labels)])
            count = 0
            for table, row in table_rows(form, responses, schema, names):
                if table is schema.main:
                    main_writer.writerow(_main_csv_row(row, labels))
                    count += 1
                    if count % BATCH == 0:
                        text.flush()
                        yield sink.take()
                else:
                    writers[table].writerow(_csv_row(row))
            text.flush()
            text.detach()  # the entry is closed by its own `with`, not by the wrapper
        yield sink.take()
        for table, spool in spools.items():
            spool.seek(0)
            with archive.open(f"{names[table]}.csv", "w", force_zip64=True) as entry:
                while piece := spool.read(2**20):
                    entry.write(piece.encode("utf-8"))
                    yield sink.take()
        archive.close()  # writes the central directory into the sink
    yield sink.take()


def csv_download(
    form: Form, responses: QuerySet[Response], *, labels: bool, site: str = ""
) -> tuple[Iterator, str, str]:
    """(body, content type, file extension) of the CSV download: one CSV, or a .zip of CSVs
    when the form has repeats."""
    schema = _schema(form, labels=labels, site=site)
    if schema.has_repeats:
        return export_csv_zip(form, responses, labels=labels, schema=schema), ZIP_TYPE, "zip"
    return export_csv(form, responses, labels=labels, schema=schema), CSV_TYPE, "csv"


# JSON --------------------------------------------------------------------------------------------


def _json_value(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def export_json(form: Form, responses: QuerySet[Response], *, labels: bool, site: str = "") -> Iterator[str]:
    """A JSON array of one object per response, keyed by the codes (labels change the values
    only, so a program reading the file finds the same keys), streamed element by element."""
    schema = _schema(form, labels=labels, site=site)
    meta_keys = [c.key for c in meta_columns()]
    yield "["
    first = True
    batch: list[str] = []
    for meta, answers in responses_read(form, responses, schema):
        record = {**dict(zip(meta_keys, meta, strict=True)), **nested(schema.main, answers)}
        text = json.dumps(record, ensure_ascii=False, default=_json_value)
        batch.append(("\n" if first else ",\n") + text)
        first = False
        if len(batch) >= BATCH:
            yield "".join(batch)
            batch = []
    yield "".join(batch) + "\n]\n"


# XLSX --------------------------------------------------------------------------------------------


def sheet_names(schema: Schema) -> dict[Table, str]:
    """Each table's sheet name: Excel's rules (≤ 31 characters, none of []:*?/\\, not starting
    or ending with an apostrophe, unique whatever the case), the explanation sheet's kept free."""
    taken = {_("Giải thích cột").casefold(), "history"}
    names = {}
    for table in schema.tables:
        wanted = SHEET_NAME_BAD.sub("_", table.name or table.label).strip("'") or "_"
        names[table] = _unique(wanted, taken, 31)
    return names


def write_xlsx(form: Form, responses: QuerySet[Response], *, labels: bool, path, site: str = "") -> None:
    """Write the workbook to `path` (a file name): a sheet per table, and a sheet that explains
    each column (question, type, choices) for whoever reads the codes. Texts stay texts (never
    formulas, links or numbers); a text over Excel's cell limit is cut there (exports_xlsx)."""
    schema = _schema(form, labels=labels, site=site)
    names = sheet_names(schema)
    workbook = exports_xlsx.Workbook(path)
    try:
        sheets = {}
        for table in schema.tables:
            header = headers(table, labels=labels)
            if table is schema.main:
                widths, freeze = [(0, 0, 38), (1, 1, 17), (2, len(header) - 1, 16)], (1, 1)
            else:
                widths, freeze = [(0, len(header) - 1, 16)], (0, 1)
            sheets[table] = workbook.add_sheet(names[table], widths=widths, freeze=freeze)
            sheets[table].write_row(header, exports_xlsx.BOLD)
        for table, row in table_rows(form, responses, schema, names):
            sheets[table].write_row(row)
        _write_guide(workbook, schema, names)
    finally:
        workbook.close()


def _write_guide(workbook: exports_xlsx.Workbook, schema: Schema, names: dict[Table, str]) -> None:
    widths = [(0, 0, 24), (1, 1, 50), (2, 2, 16), (3, 3, 60), (4, 4, 24)]
    guide = workbook.add_sheet(_("Giải thích cột"), widths=widths, freeze=(0, 1))
    guide.write_row([_("Mã cột"), _("Nội dung"), _("Loại"), _("Lựa chọn"), _("Trang tính")], exports_xlsx.BOLD)
    for table in schema.tables:
        for key, column in all_columns(table):
            choices = column.guide or "; ".join(f"{code} = {text}" for code, text in column.choices.items())
            guide.write_row([key, str(column.header), column.kind_label if column.kind else "", choices, names[table]])
