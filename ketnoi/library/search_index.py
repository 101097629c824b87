"""The full-text index over passages, BM25-ranked on both databases, written in the caller's
transaction so that it is never stale.

Each passage is indexed in six columns: head (title, subjects, creators — only the metadata
passage has one) and body, each as exact syllables, folded syllables and folded syllable pairs
(see `tokens.py`). A query is a list of `Term`s, each looked for in one group of columns.

- SQLite: an FTS5 table (`library_fts`, rowid = passage id) ranked by FTS5's own `bm25()`
  with column weights.
- PostgreSQL: an inverted index of its own (postings per term and passage, search_postgres.py)
  with the same BM25 arithmetic, so both databases rank the same documents the same way.

The tables are created by migrations for the database in use; they are not Django models.
"""

import math
import os
from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection

from . import search_postgres, tokens
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


class Hit(NamedTuple):  # a tuple: thousands are made per query
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
    rows = [(p.pk, p.document_id, p.file_id is None, passage_columns(p.heading, p.text)) for p in passages]
    counts: Counter[str] = Counter({TOTAL: len(rows)})
    for _pk, _doc, _meta, cols in rows:
        counts.update(_stat_keys(cols))
    _count_terms(counts, 1)
    with connection.cursor() as cursor:
        if _vendor() == "sqlite":
            cursor.executemany(
                "INSERT INTO library_fts(rowid, he, hf, hp, be, bf, bp) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                [(pk, *(" ".join(cols[c]) for c in COLUMNS)) for pk, _doc, _meta, cols in rows],
            )
            return
        search_postgres.index(cursor, rows)


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
            else:
                search_postgres.unindex(cursor, chunk)


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
            search_postgres.clear(cursor)


def indexed_count() -> int:
    with connection.cursor() as cursor:
        if _vendor() != "sqlite":
            return search_postgres.indexed_count(cursor)
        cursor.execute("SELECT count(*) FROM library_fts")
        return cursor.fetchone()[0]


# Reading ----------------------------------------------------------------------------------------


def _found_only_in_its_columns(term: Term) -> bool:
    """A pair holds the joiner, which no syllable has; a syllable with diacritics is never
    folded: such terms can only be in their own columns, and sparing FTS5 the column check
    makes a query some 10 % faster (the scores are the same)."""
    if term.columns == PAIRS:
        return True
    return term.columns == EXACT and tokens.fold_syllable(term.text) != term.text


def fts5_match(terms: list[Term]) -> str:
    """The FTS5 MATCH expression: any of the terms, each in its column group."""
    return " OR ".join(
        f'"{t.text}"' if _found_only_in_its_columns(t) else f'{{{" ".join(t.columns)}}} : "{t.text}"' for t in terms
    )


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


@dataclass(frozen=True)
class Scope:
    """The documents a search may match, each as SQL selecting document ids: `visible` for the
    metadata passage, `fulltext` for the passages of files (the embargo hides those)."""

    visible: tuple[str, list]
    fulltext: tuple[str, list]

    @classmethod
    def of(cls, visible, fulltext) -> "Scope":
        """From two querysets of documents. Their ordering is dropped: a subquery's ORDER BY
        would sort every document for each search."""
        return cls(
            visible.order_by().values("id").query.sql_with_params(),
            fulltext.order_by().values("id").query.sql_with_params(),
        )


def search(terms: list[Term], scope: Scope | None = None, *, planned: bool = True) -> list[Hit]:
    """Every document with a matching passage within `scope` (everything when None), best
    first, with its best passage."""
    chosen = plan(terms) if planned else Plan(terms)
    hits = _ranked(chosen.terms, scope)
    if not hits and chosen.fallback:
        hits = _ranked(chosen.fallback, scope)
    return hits


def _ranked(terms: list[Term], scope: Scope | None) -> list[Hit]:
    if not terms:
        return []
    with connection.cursor() as cursor:
        if _vendor() == "sqlite":
            return _sqlite_hits(cursor, terms, scope)
        rows = search_postgres.ranked_rows(cursor, terms, scope)
    hits = _grouped(rows)
    hits.sort(key=lambda h: (-h.score, h.document_id))
    return hits


def _sqlite_hits(cursor, terms: list[Term], scope: Scope | None) -> list[Hit]:
    """Every matching document, best first, grouped by SQLite itself: the engine's hits meet
    their documents through the narrow `library_passage_hit` index, are grouped per document and
    kind of passage (metadata or file) and only then checked against the scope — a few hundred
    documents rather than thousands of passages — then grouped per document. With a single
    max(), SQLite takes the bare `pid` from the row holding the maximum (the first one, lowest
    id, on a tie); a document has at most one file row, whose passage is the one to quote."""
    having, params = "", []
    if scope is not None:
        having = f"HAVING doc IN ({scope.visible[0]}) AND (meta OR doc IN ({scope.fulltext[0]}))"
        params = [*scope.visible[1], *scope.fulltext[1]]
    cursor.execute(
        "SELECT doc, max(score), pid, sum(n), sum(CASE WHEN meta THEN 0 ELSE pid END) FROM ("  # noqa: S608
        "SELECT doc, meta, max(score) AS score, pid, count(*) AS n FROM ("
        "SELECT p.document_id AS doc, p.file_id IS NULL AS meta, -s.rank AS score, s.pid FROM "
        "(SELECT rowid AS pid, rank FROM library_fts WHERE library_fts MATCH %s AND rank MATCH %s) s "
        "JOIN library_passage p INDEXED BY library_passage_hit ON p.id = s.pid"
        f") GROUP BY doc, meta {having}"
        ") GROUP BY doc ORDER BY 2 DESC, doc",
        [fts5_match(terms), _fts5_rank(), *params],
    )
    return [Hit(doc, score, pid, n, text or None) for doc, score, pid, n, text in cursor.fetchall()]


def _grouped(rows) -> list[Hit]:
    """One hit per document from PostgreSQL's rows (one for the metadata passage, one for the
    files)."""
    best: dict[int, tuple] = {}  # document → (score, passage, passages, text passage)
    for document_id, is_metadata, score, passage_id, count in rows:
        text_passage = None if is_metadata else passage_id
        seen = best.get(document_id)
        if seen is None:
            best[document_id] = (score, passage_id, count, text_passage)
        elif (score, -passage_id) > (seen[0], -seen[1]):
            best[document_id] = (score, passage_id, seen[2] + count, text_passage or seen[3])
        else:
            best[document_id] = (seen[0], seen[1], seen[2] + count, text_passage or seen[3])
    return [Hit(document_id, *values) for document_id, values in best.items()]


def bare_search(terms: list[Term], limit: int = 10) -> list[tuple[int, float]]:
    """The engine alone on every term — best passages, no planning, no access rules, no
    grouping: the benchmark's baseline."""
    with connection.cursor() as cursor:
        if _vendor() != "sqlite":
            return search_postgres.bare(cursor, terms, limit)
        cursor.execute(
            "SELECT rowid, rank FROM library_fts WHERE library_fts MATCH %s AND rank MATCH %s ORDER BY rank LIMIT %s",
            [fts5_match(terms), _fts5_rank(), limit],
        )
        return [(r[0], -r[1]) for r in cursor.fetchall()]


def idf(n_rows: int, n_hit: int) -> float:
    """FTS5's idf, for tests that check the PostgreSQL arithmetic by hand."""
    value = math.log((n_rows - n_hit + 0.5) / (n_hit + 0.5))
    return value if value > 0 else 1e-6
