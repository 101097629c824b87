"""Backups: a snapshot taken while writes go on holds every write acknowledged before it began,
in a consistent state; it restores on a fresh machine, after its checksums are checked, and
never over data unless forced."""

import io
import json
import os
import sqlite3
import subprocess
import threading
import time
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ketnoi.core.backup import MANIFEST, BackupError, restore_backup, write_backup

SQLITE = "django.db.backends.sqlite3"
POSTGRES_URL = os.environ.get("DATABASE_URL", "")


class Writer(threading.Thread):
    """Inserts rows 1, 2, 3, … each in its own transaction together with a running total, and
    records the numbers whose commit returned (acknowledged)."""

    def __init__(self, connect, queries):
        super().__init__(daemon=True)
        self.connect, self.queries = connect, queries
        self.acknowledged, self.stop, self.error = [], threading.Event(), None

    def run(self):
        try:
            connection, n = self.connect(), 0
            while not self.stop.is_set():
                n += 1
                cursor = connection.cursor()
                for query in self.queries:
                    cursor.execute(query, (n,))
                connection.commit()
                self.acknowledged.append(n)
            connection.close()
        except Exception as error:  # noqa: BLE001 - reported by the test
            self.error = error


SQLITE_WRITES = ("INSERT INTO entry (n) VALUES (?)", "UPDATE total SET value = value + ?")
POSTGRES_WRITES = ("INSERT INTO entry (n) VALUES (%s)", "UPDATE total SET value = value + %s")


def _snapshot_under_writes(connect, queries, database, media_root, dest):
    writer = Writer(connect, queries)
    writer.start()
    while len(writer.acknowledged) < 50:
        time.sleep(0.01)
    acknowledged_before = list(writer.acknowledged)
    write_backup(dest, database=database, media_root=media_root)
    time.sleep(0.05)
    writer.stop.set()
    writer.join(10)
    assert writer.error is None
    assert len(writer.acknowledged) > len(acknowledged_before)  # writes went on during the backup
    return acknowledged_before


def _check_restored(rows, total, acknowledged_before):
    assert set(acknowledged_before) <= set(rows)
    assert rows == list(range(1, len(rows) + 1))  # no gap: whole transactions only
    assert total == sum(rows)  # each row with its total: one consistent moment


def _media(tmp_path):
    media = tmp_path / "media"
    (media / "library").mkdir(parents=True)
    (media / "library" / "bao-cao.pdf").write_bytes(b"%PDF-1.4 tai lieu")
    return media


def test_sqlite_backup_under_writes_restores_every_acknowledged_row(tmp_path):
    source = tmp_path / "live.sqlite3"
    with sqlite3.connect(source) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE entry (n INTEGER PRIMARY KEY)")
        connection.execute("CREATE TABLE total (value INTEGER)")
        connection.execute("INSERT INTO total VALUES (0)")
    media = _media(tmp_path)
    backup = tmp_path / "backups" / "one"
    acknowledged = _snapshot_under_writes(
        lambda: sqlite3.connect(source, timeout=30), SQLITE_WRITES, {"ENGINE": SQLITE, "NAME": source}, media, backup
    )
    manifest = json.loads((backup / MANIFEST).read_text())
    assert manifest["engine"] == SQLITE and "media/library/bao-cao.pdf" in manifest["files"]

    fresh = {"ENGINE": SQLITE, "NAME": tmp_path / "fresh" / "db.sqlite3"}
    fresh["NAME"].parent.mkdir()
    restore_backup(backup, database=fresh, media_root=tmp_path / "fresh" / "media")
    with sqlite3.connect(fresh["NAME"]) as connection:
        rows = [n for (n,) in connection.execute("SELECT n FROM entry ORDER BY n")]
        (total,) = connection.execute("SELECT value FROM total").fetchone()
    _check_restored(rows, total, acknowledged)
    assert (tmp_path / "fresh" / "media" / "library" / "bao-cao.pdf").read_bytes() == b"%PDF-1.4 tai lieu"

    # Not over data without --force; with it, yes.
    with pytest.raises(BackupError, match="not empty"):
        restore_backup(backup, database=fresh, media_root=tmp_path / "other-media")
    restore_backup(backup, database=fresh, media_root=tmp_path / "fresh" / "media", force=True)

    # A damaged backup is refused before anything is written.
    (backup / "media" / "library" / "bao-cao.pdf").write_bytes(b"changed")
    with pytest.raises(BackupError, match="damaged"):
        restore_backup(
            backup, database={"ENGINE": SQLITE, "NAME": tmp_path / "third.sqlite3"}, media_root=tmp_path / "m3"
        )
    assert not (tmp_path / "third.sqlite3").exists()


@pytest.mark.skipif(not POSTGRES_URL.startswith("postgres"), reason="needs DATABASE_URL=postgres://…")
def test_postgres_backup_under_writes_restores_every_acknowledged_row(tmp_path):
    import dj_database_url
    import psycopg

    base = dj_database_url.parse(POSTGRES_URL)
    suffix = uuid.uuid4().hex[:8]
    live, fresh = {**base, "NAME": f"backup_live_{suffix}"}, {**base, "NAME": f"backup_fresh_{suffix}"}

    def connect(name):
        return psycopg.connect(
            host=base["HOST"], port=base["PORT"], user=base["USER"], password=base["PASSWORD"] or None, dbname=name
        )

    admin = connect("postgres")
    admin.autocommit = True
    try:
        for name in (live["NAME"], fresh["NAME"]):
            admin.execute(f'CREATE DATABASE "{name}"')
        with connect(live["NAME"]) as connection:
            connection.execute("CREATE TABLE entry (n INTEGER PRIMARY KEY)")
            connection.execute("CREATE TABLE total (value BIGINT)")
            connection.execute("INSERT INTO total VALUES (0)")
        backup = tmp_path / "pg-backup"
        acknowledged = _snapshot_under_writes(
            lambda: connect(live["NAME"]), POSTGRES_WRITES, live, _media(tmp_path), backup
        )
        restore_backup(backup, database=fresh, media_root=tmp_path / "fresh-media")
        with connect(fresh["NAME"]) as connection:
            rows = [n for (n,) in connection.execute("SELECT n FROM entry ORDER BY n")]
            (total,) = connection.execute("SELECT value FROM total").fetchone()
        _check_restored(rows, total, acknowledged)
        with pytest.raises(BackupError, match="not empty"):
            restore_backup(backup, database=fresh, media_root=tmp_path / "other-media")
    finally:
        for name in (live["NAME"], fresh["NAME"]):
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.mark.django_db(transaction=True)
def test_the_commands_back_up_the_site_and_refuse_to_restore_over_it(tmp_path, settings, coordinator):
    settings.MEDIA_ROOT = _media(tmp_path)
    out = io.StringIO()
    call_command("backup", str(tmp_path / "backups"), stdout=out)
    (made,) = (tmp_path / "backups").iterdir()
    assert str(made) in out.getvalue()
    manifest = json.loads((made / MANIFEST).read_text())
    assert manifest["database_file"] in manifest["files"]
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(made), stdout=io.StringIO())
    with pytest.raises(CommandError, match="not a backup"):
        call_command("restore", str(tmp_path), stdout=io.StringIO())


def test_pg_tools_are_present_where_postgres_is_tested():
    if POSTGRES_URL.startswith("postgres"):
        for tool in ("pg_dump", "pg_restore", "psql"):
            assert subprocess.run([tool, "--version"], capture_output=True, check=False).returncode == 0  # noqa: S603
