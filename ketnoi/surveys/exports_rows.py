"""The rows of an export, read once from the database: for each response, its row in the
responses table and then the rows of its repeats, depth first — so each table's rows come in
order, which is what XlsxWriter's constant-memory mode needs (each sheet flushes row by row)
and what lets the CSV zip stream its main file while the repeats' files are spooled.

Join keys as KoboToolbox users know them: `_index` numbers the rows of each table from 1 (the
responses' running number in the responses table); a repeat row's `_parent_index` is the
`_index` of the row it belongs to (the response's, or the outer repeat row's),
`_parent_table_name` names that row's table (the sheet, or the CSV file without `.csv`), and
`_submission_uuid` is the response's UUID.

Memory stays bounded: `.values_list(…).iterator()` reads the responses in chunks.
"""

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .exports_schema import JOIN_KEYS, MEDIA_UUID_KEY, Column, Schema, Table
from .models import Form, Response
from .results_filters import CONTEXT_LABELS, form_collections
from .services import CONTEXT_KEYS

CHUNK = 2000


def meta_columns() -> list[Column]:
    """The columns about the response, before its answers."""
    return [
        Column("_uuid", _("Mã phiếu")),
        Column("_submitted_at", _("Thời điểm gửi")),
        Column("_collection", _("Đợt khảo sát")),
        *(Column(f"_{key}", str(CONTEXT_LABELS[key])) for key in CONTEXT_KEYS),
        Column("_version", _("Phiên bản")),
        Column("_instance_name", _("Tên phiếu")),  # XLSForm's instance_name, "" without one
    ]


def headers(table: Table, *, labels: bool) -> list[str]:
    """A table's header row. The join keys keep their codes in both modes: they are what the
    readers' scripts join on."""
    answers = [c.header if labels else c.key for c in table.columns]
    if table.parent is None:
        return [*(c.header if labels else c.key for c in meta_columns()), *answers, "_index"]
    return [*answers, *JOIN_KEYS]


def all_columns(table: Table) -> list[tuple[str, Column]]:
    """(key, column) of every cell of a table's rows, for the explanation sheet."""
    if table.parent is None:
        return [(c.key, c) for c in (*meta_columns(), *table.columns)] + [("_index", Column("_index", "_index"))]
    return [(c.key, c) for c in table.columns] + [(key, Column(key, key)) for key in JOIN_KEYS]


def responses_read(form: Form, responses: QuerySet[Response], schema: Schema) -> Iterator[tuple[list, dict]]:
    """Each response as (its meta cells, its answers object), oldest first. The answers object
    carries the response's UUID under MEDIA_UUID_KEY for the media columns' links."""
    collections = {c.pk: c for c in form_collections(form)}
    local = timezone.get_current_timezone()
    rows = (
        responses.order_by("submitted_at", "id")
        .values_list("uuid", "instance_name", "submitted_at", "collection_id", "version_id", "answers")
        .iterator(chunk_size=CHUNK)
    )
    for response_uuid, name, submitted_at, collection_id, version_id, answers in rows:
        collection = collections.get(collection_id)
        context = collection.context if collection else {}
        uuid_text = str(response_uuid)
        meta = [
            uuid_text,
            submitted_at.astimezone(local),
            collection.title if collection else "",
            *(context.get(key, "") for key in CONTEXT_KEYS),
            schema.versions.get(version_id),
            name,
        ]
        answers = answers if isinstance(answers, dict) else {}
        answers[MEDIA_UUID_KEY] = uuid_text
        yield meta, answers


def table_rows(
    form: Form, responses: QuerySet[Response], schema: Schema, names: dict[Table, str]
) -> Iterator[tuple[Table, list]]:
    """(table, cells) for every row of every table: a response's row, then its repeats' rows
    depth first. `names` are the tables' names as the file shows them (sheet or CSV name)."""
    counters = dict.fromkeys(schema.tables, 0)
    readers = {table: [c.read for c in table.columns] for table in schema.tables}
    main = schema.main

    def repeat_rows(table: Table, answers: dict, parent_index: int, uuid_text: str) -> Iterator[tuple[Table, list]]:
        for child in table.children:
            rows = answers.get(child.name)
            if not isinstance(rows, list):
                continue
            for row in rows:
                if not isinstance(row, dict):
                    continue
                row[MEDIA_UUID_KEY] = uuid_text
                counters[child] += 1
                index = counters[child]
                cells = [read(row) for read in readers[child]]
                cells += (index, parent_index, names[table], uuid_text)
                yield child, cells
                if child.children:
                    yield from repeat_rows(child, row, index, uuid_text)

    for meta, answers in responses_read(form, responses, schema):
        counters[main] += 1
        index = counters[main]
        meta += [read(answers) for read in readers[main]]
        meta.append(index)
        yield main, meta
        if main.children:
            yield from repeat_rows(main, answers, index, answers[MEDIA_UUID_KEY])


def nested(table: Table, answers: dict) -> dict[str, Any]:
    """The answers object as the JSON export gives it: each column's cell under its code, each
    repeat a list of such objects, in the order the form asks them."""
    record: dict[str, Any] = {}
    for item in table.items:
        if isinstance(item, Table):
            rows = answers.get(item.name)
            rows = rows if isinstance(rows, list) else []
            uuid_text = answers.get(MEDIA_UUID_KEY, "")
            record[item.name] = [
                nested(item, {**row, MEDIA_UUID_KEY: uuid_text}) for row in rows if isinstance(row, dict)
            ]
        elif item.in_json:
            record[item.key] = item.read(answers)
    return record
