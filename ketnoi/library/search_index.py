"""The full-text index over passages, BM25-ranked on both databases, written in the caller's
transaction so that it is never stale.

Each passage is indexed in six columns: head (title, subjects, creators — only the metadata
passage has one) and body, each as exact syllables, folded syllables and folded syllable pairs
(see `tokens.py`). A query is a list of `Term`s, each looked for in one group of columns.

- SQLite: an FTS5 table (`library_fts`, rowid = passage id) ranked by FTS5's own `bm25()`
  with column weights.
- PostgreSQL: `library_search_terms` keeps each passage's term counts in a JSONB object with a
  GIN index; the query computes the same BM25 as FTS5 (same idf, k1, b, weights and length
  normalisation over all columns), so both databases rank the same documents the same way.
  `library_search_stats` holds the passage and token totals, updated in the same transaction.

The tables are created by migration 0002 for the database in use; they are not Django models.
"""

import json
import math
import os
from collections import Counter
from dataclasses import dataclass

from django.db import connection

from . import tokens
from .models import Document, DocumentFile, Passage, TermStat
from .passages import split_pages

COLUMNS = ("he", "hf", "hp", "be", "bf", "bp")
# Column groups a term is looked for in.
EXACT, FOLDED, PAIRS = ("he", "be"), ("hf", "bf"), ("hp", "bp")
# BM25 column weights: the head (title, subjects, creators) counts more than the body, a pair
# of syllables more than a single one, and an exact syllable adds to its folded twin.
WEIGHTS = {"he": 3.0, "hf": 4.0, "hp": 6.0, "be": 0.75, "bf": 1.0, "bp": 1.5}
K1, B = 1.2, 0.75


@dataclass(frozen=True)
class Term:
    text: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Hit:
    document_id: int
    score: float  # higher is better
    passage_id: int  # the best passage (the metadata passage when the title won)
    passages: int
    text_passage_id: int | None = None  # the best passage of the document's files, to quote


def _vendor() -> str:
    return connection.vendor


def passage_columns(heading: str, text: str) -> dict[str, list[str]]:
    head = tokens.fields(heading)
    body = tokens.fields(text)
    return dict(zip(COLUMNS, (*head, *body), strict=True))


# Writing ----------------------------------------------------------------------------------------


GROUP_OF = {"he": "e", "be": "e", "hf": "f", "bf": "f", "hp": "p", "bp": "p"}
TOTAL = ""  # the TermStat row that holds the number of passages


def stat_key(term: Term) -> str:
    """The TermStat key of a term: its column group and its text ("f:hoi")."""
    return f"{GROUP_OF[term.columns[0]]}:{term.text}"


def _stat_keys(cols: dict[str, list[str]]) -> set[str]:
    return {f"{GROUP_OF[column]}:{term}" for column in COLUMNS for term in cols[column]}


def _count_terms(counts: Counter, sign: int) -> None:
    """Add (or, with sign -1, take away) passages per term, in one statement per batch."""
    if not counts:
        return
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO library_termstat(term, rows) VALUES (%s, %s) "
            "ON CONFLICT(term) DO UPDATE SET rows = library_termstat.rows + excluded.rows",
            [(term, sign * n) for term, n in counts.items()],
        )


def _index(passages: list[Passage]) -> None:
    if not passages:
        return
    rows = [(p.pk, p.document_id, passage_columns(p.heading, p.text)) for p in passages]
    counts: Counter[str] = Counter({TOTAL: len(rows)})
    for _pk, _doc, cols in rows:
        counts.update(_stat_keys(cols))
    _count_terms(counts, 1)
    with connection.cursor() as cursor:
        if _vendor() == "sqlite":
            cursor.executemany(
                "INSERT INTO library_fts(rowid, he, hf, hp, be, bf, bp) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                [(pk, *(" ".join(cols[c]) for c in COLUMNS)) for pk, _doc, cols in rows],
            )
            return
        values = []
        total_tokens = 0
        for pk, document_id, cols in rows:
            term_counts: Counter[str] = Counter()
            for column in COLUMNS:
                term_counts.update(f"{column}:{term}" for term in cols[column])
            ntok = sum(len(cols[c]) for c in COLUMNS)
            total_tokens += ntok
            values.append((pk, document_id, ntok, json.dumps(term_counts, ensure_ascii=False)))
        cursor.executemany(
            "INSERT INTO library_search_terms(passage_id, document_id, ntok, terms) VALUES (%s, %s, %s, %s::jsonb)",
            values,
        )
        cursor.execute(
            "UPDATE library_search_stats SET passages = passages + %s, tokens = tokens + %s WHERE id = 1",
            [len(values), total_tokens],
        )


def _unindex(passages: list[Passage]) -> None:
    """Take passages out of the index (before they are deleted or rewritten)."""
    if not passages:
        return
    counts: Counter[str] = Counter({TOTAL: len(passages)})
    for passage in passages:
        counts.update(_stat_keys(passage_columns(passage.heading, passage.text)))
    _count_terms(counts, -1)
    passage_ids = [p.pk for p in passages]
    with connection.cursor() as cursor:
        for start in range(0, len(passage_ids), 500):
            chunk = passage_ids[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            if _vendor() == "sqlite":
                cursor.execute(f"DELETE FROM library_fts WHERE rowid IN ({marks})", chunk)  # noqa: S608 - placeholders
                continue
            cursor.execute(
                f"WITH gone AS (DELETE FROM library_search_terms WHERE passage_id IN ({marks}) RETURNING ntok) "  # noqa: S608
                "UPDATE library_search_stats SET passages = passages - (SELECT count(*) FROM gone), "
                "tokens = tokens - (SELECT coalesce(sum(ntok), 0) FROM gone) WHERE id = 1",
                chunk,
            )


def metadata_text(document: Document) -> tuple[str, str]:
    """(head, body) of a document's metadata passage."""
    creators = [c.name for c in document.creators.all()]
    subjects = [s.name for s in document.subjects.all()]
    head = "\n".join([document.title, *subjects, *creators])
    body = "\n".join(part for part in [document.abstract, document.publisher, document.source] if part)
    return head, body


def index_metadata(document: Document) -> Passage:
    """(Re)write the document's metadata passage. Call inside the transaction that changed it."""
    head, body = metadata_text(document)
    old = list(Passage.objects.filter(document=document, file__isnull=True).only("id", "heading", "text"))
    _unindex(old)
    Passage.objects.filter(pk__in=[p.pk for p in old]).delete()
    passage = Passage.objects.create(document=document, file=None, page=None, number=0, heading=head, text=body)
    _index([passage])
    return passage


def store_file_text(file: DocumentFile, pages: list[str]) -> int:
    """Replace the passages of one file by those cut from its extracted pages; returns how many."""
    drop_file(file)
    start = (
        Passage.objects.filter(document_id=file.document_id)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
        or 0
    ) + 1
    passages = Passage.objects.bulk_create(
        [
            Passage(document_id=file.document_id, file=file, page=page, number=start + i, text=text)
            for i, (page, text) in enumerate(split_pages(pages))
        ],
        batch_size=500,
    )
    if passages and passages[0].pk is None:  # backends that cannot return ids from bulk inserts
        passages = list(Passage.objects.filter(file=file).order_by("number"))
    for chunk_start in range(0, len(passages), 500):
        _index(passages[chunk_start : chunk_start + 500])
    return len(passages)


def _drop(passages) -> None:
    batch: list[Passage] = []
    for passage in passages.only("id", "heading", "text").iterator(chunk_size=500):
        batch.append(passage)
        if len(batch) == 500:
            _unindex(batch)
            batch = []
    _unindex(batch)
    passages.delete()


def drop_file(file: DocumentFile) -> None:
    _drop(Passage.objects.filter(file=file))


def drop_document(document: Document) -> None:
    _drop(Passage.objects.filter(document=document))


def rebuild() -> int:
    """Empty the index and index every passage again (after a restore or an engine change)."""
    clear()
    count = 0
    batch: list[Passage] = []
    for passage in Passage.objects.order_by("pk").iterator(chunk_size=1000):
        batch.append(passage)
        if len(batch) == 1000:
            _index(batch)
            count += len(batch)
            batch = []
    _index(batch)
    return count + len(batch)


def clear() -> None:
    """Empty the index and its statistics (rebuild, and tests that end by truncating tables)."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM library_termstat")
        if _vendor() == "sqlite":
            cursor.execute("DELETE FROM library_fts")
        else:
            cursor.execute("DELETE FROM library_search_terms")
            cursor.execute("UPDATE library_search_stats SET passages = 0, tokens = 0 WHERE id = 1")


def indexed_count() -> int:
    with connection.cursor() as cursor:
        if _vendor() == "sqlite":
            cursor.execute("SELECT count(*) FROM library_fts")
        else:
            cursor.execute("SELECT count(*) FROM library_search_terms")
        return cursor.fetchone()[0]


# Reading ----------------------------------------------------------------------------------------


def fts5_match(terms: list[Term]) -> str:
    """The FTS5 MATCH expression: any of the terms, each in its column group."""
    return " OR ".join(f'{{{" ".join(t.columns)}}} : "{t.text}"' for t in terms)


def _fts5_rank() -> str:
    """The rank function with our weights, for `rank MATCH`: FTS5 refuses `bm25()` itself in a
    query that is joined, while its `rank` column works anywhere."""
    return "bm25(" + ", ".join(str(WEIGHTS[c]) for c in COLUMNS) + ")"


# Planning: which terms to rank by. In Vietnamese every syllable is a word, and in a library
# about civil society "hội", "xã", "tổ" sit in most passages. BM25 gives a term found in more
# than half the passages no weight at all (FTS5 floors its idf near zero), yet reading and
# scoring its postings is what makes a query slow. So once the index is large, a query ranks
# by every syllable pair that is not too common (the words live there) and by its rarer single
# syllables within a budget of postings; a lone common syllable is looked for where it names a
# document (title, subjects, creators). bench/library_relevance.py --noise-passages measures
# what this costs in relevance, bench/library_search.py what it saves in time.
PRUNE_FROM = 1000  # passages; a smaller index ranks every term
# Shares of the passages: single syllables together may read this many postings, and each pair
# may hold this many passages (pairs are where the meaning is; they may cost more).
BUDGET_SHARE = float(os.environ.get("LIBRARY_SEARCH_BUDGET", "0.05"))
PAIR_SHARE = float(os.environ.get("LIBRARY_SEARCH_PAIR_BUDGET", "0.05"))


@dataclass(frozen=True)
class Plan:
    terms: list[Term]
    fallback: list[Term] | None = None  # when a head-only lone term finds nothing


def plan(terms: list[Term]) -> Plan:
    if not terms:
        return Plan([])
    keys = {term: stat_key(term) for term in terms}
    stats = dict(TermStat.objects.filter(term__in=[*keys.values(), TOTAL]).values_list("term", "rows"))
    passages = stats.get(TOTAL, 0)
    present = [term for term in terms if stats.get(keys[term], 0) > 0]
    if passages < PRUNE_FROM or not present:
        return Plan(present)
    budget = BUDGET_SHARE * passages
    # Pairs carry the words ("đào tạo", "cán bộ") and are rare: keep every pair under the
    # budget, or a query would be ranked by the odd pair that straddles two words. Single
    # syllables then share the budget, rarest first.
    kept = [t for t in present if t.columns == PAIRS and stats[keys[t]] <= PAIR_SHARE * passages]
    read = 0
    for term in sorted(present, key=lambda t: (stats[keys[t]], t.text, t.columns)):
        rows = stats[keys[term]]
        if term.columns == PAIRS or (kept and (rows * 2 > passages or read + rows > budget)):
            continue
        kept.append(term)
        read += rows
    if not kept:  # only pairs, all common: the rarest still says something
        kept = [min(present, key=lambda t: (stats[keys[t]], t.text))]
        read = stats[keys[kept[0]]]
    if read > budget and len(kept) == 1:
        lone = kept[0]
        head = tuple(column for column in lone.columns if column.startswith("h"))
        return Plan([Term(lone.text, head)], fallback=[lone])
    return Plan([term for term in present if term in kept])


def search(terms: list[Term], passage_filter: tuple[str, list] | None = None, *, planned: bool = True) -> list[Hit]:
    """Every document with a matching passage that passes `passage_filter` (SQL over the
    passage alias `p`), best first, with its best passage."""
    chosen = plan(terms) if planned else Plan(terms)
    hits = _ranked(chosen.terms, passage_filter)
    if not hits and chosen.fallback:
        hits = _ranked(chosen.fallback, passage_filter)
    return hits


def _ranked(terms: list[Term], passage_filter: tuple[str, list] | None) -> list[Hit]:
    if not terms:
        return []
    where, params = passage_filter or ("1 = 1", [])
    if _vendor() == "sqlite":
        # Every matching passage, grouped here rather than in SQL: the planner keeps them few, and
        # one pass finds each document's best passage and its best page to quote.
        sql = (
            "SELECT p.document_id, -s.rank, p.id, p.file_id IS NULL FROM "  # noqa: S608
            "(SELECT rowid AS pid, rank FROM library_fts WHERE library_fts MATCH %s AND rank MATCH %s) s "
            f"JOIN library_passage p ON p.id = s.pid WHERE {where}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [fts5_match(terms), _fts5_rank(), *params])
            hits = _grouped(cursor.fetchall())
    else:
        sql, query_params = _postgres_sql(terms, where, params)
        with connection.cursor() as cursor:
            cursor.execute(sql, query_params)
            hits = [Hit(r[0], float(r[1]), r[2], r[3], r[4]) for r in cursor.fetchall()]
    hits.sort(key=lambda h: (-h.score, h.document_id))
    return hits


def _grouped(rows) -> list[Hit]:
    best: dict[int, list] = {}  # document → [score, passage, count, best text score, text passage]
    for document_id, score, passage_id, is_metadata in rows:
        entry = best.get(document_id)
        if entry is None:
            entry = best[document_id] = [score, passage_id, 0, None, None]
        elif (score, -passage_id) > (entry[0], -entry[1]):
            entry[0], entry[1] = score, passage_id
        entry[2] += 1
        if not is_metadata and (entry[3] is None or (score, -passage_id) > (entry[3], -entry[4])):
            entry[3], entry[4] = score, passage_id
    return [Hit(doc, e[0], e[1], e[2], e[4]) for doc, e in best.items()]


def _postgres_sql(terms: list[Term], where: str, params: list) -> tuple[str, list]:
    """BM25 as FTS5 computes it: per term, idf = ln((N - n + 0.5) / (n + 0.5)) (at least 1e-6)
    and f = Σ weight(column) × count(term, column); score = Σ idf × f(k1 + 1) / (f + k1(1 − b +
    b × tokens / average tokens))."""
    all_keys: list[str] = []
    freq_sql: list[str] = []
    df_sql: list[str] = []
    freq_params: list = []
    df_params: list = []
    for term in terms:
        keys = [f"{column}:{term.text}" for column in term.columns]
        all_keys.extend(keys)
        freq_sql.append(" + ".join("%s * coalesce((h.terms ->> %s)::float, 0)" for _ in keys))
        for column, key in zip(term.columns, keys, strict=True):
            freq_params.extend([WEIGHTS[column], key])
        df_sql.append("count(*) FILTER (WHERE terms ?| %s)")
        df_params.append(keys)
    average = "greatest(st.tokens::float / greatest(st.passages, 1), 1e-9)"
    parts = [
        f"greatest(ln((st.passages - d.n{i} + 0.5) / (d.n{i} + 0.5)), 1e-6) * f{i} * {K1 + 1} / "
        f"nullif(f{i} + {K1} * (1 - {B} + {B} * h.ntok / {average}), 0)"
        for i in range(len(freq_sql))
    ]
    # Terms a passage lacks have f = 0 and add nothing.
    freq_cols = ", ".join(f"{freq} AS f{i}" for i, freq in enumerate(freq_sql))
    score = " + ".join(f"coalesce({part}, 0)" for part in parts)
    df_cols = ", ".join(f"{expr} AS n{i}" for i, expr in enumerate(df_sql))
    # Generated from our own column names; every value is a parameter.
    sql = (
        "WITH hits AS (SELECT passage_id, document_id, ntok, terms FROM library_search_terms WHERE terms ?| %s), "  # noqa: S608
        f"d AS (SELECT {df_cols} FROM hits), "
        "st AS (SELECT passages, tokens FROM library_search_stats WHERE id = 1), "
        f"f AS (SELECT h.passage_id, h.document_id, h.ntok, p.file_id IS NULL AS meta, {freq_cols} FROM hits h "
        "JOIN library_passage p "
        f"ON p.id = h.passage_id WHERE {where}), "
        f"scored AS (SELECT h.passage_id, h.document_id, h.meta, {score} AS score FROM f h, d, st) "
        "SELECT document_id, max(score), (array_agg(passage_id ORDER BY score DESC, passage_id))[1], count(*), "
        "(array_agg(passage_id ORDER BY score DESC, passage_id) FILTER (WHERE NOT meta))[1] "
        "FROM scored GROUP BY document_id"
    )
    return sql, [all_keys, *df_params, *freq_params, *params]


def bare_search(terms: list[Term], limit: int = 10) -> list[tuple[int, float]]:
    """The engine alone on every term — best passages, no planning, no access rules, no
    grouping: the benchmark's baseline."""
    with connection.cursor() as cursor:
        if _vendor() == "sqlite":
            cursor.execute(
                "SELECT rowid, rank FROM library_fts WHERE library_fts MATCH %s AND rank MATCH %s "
                "ORDER BY rank LIMIT %s",
                [fts5_match(terms), _fts5_rank(), limit],
            )
            return [(r[0], -r[1]) for r in cursor.fetchall()]
    hits = search(terms, planned=False)
    return [(h.passage_id, h.score) for h in hits[:limit]]


def idf(n_rows: int, n_hit: int) -> float:
    """FTS5's idf, for tests that check the PostgreSQL arithmetic by hand."""
    value = math.log((n_rows - n_hit + 0.5) / (n_hit + 0.5))
    return value if value > 0 else 1e-6
