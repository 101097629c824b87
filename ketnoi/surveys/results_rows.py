"""The figures of the questions inside repeats when they cannot come from the tallies (a date
filter, a split): one Python pass over the filtered responses' repeat arrays.

Why not SQL: unpacking a JSON array per response (json_each on SQLite, jsonb_array_elements on
PostgreSQL) differs between the databases and multiplies the rows the statement of results_sql
reads by the rows of every repeat. Instead the answers' repeat keys alone (not the whole JSON)
are read in chunks of CHUNK responses by one query (a server-side cursor on PostgreSQL), and
counted into per-group counters exactly as a tally counts them (results_tally._count), whose
figures results_tally.evaluate then computes: memory holds the counters and one chunk, never
all the responses. The cost grows with the responses (about a second per 100,000 with three
rows each); the usual page — whole collections, no split — reads the tallies instead and stays
fast, which is why the tallies count repeat rows too.
"""

from collections import defaultdict
from typing import Any

from django.db.models import Expression, QuerySet
from django.db.models.fields.json import KeyTransform

from .models import Form, FormVersion, Response
from .results_questions import Question
from .results_sql import Scan, ScanResult
from .results_tally import Tally, _classes, _count, evaluate

CHUNK = 2000


def _top_repeats(questions: list[Question]) -> list[str]:
    """The top-level repeats holding these questions (a nested repeat is read with its outer one)."""
    return sorted({(question.path if not question.repeat else question.repeat).split("/")[0] for question in questions})


def figures(
    scan: Scan, form: Form, responses: QuerySet[Response], questions: list[Question], group: Expression | None
) -> ScanResult:
    """What evaluate(scan, …) gives over `responses`, grouped by `group` (a split's answer) when
    given: two queries (the versions' kinds and the chunked read)."""
    repeats = _top_repeats(questions)
    classes = _classes(versions=FormVersion.objects.filter(form=form))
    fields: dict[str, Expression] = {f"_r{i}": KeyTransform(name, "answers") for i, name in enumerate(repeats)}
    if group is not None:
        fields["_g"] = group
    rows = responses.order_by().annotate(**fields).values_list("version_id", *fields)
    counts: dict[Any, dict] = defaultdict(dict)
    seen: dict[Any, int] = defaultdict(int)
    schemas: dict[int, dict] = {}
    for version_id, *values in rows.iterator(chunk_size=CHUNK):
        key = values.pop() if group is not None else None
        answers = {name: value for name, value in zip(repeats, values, strict=True) if value is not None}
        seen[key] += _count([(version_id, answers)], classes, counts[key], schemas)
    tallies = [Tally(key, n, counts[key]) for key, n in seen.items()]
    return evaluate(scan, tallies, (lambda key: key) if group is not None else None)


def merge(into: ScanResult, more: ScanResult) -> None:
    """Add the figures of `more` to `into` (their names never overlap but for "responses")."""
    for g, figures_of_group in more.wide.items():
        known = into.wide.setdefault(g, {})
        known.update({name: value for name, value in figures_of_group.items() if name not in known})
    into.counts.update(more.counts)
    into.middles.update(more.middles)
