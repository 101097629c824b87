"""PostgreSQL's search index becomes an inverted index (search_postgres.py): reading each term's
count out of every passage's JSONB object cost seconds on common terms.

The JSONB rows are converted in SQL: a key "hf:hoi" holds the count of "hoi" in the head's
folded column, so it becomes the head count of the posting "f:hoi" (the column's group and the
term, as search_index.stat_key spells it). The reverse rebuilds the JSONB table from the
postings. Nothing happens on SQLite, whose FTS5 table is unchanged. No foreign key to
library_passage, as in 0002."""

from django.db import migrations

FORWARD = [
    "CREATE TABLE library_search_passage ("
    " passage_id bigint PRIMARY KEY,"
    " document_id bigint NOT NULL,"
    " is_metadata boolean NOT NULL,"
    " tokens integer NOT NULL,"
    " terms text[] NOT NULL)",
    # A query reads postings alone: the passage's document, kind and length ride along, and the
    # primary key INCLUDEs them so that a term's postings are one range of one index.
    "CREATE TABLE library_search_postings ("
    " term text NOT NULL,"
    " passage_id bigint NOT NULL,"
    " document_id bigint NOT NULL,"
    " is_metadata boolean NOT NULL,"
    " tokens integer NOT NULL,"
    " head integer NOT NULL,"
    " body integer NOT NULL,"
    " PRIMARY KEY (term, passage_id) INCLUDE (document_id, is_metadata, tokens, head, body))",
    # Column names are two letters: "hf:hoi" is head (h), group f, term "hoi".
    "INSERT INTO library_search_passage (passage_id, document_id, is_metadata, tokens, terms) "
    "SELECT t.passage_id, t.document_id, p.id IS NOT NULL AND p.file_id IS NULL, t.ntok, "
    " ARRAY(SELECT DISTINCT substr(k, 2, 1) || ':' || substr(k, 4) FROM jsonb_object_keys(t.terms) k ORDER BY 1) "
    "FROM library_search_terms t LEFT JOIN library_passage p ON p.id = t.passage_id",
    "INSERT INTO library_search_postings (term, passage_id, document_id, is_metadata, tokens, head, body) "
    "SELECT substr(e.key, 2, 1) || ':' || substr(e.key, 4), t.passage_id, sp.document_id, sp.is_metadata, sp.tokens, "
    "coalesce(sum(e.value::integer) FILTER (WHERE left(e.key, 1) = 'h'), 0), "
    "coalesce(sum(e.value::integer) FILTER (WHERE left(e.key, 1) = 'b'), 0) "
    "FROM library_search_terms t JOIN library_search_passage sp ON sp.passage_id = t.passage_id, "
    "jsonb_each_text(t.terms) e "
    "GROUP BY 1, 2, 3, 4, 5",
    # Head-only terms look for titles: only metadata passages have a head, a small share.
    "CREATE INDEX library_search_postings_head ON library_search_postings (term, passage_id) "
    "INCLUDE (document_id, is_metadata, tokens, head, body) WHERE head > 0",
    "DROP TABLE library_search_terms",
    "ANALYZE library_search_passage",
    "ANALYZE library_search_postings",
]

BACKWARD = [
    "CREATE TABLE library_search_terms ("
    " passage_id bigint PRIMARY KEY,"
    " document_id bigint NOT NULL,"
    " ntok integer NOT NULL,"
    " terms jsonb NOT NULL)",
    "INSERT INTO library_search_terms (passage_id, document_id, ntok, terms) "
    "SELECT sp.passage_id, sp.document_id, sp.tokens, coalesce(c.terms, '{}'::jsonb) "
    "FROM library_search_passage sp LEFT JOIN ("
    " SELECT p.passage_id, jsonb_object_agg(k.key, k.n) AS terms"
    " FROM library_search_postings p, LATERAL (VALUES"
    "  ('h' || split_part(p.term, ':', 1) || ':' || substr(p.term, 3), p.head),"
    "  ('b' || split_part(p.term, ':', 1) || ':' || substr(p.term, 3), p.body)) AS k(key, n)"
    " WHERE k.n > 0 GROUP BY p.passage_id) c ON c.passage_id = sp.passage_id",
    "CREATE INDEX library_search_terms_gin ON library_search_terms USING gin (terms)",
    "DROP TABLE library_search_postings",
    "DROP TABLE library_search_passage",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("library", "0005_passage_hit_index")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
