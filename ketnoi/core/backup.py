"""Backups: a consistent snapshot of the database and the uploaded files in one directory, with a
manifest (time, database engine, SHA-256 of every file), and its restore on a fresh machine.

The database is copied first, in one consistent snapshot — SQLite's online backup API (writers
go on; the copy is the database as of one moment), `pg_dump` on PostgreSQL (one repeatable-read
transaction) — then the uploads. Uploads are only ever added or removed, never changed in place,
so every file a row of the snapshot names is in the copy, unless it was deleted in between.
The commands are `manage.py backup` and `manage.py restore` (README, "Backups").
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.pgdump"
MEDIA_DIR = "media"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says what to do."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _is_sqlite(database: dict[str, Any]) -> bool:
    return database["ENGINE"] == "django.db.backends.sqlite3"


def _pg_env(database: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = []
    for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if database.get(key):
            args += [flag, str(database[key])]
    env = {**os.environ}
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip() or done.stdout.strip()}")


def _snapshot_database(database: dict[str, Any], dest: Path) -> str:
    if _is_sqlite(database):
        source = sqlite3.connect(str(database["NAME"]), timeout=60)
        target = sqlite3.connect(str(dest / SQLITE_FILE))
        try:
            with target:
                source.backup(target)  # all pages in one step: one consistent moment
        finally:
            target.close()
            source.close()
        return SQLITE_FILE
    if database["ENGINE"].startswith("django.db.backends.postgresql"):
        args, env = _pg_env(database)
        _run(
            ["pg_dump", "--format=custom", "--no-owner", *args, "-f", str(dest / POSTGRES_FILE), database["NAME"]], env
        )
        return POSTGRES_FILE
    raise BackupError(f"No backup method for the database engine {database['ENGINE']}.")


def write_backup(dest: Path, *, database: dict[str, Any], media_root: Path) -> dict[str, Any]:
    """Write a backup into `dest` (a new directory) and return its manifest."""
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise BackupError(f"{dest} is not empty: give a new directory for the backup.")
    dest.mkdir(parents=True, exist_ok=True)
    started = timezone.now()
    database_file = _snapshot_database(database, dest)
    media_root = Path(media_root)
    if media_root.is_dir():
        shutil.copytree(media_root, dest / MEDIA_DIR, symlinks=False)
    else:
        (dest / MEDIA_DIR).mkdir()
    files = {
        path.relative_to(dest).as_posix(): _sha256(path)
        for path in sorted(dest.rglob("*"))
        if path.is_file() and path.name != MANIFEST
    }
    manifest = {
        "format": FORMAT,
        "started_at": started.isoformat(),
        "finished_at": timezone.now().isoformat(),
        "engine": database["ENGINE"],
        "database_file": database_file,
        "files": files,
    }
    (dest / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    return manifest


def read_verified_manifest(src: Path) -> dict[str, Any]:
    """The backup's manifest, once every file it lists is there with its checksum."""
    src = Path(src)
    try:
        manifest = json.loads((src / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"{src} is not a backup (no readable {MANIFEST}): {error}") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Backup format {manifest.get('format')!r} is not one this version can restore.")
    bad = [
        name
        for name, digest in manifest["files"].items()
        if not (src / name).is_file() or _sha256(src / name) != digest
    ]
    if bad:
        raise BackupError(f"The backup is damaged: {len(bad)} file(s) missing or changed, e.g. {bad[0]}.")
    return manifest


def _database_is_empty(database: dict[str, Any]) -> bool:
    if _is_sqlite(database):
        path = Path(str(database["NAME"]))
        if not path.exists() or path.stat().st_size == 0:
            return True
        with sqlite3.connect(str(path)) as connection:
            tables = connection.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        return tables == 0
    args, env = _pg_env(database)
    done = subprocess.run(  # noqa: S603
        ["psql", *args, "-tAc", "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", database["NAME"]],  # noqa: S607
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BackupError(f"Cannot reach the database to restore into: {done.stderr.strip()}")
    return done.stdout.strip() == "0"


def restore_backup(src: Path, *, database: dict[str, Any], media_root: Path, force: bool = False) -> dict[str, Any]:
    """Restore the backup in `src` into `database` and `media_root`. Refuses a database that
    already holds tables, or a media directory that holds files, unless `force`."""
    src = Path(src)
    manifest = read_verified_manifest(src)
    media_root = Path(media_root)
    if not force:
        if not _database_is_empty(database):
            raise BackupError("The database is not empty: restore into a new one, or add --force to overwrite it.")
        if media_root.is_dir() and any(media_root.iterdir()):
            raise BackupError(f"{media_root} is not empty: empty it, or add --force to overwrite it.")
    database_file = src / manifest["database_file"]
    if manifest["database_file"] == SQLITE_FILE:
        if not _is_sqlite(database):
            raise BackupError("This backup is of a SQLite database; set DATABASE_URL to a SQLite file to restore it.")
        source = sqlite3.connect(str(database_file))
        target = sqlite3.connect(str(database["NAME"]), timeout=60)
        try:
            with target:
                source.backup(target)  # replaces every page of the target
        finally:
            target.close()
            source.close()
    else:
        if _is_sqlite(database):
            raise BackupError("This backup is of a PostgreSQL database; set DATABASE_URL to PostgreSQL to restore it.")
        args, env = _pg_env(database)
        clean = ["--clean", "--if-exists"] if force else []
        _run(
            ["pg_restore", "--no-owner", "--exit-on-error", *clean, *args, "-d", database["NAME"], str(database_file)],
            env,
        )
    if force and media_root.is_dir():
        shutil.rmtree(media_root)
    shutil.copytree(src / MEDIA_DIR, media_root, dirs_exist_ok=True)
    return manifest
