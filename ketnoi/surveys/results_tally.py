"""A form's figures read from per-collection tallies instead of from every response's JSON.

A tally (models.CollectionTally) holds, for one collection, how often each answer value was
given, per form version and answer name: a rating's points, a choice, a multiple choice as
given ("a c"), a number, a date, a time, a ranking; for a free text, a point or a file only
that one was given (the value stays in the response); a calculation's number, or that it was a
text. The questions inside repeats are counted per row under "<repeat>/<name>", with each
response's number of rows under "<repeat>#rows" (see _count). Every figure the results page
shows — counts, percentages, means, extremes, distributions, medians — is a function of those
counts, so the page reads a few rows instead of 100,000 JSON documents. What cannot come from
them: a split by a question (it needs the answers of each response together) and a date filter
(the tallies are per collection, not per day); results.form_results reads the answers with
results_sql.Scan for those.

Never stale: before use, each tally is checked against its collection's responses in one query
(how many, and the last id). New responses are counted in; if the count does not add up — a
response removed, or committed late under a lower id on PostgreSQL — the collection's tally is
counted again from scratch. Saving is conditional on the row not having changed meanwhile; a
tally that cannot be saved (another request saved first, the database busy) is still used for
this page.

The figures a page reads from the tallies (`figures`) are kept in the cache under what they
depend on: the plan (what the page computes) and, for each collection, its responses' count
and last id and its tally row's own state. That check costs two small queries and never reads
a tally's counts; a new response (or a removed one, or a recounted tally) changes the key, so
the next page computes the figures again from the tallies and keeps them. Nothing is stale:
a key says exactly which responses its figures count.

The same plan drives both ways: results_sql.Scan records what it asks for (Scan.ops,
Scan.distributions, Scan.sources) and `evaluate` computes it with the arithmetic of the SQL,
so both give the same figures (tests/test_results_tally.py checks them against each other).
"""

import hashlib
import logging
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.core.cache.backends.db import DatabaseCache
from django.db import DatabaseError, transaction
from django.db.models import Count, Max, Q

from .models import CollectionTally, FormVersion, Response
from .results_questions import ANY, ROWS, key_classes, numeric, walk_with_repeat
from .results_sql import BINS, INTEGER_VALUES, Scan, ScanResult

log = logging.getLogger(__name__)

DATED = re.compile(r"[0-9]{4}-[0-9]{2}")  # results_sql._Context.dated
DAYS_MONTHS, MONTHS_YEARS = 3, 36  # results_sql.date_counts
CHUNK = 2000  # responses read at a time when counting


# Counting --------------------------------------------------------------------------------------


def _classes(version_ids: Iterable[int] | None = None, *, versions=None) -> dict[int, dict[str, str]]:
    """Answer key -> its kind (text, number, one, many, date, …, repeat) in each version of
    `version_ids`, or of the `versions` queryset. One query."""
    if versions is None:
        versions = FormVersion.objects.filter(pk__in=set(version_ids or ()))
    classes: dict[int, dict[str, str]] = {}
    for version_id, definition in versions.values_list("id", "definition"):
        found = classes.setdefault(version_id, {})
        raws = definition.get("questions") if isinstance(definition, dict) else None
        for raw, repeat in walk_with_repeat(raws if isinstance(raws, list) else []):
            found.update(key_classes(raw, repeat))
    return classes


GIVEN_ONLY = ("text", "geo", "media")  # only whether it was given: the value stays in the response


def _schema(kinds: dict[str, str]) -> dict:
    """A version's answer keys as a tree for counting without building names per value:
    name -> (key, class, the children's tree for a repeat else None); under None, the
    (name, key) of the repeats at that level (a row or response without one has 0 rows of it)."""
    root: dict = {None: []}
    trees = {"": root}
    for key in sorted(kinds, key=lambda k: k.count("/")):
        parent, _slash, name = key.rpartition("/")
        tree = trees.get(parent)
        if tree is None:  # a child of a key that is not a repeat in this version
            continue
        children = None
        if kinds[key] == "repeat":
            children = trees[key] = {None: []}
            tree[None].append((name, key))
        tree[name] = (key, kinds[key], children)
    return root


def _count(
    rows: Iterable[tuple[int, Any]], classes: dict[int, dict[str, str]], into: dict, schemas: dict | None = None
) -> int:
    """Add each response's answers to `into` ({version: {name: Counter}}); return how many.

    A repeat ("member") adds, per response, how many rows it has under "member#rows" (0 when the
    response has none: the engine then leaves the key out) and, per row, its children's values
    under "member/<child>" (nested: "member/visit/<child>", whose "member/visit#rows" counts the
    rows of each outer row); a single choice in a repeat also adds, per response, each value
    some row holds under "member/<child>#any". `schemas`: the versions' key trees already built
    (_schema), for a caller that counts one response at a time."""
    seen = 0
    schemas = {} if schemas is None else schemas
    for version_id, answers in rows:
        seen += 1
        if not isinstance(answers, dict):
            continue
        schema = schemas.get(version_id)
        if schema is None:
            schema = schemas[version_id] = _schema(classes.get(version_id, {}))
        per_name = into.setdefault(version_id, {})
        present: set[tuple[str, Any]] = set()
        _count_object(answers, schema, per_name, present, False)
        for key, value in present:
            _add(per_name, f"{key}{ANY}", value)
    return seen


def _add(per_name: dict, name: str, value: Any) -> None:
    counter = per_name.get(name)
    if counter is None:
        counter = per_name[name] = Counter()
    counter[value] += 1


def _count_object(answers: dict, schema: dict, per_name: dict, present: set, in_row: bool) -> None:
    for name, value in answers.items():
        entry = schema.get(name)
        if entry is None or value is None or value == "":
            continue
        key, kind, children = entry
        if children is not None:
            if isinstance(value, list):
                rows = [row for row in value if isinstance(row, dict)]
                _add(per_name, f"{key}{ROWS}", len(rows))
                for row in rows:
                    _count_object(row, children, per_name, present, True)
            continue
        # Only whether it was given (the value stays in the response), or a calculation's number:
        # whatever the value, as the SQL counts a non-empty value as given.
        if kind in GIVEN_ONLY:
            value = 1
        elif kind == "calc":
            number = numeric(value)
            value = "t" if number is None else number  # a text calculation is counted, never kept
        elif isinstance(value, bool | list | dict):
            continue
        elif in_row and kind == "one":
            present.add((key, value))
        counter = per_name.get(key)
        if counter is None:
            counter = per_name[key] = Counter()
        counter[value] += 1
    for name, key in schema[None]:
        if answers.get(name) is None or answers.get(name) == "":  # left out (as the engine stores no rows)
            _add(per_name, f"{key}{ROWS}", 0)


def _loaded(stored: dict) -> dict:
    return {
        int(version): {name: Counter(dict(pairs)) for name, pairs in names.items()}
        for version, names in (stored or {}).items()
    }


def _dumped(counts: dict) -> dict:
    return {
        str(version): {name: [[value, n] for value, n in counter.items()] for name, counter in names.items()}
        for version, names in counts.items()
    }


@dataclass
class Tally:
    collection_id: int
    responses: int
    counts: dict  # {version id: {answer name: Counter(value -> n)}}


def _live(ids: list[int]) -> dict[int, tuple[int, int]]:
    """Collection id -> (how many responses, the last id) for those with responses. One query."""
    return {
        cid: (n, last)
        for cid, n, last in Response.objects.filter(collection_id__in=ids)
        .order_by()
        .values("collection_id")
        .annotate(n=Count("id"), last=Max("id"))
        .values_list("collection_id", "n", "last")
    }


def tallies(collection_ids: Iterable[int], *, live: dict[int, tuple[int, int]] | None = None) -> list[Tally]:
    """The tallies of these collections, brought up to date with their responses: two
    queries when nothing changed, one more to read the new responses, one per tally saved.
    `live`: what _live already found for these ids."""
    ids = sorted(set(collection_ids))
    if not ids:
        return []
    if live is None:
        live = _live(ids)
    stored = {t.collection_id: t for t in CollectionTally.objects.filter(collection_id__in=live)}
    result, stale = [], {}
    for cid, (n, last) in live.items():
        tally = stored.get(cid)
        if tally is not None and tally.responses == n and tally.through_id == last:
            result.append(Tally(cid, n, _loaded(tally.counts)))
        elif tally is not None and tally.through_id < last and tally.responses < n:
            stale[cid] = (tally.through_id, last)  # count the newer responses in
        else:
            stale[cid] = (0, last)  # count them all
    if stale:
        result.extend(_refresh(stale, live, stored))
    return result


def _refresh(stale: dict[int, tuple[int, int]], live: dict, stored: dict) -> list[Tally]:
    """Count the responses each stale tally lacks, read in chunks (never all at once)."""
    condition = Q()
    for cid, (after, last) in stale.items():
        condition |= Q(collection_id=cid, id__gt=after, id__lte=last)
    classes = _classes(versions=FormVersion.objects.filter(form__collections__in=list(stale)).distinct())
    counts = {cid: _loaded(stored[cid].counts) if after else {} for cid, (after, _last) in stale.items()}
    totals = {cid: stored[cid].responses if after else 0 for cid, (after, _last) in stale.items()}
    rows = Response.objects.filter(condition).order_by().values_list("collection_id", "version_id", "answers")
    schemas: dict[int, dict] = {}
    for cid, version_id, answers in rows.iterator(chunk_size=CHUNK):
        totals[cid] += _count([(version_id, answers)], classes, counts[cid], schemas)
    refreshed = []
    for cid, (_after, last) in stale.items():
        if totals[cid] != live[cid][0]:
            # Something changed below the last id counted: count the collection again.
            everything = Response.objects.filter(collection_id=cid, id__lte=last).order_by()
            counts[cid] = {}
            totals[cid] = _count(
                everything.values_list("version_id", "answers").iterator(chunk_size=CHUNK), classes, counts[cid]
            )
        refreshed.append(Tally(cid, totals[cid], counts[cid]))
    _save(refreshed, {cid: last for cid, (_after, last) in stale.items()})
    return refreshed


def _save(refreshed: list[Tally], through: dict[int, int]) -> None:
    """Keep the tallies for the next page, in one statement. Each row is whole by itself (its
    counts are those of its `responses` responses up to `through_id`), so whichever of two
    racing requests writes last, the next page checks the row against the responses again.
    A database too busy to write now costs the next page a recount, never this page."""
    rows = [
        CollectionTally(
            collection_id=t.collection_id,
            through_id=through[t.collection_id],
            responses=t.responses,
            counts=_dumped(t.counts),
        )
        for t in refreshed
    ]
    try:
        with transaction.atomic():
            CollectionTally.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["collection"],
                update_fields=["through_id", "responses", "counts", "updated_at"],
            )
    except DatabaseError as error:  # derived data: never fail the page for it
        log.info("tallies not saved (%s)", error)


def forget(collection_ids: Iterable[int]) -> None:
    """Drop the tallies of these collections (their responses were changed, not only added)."""
    CollectionTally.objects.filter(collection_id__in=list(collection_ids)).delete()


# The figures kept in the cache ----------------------------------------------------------------

CACHE_SECONDS = 7 * 24 * 3600  # a key never goes stale (see the module's text); this only frees room


def _plan_key(scan: Scan) -> str:
    """What `evaluate` reads of the plan, as text: its figures, distributions and columns (the
    answer key, how it is read and which versions count)."""
    sources = [
        (alias, key, reading, question.versions.get(key)) for alias, (question, key, reading) in scan.sources.items()
    ]
    return repr((scan.ops, scan.distributions, sources))


def state(collection_ids: Iterable[int]) -> tuple[dict[int, tuple[int, int]], str | None]:
    """(_live of these collections, a text naming exactly which responses they hold), the text
    None when a tally is not up to date with its responses. Two queries, never a tally's counts:
    the responses' count and last id per collection, and each tally row's own state."""
    ids = sorted(set(collection_ids))
    live = _live(ids) if ids else {}
    states = (
        {
            cid: (through, n, str(updated))
            for cid, through, n, updated in CollectionTally.objects.filter(collection_id__in=live)
            .order_by()
            .values_list("collection_id", "through_id", "responses", "updated_at")
        }
        if live
        else {}
    )
    if any(states.get(cid, (None, None))[:2] != (last, n) for cid, (n, last) in live.items()):
        return live, None
    return live, hashlib.sha256(repr((ids, sorted(states.items()))).encode()).hexdigest()


def cached(key: str, compute: Callable[[], Any]) -> Any:
    """compute() kept in the cache under `key` (which names what it depends on, see `state`).
    The cache busy or full never fails the page: the value is then computed each time."""
    key = f"surveys.tally.v1.{key}"
    try:
        found = cache.get(key)
    except DatabaseError as error:
        log.info("not read from the cache (%s)", error)
        found = None
    if found is not None:
        return found
    found = compute()
    try:
        # The database cache writes in a savepoint, so that a busy database spoils no caller's transaction.
        with transaction.atomic() if isinstance(cache, DatabaseCache) else nullcontext():
            cache.set(key, found, CACHE_SECONDS)
    except DatabaseError as error:  # derived data: never fail the page for it
        log.info("not kept in the cache (%s)", error)
    return found


def figures(
    scan: Scan, collection_ids: Iterable[int], *, per_collection: bool = False, known: tuple | None = None
) -> ScanResult:
    """evaluate(scan, tallies(collection_ids)) — grouped by collection when `per_collection` —
    read from the cache when the tallies have not changed since it was kept: then two queries
    (`state`) and one cache read. `known`: what `state` already returned for these ids."""
    ids = sorted(set(collection_ids))
    group_of = (lambda pk: pk) if per_collection else None
    if not ids:
        return evaluate(scan, [], group_of)
    live, key = known if known is not None else state(ids)
    if key is None:
        # Responses came or went: count them into the tallies now; the next page keeps the figures.
        return evaluate(scan, tallies(ids, live=live), group_of)
    plan = hashlib.sha256(repr((per_collection, _plan_key(scan))).encode()).hexdigest()
    return cached(f"{key}.figures.{plan}", lambda: evaluate(scan, tallies(ids, live=live), group_of))


# Computing the Scan's figures from tallies -----------------------------------------------------


@dataclass
class _Group:
    responses: int = 0
    counts: dict = field(default_factory=dict)  # name -> version -> Counter


def _read(value: Any, reading: str) -> Any:
    """A counted value as the SQL column would hold it (results_questions: answer_number,
    filled(answer_value), given, padded); None where the column would be NULL."""
    if reading == "number":
        return float(value) if isinstance(value, int | float) else None
    if reading == "given":
        return 1
    if reading == "numeric":
        return numeric(value)
    if reading == "padded":
        return f" {value} "
    return str(value)  # a number where a text belongs (never stored so) still compares with texts


def _column(group: _Group, question, key: str, reading: str) -> Counter:
    allowed = question.versions.get(key)
    column: Counter = Counter()
    for version, counter in group.counts.get(key, {}).items():
        if allowed is not None and version not in allowed:
            continue
        for value, n in counter.items():
            read = _read(value, reading)
            if read is not None:
                column[read] += n
    return column


def _middle(column: Counter) -> list[float]:
    """The one or two middle values, as results_sql._middle ranks them."""
    total = sum(column.values())
    if not total:
        return []
    wanted = sorted({(total + 1) // 2, total // 2 + 1})
    found, seen = [], 0
    for value in sorted(column):
        seen += column[value]
        while wanted and wanted[0] <= seen:
            found.append(value)
            wanted.pop(0)
    return found


def _aggregate(op: str, column: Counter | None, argument: Any, responses: int) -> Any:
    if op == "rows":
        return responses
    if op == "count":
        return sum(column.values())
    if op == "equal":
        return column.get(argument, 0)
    if op == "holding":
        return sum(n for value, n in column.items() if argument in value)
    if op == "first":
        return sum(n for value, n in column.items() if value.startswith(argument))
    if op == "rank":
        places = [
            (value[: value.index(argument) + 1].count(" "), n) for value, n in column.items() if argument in value
        ]
        return math.fsum(p * n for p, n in places) / sum(n for _p, n in places) if places else None
    if not column:
        return None
    if op == "total":
        return math.fsum(value * n for value, n in column.items())
    if op == "mean":
        return math.fsum(value * n for value, n in column.items()) / sum(column.values())
    if op == "least":
        return min(column)
    if op == "most":
        return max(column)
    raise ValueError(op)


def _integer_buckets(everything: Counter) -> tuple[Callable[[float], int], bool]:
    """Per value when the values span fewer than INTEGER_VALUES, else per range of
    ceil((span + 1) / BINS) values with the middle values looked up (results_sql.integer_counts)."""
    low, high = min(everything), max(everything)
    if high - low < INTEGER_VALUES:
        return int, False
    width, start = (int(high) - int(low) + BINS) // BINS, int(low)
    return (lambda v: (int(v) - start) // width), True


def _decimal_buckets(everything: Counter) -> tuple[Callable[[float], int], bool]:
    low, high = min(everything), max(everything)
    if high == low:
        return (lambda v: 0), True
    edges = [low + i * ((high - low) / BINS) for i in range(1, BINS)]
    return (lambda v: next((i for i, edge in enumerate(edges) if v < edge), BINS - 1)), True


def _date_buckets(everything: Counter) -> tuple[Callable[[str], str], bool]:
    low, high = min(everything), max(everything)
    length = 4
    if DATED.match(low) and DATED.match(high):
        months = int(high[:4]) * 12 + int(high[5:7]) - (int(low[:4]) * 12 + int(low[5:7]))
        length = 10 if months <= DAYS_MONTHS else 7 if months < MONTHS_YEARS else 4
    return (lambda v: v[:length]), False


BUCKETS = {"integer": _integer_buckets, "decimal": _decimal_buckets, "date": _date_buckets}


def evaluate(scan: Scan, found: list[Tally], group_of: Callable[[int], Any] | None = None) -> ScanResult:
    """What scan.run would return over the responses of these tallies, grouped by
    group_of(collection id) when given (the groups that have responses), else as one group."""
    groups: dict[Any, _Group] = {}
    if group_of is None:
        groups[None] = _Group()
    for tally in found:
        if not tally.responses:
            continue
        group = groups.setdefault(group_of(tally.collection_id) if group_of else None, _Group())
        group.responses += tally.responses
        for version, names in tally.counts.items():
            for name, counter in names.items():
                group.counts.setdefault(name, {}).setdefault(version, Counter()).update(counter)

    columns = {
        alias: {g: _column(group, *source) for g, group in groups.items()} for alias, source in scan.sources.items()
    }
    result = ScanResult()
    for g, group in groups.items():
        result.wide[g] = {
            name: _aggregate(op, columns[alias][g] if alias else None, argument, group.responses)
            for op, name, alias, argument in scan.ops
        }
    for kind, name, alias in scan.distributions:
        everything: Counter = Counter()  # the ranges are over every group, as r is in the SQL
        for column in columns[alias].values():
            everything.update(column)
        if not everything:
            continue
        if kind.startswith("prefix"):
            length = int(kind.removeprefix("prefix"))
            bucket, with_middles = (lambda v, length=length: str(v)[:length]), False
        else:
            bucket, with_middles = BUCKETS[kind](everything)
        for g, column in columns[alias].items():
            if not column:
                continue
            counted: Counter = Counter()
            for value, n in column.items():
                counted[bucket(value)] += n
            result.counts.setdefault(name, {})[g] = list(counted.items())
            if with_middles:
                result.middles.setdefault(name, {})[g] = _middle(column)
    return result
