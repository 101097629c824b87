"""The search index on PostgreSQL: the same BM25 as SQLite's FTS5 (search_index.py), computed in
SQL over tables of our own.

`library_search_terms` keeps each passage's term counts in a JSONB object with a GIN index;
`library_search_stats` holds the passage and token totals, updated in the same transaction.
Scores follow FTS5 exactly (same idf, k1, b, column weights and length normalisation over all
columns), so both databases rank the same documents the same way.
"""

import json
from collections import Counter

from . import search_index


def index(cursor, rows: list[tuple[int, int, bool, dict[str, list[str]]]]) -> None:
    """Index passages given as (passage id, document id, is the metadata passage, columns from
    `search_index.passage_columns`)."""
    values = []
    total_tokens = 0
    for pk, document_id, _is_metadata, cols in rows:
        term_counts: Counter[str] = Counter()
        for column in search_index.COLUMNS:
            term_counts.update(f"{column}:{term}" for term in cols[column])
        ntok = sum(len(cols[c]) for c in search_index.COLUMNS)
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


def unindex(cursor, passage_ids: list[int]) -> None:
    marks = ", ".join(["%s"] * len(passage_ids))
    cursor.execute(
        f"WITH gone AS (DELETE FROM library_search_terms WHERE passage_id IN ({marks}) RETURNING ntok) "  # noqa: S608
        "UPDATE library_search_stats SET passages = passages - (SELECT count(*) FROM gone), "
        "tokens = tokens - (SELECT coalesce(sum(ntok), 0) FROM gone) WHERE id = 1",
        passage_ids,
    )


def clear(cursor) -> None:
    cursor.execute("DELETE FROM library_search_terms")
    cursor.execute("UPDATE library_search_stats SET passages = 0, tokens = 0 WHERE id = 1")


def indexed_count(cursor) -> int:
    cursor.execute("SELECT count(*) FROM library_search_terms")
    return cursor.fetchone()[0]


def ranked_rows(cursor, terms: list, scope) -> list[tuple]:
    """(document, is metadata, best score, best passage, passages) per document and kind of
    passage, within `scope` (search_index.Scope, or None for every document)."""
    having, scope_params = "", []
    if scope is not None:
        having = f"HAVING document_id IN ({scope.visible[0]}) AND (meta OR document_id IN ({scope.fulltext[0]}))"
        scope_params = [*scope.visible[1], *scope.fulltext[1]]
    scored, params = _scored_sql(terms)
    cursor.execute(
        f"WITH {scored} SELECT document_id, meta, max(score), "  # noqa: S608 - our own SQL, values are parameters
        "(array_agg(passage_id ORDER BY score DESC, passage_id))[1], count(*) "
        f"FROM scored GROUP BY document_id, meta {having}",
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
    """CTEs ending in `scored(passage_id, document_id, meta, score)`. BM25 as FTS5 computes it:
    per term, idf = ln((N - n + 0.5) / (n + 0.5)) (at least 1e-6) and f = Σ weight(column) ×
    count(term, column); score = Σ idf × f(k1 + 1) / (f + k1(1 − b + b × tokens / average))."""
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
            freq_params.extend([search_index.WEIGHTS[column], key])
        df_sql.append("count(*) FILTER (WHERE terms ?| %s)")
        df_params.append(keys)
    k1, b = search_index.K1, search_index.B
    average = "greatest(st.tokens::float / greatest(st.passages, 1), 1e-9)"
    parts = [
        f"greatest(ln((st.passages - d.n{i} + 0.5) / (d.n{i} + 0.5)), 1e-6) * f{i} * {k1 + 1} / "
        f"nullif(f{i} + {k1} * (1 - {b} + {b} * h.ntok / {average}), 0)"
        for i in range(len(freq_sql))
    ]
    # Terms a passage lacks have f = 0 and add nothing.
    freq_cols = ", ".join(f"{freq} AS f{i}" for i, freq in enumerate(freq_sql))
    score = " + ".join(f"coalesce({part}, 0)" for part in parts)
    df_cols = ", ".join(f"{expr} AS n{i}" for i, expr in enumerate(df_sql))
    sql = (
        "hits AS (SELECT passage_id, document_id, ntok, terms FROM library_search_terms WHERE terms ?| %s), "  # noqa: S608
        f"d AS (SELECT {df_cols} FROM hits), "
        "st AS (SELECT passages, tokens FROM library_search_stats WHERE id = 1), "
        f"f AS (SELECT h.passage_id, h.document_id, h.ntok, p.file_id IS NULL AS meta, {freq_cols} FROM hits h "
        "JOIN library_passage p ON p.id = h.passage_id), "
        f"scored AS (SELECT h.passage_id, h.document_id, h.meta, {score} AS score FROM f h, d, st)"
    )
    return sql, [all_keys, *df_params, *freq_params]
