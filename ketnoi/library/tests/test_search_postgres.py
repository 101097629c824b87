"""PostgreSQL's own search index tables (search_postgres.py): what they hold, and the migration
that converted the JSONB index into postings. SQLite keeps FTS5, so these only run on PostgreSQL."""

import importlib
import json
import math
from collections import Counter

import pytest
from django.db import connection

from ketnoi.library import search_index, search_postgres
from ketnoi.library.models import Passage
from ketnoi.library.search_index import COLUMNS, FOLDED, PAIRS, WEIGHTS, Term

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's index tables"),
]

MIGRATION = importlib.import_module("ketnoi.library.migrations.0006_postgres_postings")


def expected_postings() -> set[tuple[str, int, int, int]]:
    """(term, passage, head count, body count) computed from the passages' text."""
    rows = set()
    for passage in Passage.objects.all():
        cols = search_index.passage_columns(passage.heading, passage.text)
        head = Counter(f"{search_index.GROUP_OF[c]}:{t}" for c in ("he", "hf", "hp") for t in cols[c])
        body = Counter(f"{search_index.GROUP_OF[c]}:{t}" for c in ("be", "bf", "bp") for t in cols[c])
        rows |= {(term, passage.pk, head[term], body[term]) for term in head.keys() | body.keys()}
    return rows


def table(sql: str) -> set[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        # Arrays compare as sets: their order follows the database's collation.
        return {tuple(frozenset(v) if isinstance(v, list) else v for v in row) for row in cursor.fetchall()}


def postings() -> set[tuple]:
    return table("SELECT term, passage_id, head, body FROM library_search_postings")


def passages() -> set[tuple]:
    return table("SELECT passage_id, document_id, is_metadata, tokens FROM library_search_passage")


def stats() -> tuple[int, int]:
    return next(iter(table("SELECT passages, tokens FROM library_search_stats WHERE id = 1")))


def expected_passages() -> set[tuple]:
    return {
        (
            p.pk,
            p.document_id,
            p.file_id is None,
            sum(len(v) for v in search_index.passage_columns(p.heading, p.text).values()),
        )
        for p in Passage.objects.all()
    }


def test_postings_hold_each_passages_columns(make_document):
    make_document("Xã hội dân sự", pages=["Tổ chức xã hội và xã hội học.", "Hội thảo tại Hà Nội."], subjects=["Hội"])
    make_document("Giáo dục", pages=["Trường học ở vùng cao."])
    assert postings() == expected_postings()
    assert passages() == expected_passages()
    assert stats() == (Passage.objects.count(), sum(row[3] for row in passages()))
    # What a posting repeats of its passage, and the passage's list of terms, agree.
    assert table(
        "SELECT count(*) FROM library_search_postings p JOIN library_search_passage sp USING (passage_id) "
        "WHERE (p.document_id, p.is_metadata, p.tokens) <> (sp.document_id, sp.is_metadata, sp.tokens)"
    ) == {(0,)}
    assert table("SELECT passage_id, terms FROM library_search_passage") == table(
        "SELECT passage_id, array_agg(term) FROM library_search_postings GROUP BY passage_id"
    )


def test_unindex_and_clear_keep_the_totals(make_document):
    kept = make_document("Môi trường", pages=["Bảo vệ rừng đầu nguồn."])
    dropped = make_document("Sinh kế", pages=["Nuôi ong lấy mật."])
    search_index.drop_document(dropped)
    assert {row[1] for row in passages()} == {kept.pk}
    assert postings() == expected_postings()
    assert stats() == (Passage.objects.count(), sum(row[3] for row in passages()))
    search_index.clear()
    assert (postings(), passages(), stats()) == (set(), set(), (0, 0))


def test_a_head_only_term_matches_titles_not_bodies(make_document):
    titled = make_document("Hội và luật", pages=["Nội dung chung."])
    make_document("Ghi chép", pages=["Bàn về hội viên."])
    hits = search_index.search([Term("hoi", ("hf",))], planned=False)
    assert [hit.document_id for hit in hits] == [titled.pk]
    # One passage of the three holds "hoi" in its head: n = 1, and only the head weight counts.
    meta = titled.passages.get(file__isnull=True)
    cols = search_index.passage_columns(meta.heading, meta.text)
    n_rows = Passage.objects.count()
    average = sum(row[3] for row in passages()) / n_rows
    freq = WEIGHTS["hf"] * cols["hf"].count("hoi")
    length = sum(len(cols[c]) for c in COLUMNS)
    expected = search_index.idf(n_rows, 1) * freq * 2.2 / (freq + 1.2 * (1 - 0.75 + 0.75 * length / average))
    assert math.isclose(hits[0].score, expected, rel_tol=1e-9)


def test_bare_and_ranked_agree(make_document):
    docs = [make_document(f"Tài liệu {i}", pages=[f"Tổ chức xã hội lần {i}.", "Xã hội học."]) for i in range(3)]
    terms = [Term("xa", FOLDED), Term("xa_hoi", PAIRS)]
    bare = search_index.bare_search(terms, limit=100)
    by_passage = dict(Passage.objects.values_list("pk", "document_id"))
    best = {}
    for passage_id, score in bare:
        document = by_passage[passage_id]
        best.setdefault(document, (score, passage_id))
    hits = search_index.search(terms, planned=False)
    assert {h.document_id: (h.score, h.passage_id) for h in hits} == best
    assert {h.document_id for h in hits} == {d.pk for d in docs}


def test_migration_converts_the_jsonb_index_both_ways(make_document):
    make_document("Xã hội dân sự", pages=["Tổ chức xã hội và xã hội học."], subjects=["Xã hội"], abstract="Xã hội.")
    make_document("Giáo dục", pages=["Trường học ở vùng cao."])
    before = (postings(), passages(), stats())
    with connection.schema_editor(atomic=False) as editor:
        for statement in MIGRATION.BACKWARD:
            editor.execute(statement)
    # The JSONB layout of 0002: "column:term" -> count, and the length over the six columns.
    expected_terms = {}
    for passage in Passage.objects.all():
        cols = search_index.passage_columns(passage.heading, passage.text)
        expected_terms[passage.pk] = (
            passage.document_id,
            sum(len(v) for v in cols.values()),
            dict(Counter(f"{c}:{t}" for c in COLUMNS for t in cols[c])),
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT passage_id, document_id, ntok, terms::text FROM library_search_terms")
        assert {row[0]: (row[1], row[2], json.loads(row[3])) for row in cursor.fetchall()} == expected_terms
    with connection.schema_editor(atomic=False) as editor:
        for statement in MIGRATION.FORWARD:
            editor.execute(statement)
    assert (postings(), passages(), stats()) == before
    assert table("SELECT to_regclass('library_search_terms') IS NULL") == {(True,)}


def test_any_term_survives_copy_and_unindex():
    """Tokens are letters and digits, but the writer does not rely on it."""
    odd = ["a\\b", "tab\there", "line\nbreak", 'quo"te', "com,ma", "{brace}", "NULL", "sp ace", "ữ"]
    cols = {column: [] for column in COLUMNS}
    cols["hf"] = odd
    cols["bf"] = odd[:2]
    with connection.cursor() as cursor:
        search_postgres.index(cursor, [(10**12, 7, True, cols)])
    assert postings() == {(f"f:{t}", 10**12, 1, 1 if t in odd[:2] else 0) for t in odd}
    assert table("SELECT terms FROM library_search_passage") == {(frozenset(f"f:{t}" for t in odd),)}
    assert stats() == (1, len(odd) + 2)
    with connection.cursor() as cursor:
        search_postgres.unindex(cursor, [10**12])
    assert (postings(), passages(), stats()) == (set(), set(), (0, 0))
