"""The full-text index tables, which differ by database (see library/search_index.py).

No foreign key to library_passage: the index is kept by search_index.py in the same
transaction, and a key would stop the TRUNCATE that PostgreSQL test runs end with."""

from django.db import migrations

SQLITE = [
    # Tokens are prepared in Python (tokens.py) and joined by spaces; FTS5 only splits them.
    # '_' joins the two syllables of a pair, so it must stay inside a token.
    "CREATE VIRTUAL TABLE library_fts USING fts5(he, hf, hp, be, bf, bp, "
    "tokenize = \"unicode61 remove_diacritics 0 tokenchars '_'\")",
]
SQLITE_DROP = ["DROP TABLE IF EXISTS library_fts"]
POSTGRES = [
    "CREATE TABLE library_search_terms ("
    " passage_id bigint PRIMARY KEY,"
    " document_id bigint NOT NULL,"
    " ntok integer NOT NULL,"
    " terms jsonb NOT NULL)",
    "CREATE INDEX library_search_terms_gin ON library_search_terms USING gin (terms)",
    "CREATE TABLE library_search_stats (id integer PRIMARY KEY, passages bigint NOT NULL, tokens bigint NOT NULL)",
    "INSERT INTO library_search_stats VALUES (1, 0, 0)",
]
POSTGRES_DROP = ["DROP TABLE IF EXISTS library_search_terms", "DROP TABLE IF EXISTS library_search_stats"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
