"""The search index on PostgreSQL: the same BM25 as SQLite's FTS5 (search_index.py), computed in
SQL over an inverted index of our own.

- `library_search_postings`: one row per term and passage, the term being its column group and
  text as `search_index.stat_key` spells it ("f:hoi"), with `head` and `body` its occurrences in
  that group's head and body column. Each row repeats what ranking needs of its passage
  (document, whether it is the metadata passage, length over all six columns), so a query reads
  postings alone: one range of the primary key (term, passage_id) per term, which INCLUDEs the
  rest. A partial index holds the postings found in a head, for head-only terms (a lone common
  syllable looked for in titles), which would otherwise read every posting of the term.
- `library_search_passage`: one row per passage with its length and its terms, which is how
  `unindex` finds its postings by primary key (an index on passage_id would double the cost of
  writing the postings).
- `library_search_stats`: the passage and token totals, for idf and the average length.

All are written in the caller's transaction. Scores follow FTS5 exactly (same idf, k1, b,
column weights and length normalisation over all columns), so both databases rank the same
documents the same way.
"""

from collections import Counter
from operator import itemgetter

from . import search_index

HEAD_COLUMN = {"e": "he", "f": "hf", "p": "hp"}
BODY_COLUMN = {"e": "be", "f": "bf", "p": "bp"}
POSTING_COLUMNS = "term, passage_id, document_id, is_metadata, tokens, head, body"


def index(cursor, rows: list[tuple[int, int, bool, dict[str, list[str]]]]) -> None:
    """Index passages given as (passage id, document id, is the metadata passage, columns from
    `search_index.passage_columns`)."""
    if not rows:
        return
    passages = []
    postings = []
    for pk, document_id, is_metadata, cols in rows:
        tokens = sum(len(cols[column]) for column in search_index.COLUMNS)
        head: Counter[str] = Counter()
        body: Counter[str] = Counter()
        for group, column in HEAD_COLUMN.items():
            head.update(f"{group}:{term}" for term in cols[column])
        for group, column in BODY_COLUMN.items():
            body.update(f"{group}:{term}" for term in cols[column])
        terms = sorted(head.keys() | body.keys())
        passages.append((pk, document_id, is_metadata, tokens, terms))
        postings.extend((term, pk, document_id, is_metadata, tokens, head[term], body[term]) for term in terms)
    # In key order, each page of the primary key is written once per batch rather than once per
    # posting. COPY is several times faster than any INSERT for ~230 postings per passage, and
    # row by row the server stores rows while Python hands over the next ones.
    postings.sort(key=itemgetter(0))
    with cursor.cursor.copy(f"COPY library_search_postings ({POSTING_COLUMNS}) FROM STDIN") as copy:
        for posting in postings:
            copy.write_row(posting)
    with cursor.cursor.copy(
        "COPY library_search_passage (passage_id, document_id, is_metadata, tokens, terms) FROM STDIN"
    ) as copy:
        for passage in passages:
            copy.write_row(passage)
    cursor.execute(
        "UPDATE library_search_stats SET passages = passages + %s, tokens = tokens + %s WHERE id = 1",
        [len(passages), sum(passage[3] for passage in passages)],
    )


def unindex(cursor, passage_ids: list[int]) -> None:
    ids = list(passage_ids)
    cursor.execute(
        "DELETE FROM library_search_postings p USING library_search_passage sp, unnest(sp.terms) AS t(term) "
        "WHERE sp.passage_id = ANY(%s) AND p.term = t.term AND p.passage_id = sp.passage_id",
        [ids],
    )
    cursor.execute(
        "WITH gone AS (DELETE FROM library_search_passage WHERE passage_id = ANY(%s) RETURNING tokens) "
        "UPDATE library_search_stats SET passages = passages - (SELECT count(*) FROM gone), "
        "tokens = tokens - (SELECT coalesce(sum(tokens), 0) FROM gone) WHERE id = 1",
        [ids],
    )


def clear(cursor) -> None:
    """Empty the index. TRUNCATE rolls back like the rest of the transaction; until that commits,
    searches wait for it instead of ranking against a half-rebuilt index."""
    cursor.execute("TRUNCATE library_search_postings, library_search_passage")
    cursor.execute("UPDATE library_search_stats SET passages = 0, tokens = 0 WHERE id = 1")


def indexed_count(cursor) -> int:
    cursor.execute("SELECT count(*) FROM library_search_passage")
    return cursor.fetchone()[0]


def ranked_rows(cursor, terms: list, scope) -> list[tuple]:
    """(document, is metadata, best score, best passage, passages) per document and kind of
    passage, within `scope` (search_index.Scope, or None for every document). The scope is
    checked after grouping: a few hundred documents rather than thousands of passages."""
    having, scope_params = "", []
    if scope is not None:
        having = f"HAVING document_id IN ({scope.visible[0]}) AND (is_metadata OR document_id IN ({scope.fulltext[0]}))"
        scope_params = [*scope.visible[1], *scope.fulltext[1]]
    scored, params = _scored_sql(terms)
    cursor.execute(
        f"WITH {scored} SELECT document_id, is_metadata, best[1], (-best[2])::bigint, n FROM ("  # noqa: S608 - our own SQL
        "SELECT document_id, is_metadata, max(ARRAY[score, -passage_id]) AS best, count(*) AS n "
        f"FROM scored GROUP BY document_id, is_metadata {having}) g",
        [*params, *scope_params],
    )
    return cursor.fetchall()


def bare(cursor, terms: list, limit: int) -> list[tuple[int, float]]:
    """The best passages on every term, no scope: the benchmark's baseline."""
    scored, params = _scored_sql(terms)
    cursor.execute(
        f"WITH {scored} SELECT passage_id, score FROM scored ORDER BY score DESC, passage_id LIMIT %s",  # noqa: S608
        [*params, limit],
    )
    return [(r[0], float(r[1])) for r in cursor.fetchall()]


def _scored_sql(terms: list) -> tuple[str, list]:
    """CTEs ending in `scored(passage_id, document_id, is_metadata, score)`. BM25 as FTS5
    computes it: per term, idf = ln((N - n + 0.5) / (n + 0.5)) (at least 1e-6), n being the
    passages where the term is found in its columns, and f = Σ weight(column) × count(term,
    column); score = Σ idf × f(k1 + 1) / (f + k1(1 − b + b × tokens / average tokens)).

    A term's columns are its group's head and body or one of them (a head-only term looks for
    titles): the weight of a column it does not look in is 0, and a posting whose weighted
    count is 0 is not a match."""
    keys, head_weights, body_weights, head_only = [], [], [], []
    for term in terms:
        group = search_index.GROUP_OF[term.columns[0]]
        keys.append(search_index.stat_key(term))
        head_weights.append(search_index.WEIGHTS[HEAD_COLUMN[group]] if HEAD_COLUMN[group] in term.columns else 0.0)
        body_weights.append(search_index.WEIGHTS[BODY_COLUMN[group]] if BODY_COLUMN[group] in term.columns else 0.0)
        head_only.append(BODY_COLUMN[group] not in term.columns)
    # `p.head > 0` spelt out lets head-only terms read the partial index of head postings.
    posting = "q.i, p.passage_id, p.document_id, p.is_metadata, p.tokens, q.wh * p.head + q.wb * p.body AS f"
    sql = (
        "q AS (SELECT * FROM unnest(%s::text[], %s::float8[], %s::float8[], %s::boolean[]) "  # noqa: S608 - no values
        "WITH ORDINALITY AS q(term, wh, wb, head_only, i)), "
        f"hits AS MATERIALIZED (SELECT {posting} FROM q JOIN library_search_postings p ON p.term = q.term "
        "WHERE NOT q.head_only AND q.wh * p.head + q.wb * p.body > 0 "
        f"UNION ALL SELECT {posting} FROM q JOIN library_search_postings p ON p.term = q.term AND p.head > 0 "
        "WHERE q.head_only), "
        "st AS (SELECT passages::float8 AS n, greatest(tokens::float8 / greatest(passages, 1), 1e-9) AS average, "
        "%s::float8 AS k1, %s::float8 AS b "
        "FROM library_search_stats WHERE id = 1), "
        # idf by term number, as one array: scoring looks it up rather than joining.
        "idf AS (SELECT array_agg(greatest(ln((st.n - coalesce(c.n, 0) + 0.5) / (coalesce(c.n, 0) + 0.5)), 1e-6) "
        "ORDER BY q.i) AS idf FROM q LEFT JOIN (SELECT i, count(*) AS n FROM hits GROUP BY i) c ON c.i = q.i, st), "
        "scored AS (SELECT h.passage_id, h.document_id, h.is_metadata, "
        "sum(idf.idf[h.i] * h.f * (st.k1 + 1) / (h.f + st.k1 * (1 - st.b + st.b * h.tokens / st.average))) AS score "
        "FROM hits h, idf, st GROUP BY h.passage_id, h.document_id, h.is_metadata)"
    )
    k1, b = search_index.K1, search_index.B
    return sql, [keys, head_weights, body_weights, head_only, k1, b]
