"""Backups: one archive holds a consistent snapshot of the database and the uploaded files, and
restores on a fresh machine.

The archive is a plain tar file (`ketnoi-backup-<UTC time>.tar`) with:

    manifest.json        when, which engine, the schema's last migrations, a SHA-256 per member
    database.sqlite3     SQLite: a copy made by SQLite's online backup API (a consistent snapshot
                         even while others write; WAL readers are never blocked), or
    database.pgdump      PostgreSQL: `pg_dump --format=custom` (one repeatable-read snapshot)
    media/…              every file under MEDIA_ROOT, copied after the database snapshot

The files are copied after the snapshot so that every file a row of the snapshot names already
exists (an upload is written before its row commits); a file added later is harmless, and one
deleted in between is listed under `missing` in the manifest.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connections

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.pgdump"
MEDIA_PREFIX = "media/"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class RestoreResult:
    created_at: str
    engine: str
    media_files: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _engine(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def _pg_tool(name: str) -> str:
    """`pg_dump`/`pg_restore` from PATH, else the newest server's binaries (Debian's layout)."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[-3]))
    if candidates:
        return str(candidates[-1])
    raise BackupError(f"{name} was not found: install the PostgreSQL client (apt-get install postgresql-client).")


def _pg_environment(db: dict) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for the PostgreSQL tools; the password goes in the environment, never
    on a command line that `ps` shows."""
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _snapshot_sqlite(alias: str, target: Path) -> None:
    source = sqlite3.connect(connections[alias].settings_dict["NAME"], timeout=60)
    try:
        destination = sqlite3.connect(target)
        try:
            # One step copies every page under one read transaction: the snapshot is the database
            # as of one instant, however many writers commit meanwhile (WAL lets them).
            source.backup(destination, pages=-1)
        finally:
            destination.close()
    finally:
        source.close()


def _snapshot_postgres(alias: str, target: Path) -> None:
    args, env = _pg_environment(connections[alias].settings_dict)
    command = [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(target), *args]
    # The arguments are the configured database's own settings, not anyone's input.
    completed = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if completed.returncode != 0:
        raise BackupError(f"pg_dump failed: {completed.stderr.strip()}")


def _last_migrations(alias: str) -> dict[str, str]:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT app, MAX(name) FROM django_migrations GROUP BY app")
        return dict(cursor.fetchall())


def backup_create(*, directory: Path, alias: str = "default", media_root: Path | None = None) -> Path:
    """Write one archive into `directory` and return its path."""
    engine = _engine(alias)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    directory.mkdir(parents=True, exist_ok=True)
    created_at = datetime.now(UTC)
    archive = directory / f"ketnoi-backup-{created_at:%Y%m%dT%H%M%S%fZ}.tar"
    with tempfile.TemporaryDirectory(dir=directory) as work:
        database_file = Path(work) / (SQLITE_MEMBER if engine == "sqlite" else POSTGRES_MEMBER)
        migrations = _last_migrations(alias)
        if engine == "sqlite":
            _snapshot_sqlite(alias, database_file)
        else:
            _snapshot_postgres(alias, database_file)
        checksums = {database_file.name: _sha256(database_file)}
        missing: list[str] = []
        partial = archive.with_suffix(".tar.partial")
        with tarfile.open(partial, "w") as tar:
            tar.add(database_file, arcname=database_file.name)
            if media_root.is_dir():
                for path in sorted(p for p in media_root.rglob("*") if p.is_file() and not p.is_symlink()):
                    name = MEDIA_PREFIX + path.relative_to(media_root).as_posix()
                    try:
                        checksums[name] = _sha256(path)
                        tar.add(path, arcname=name)
                    except FileNotFoundError:  # deleted since the listing
                        checksums.pop(name, None)
                        missing.append(name)
            manifest = {
                "format": FORMAT_VERSION,
                "created_at": created_at.isoformat(),
                "engine": engine,
                "migrations": migrations,
                "checksums": checksums,
                "missing": missing,
            }
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(created_at.timestamp())
            tar.addfile(info, io.BytesIO(data))
        # Renamed only once complete: a half-written archive never looks like a backup.
        partial.rename(archive)
    return archive


def _read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        member = tar.getmember(MANIFEST)
    except KeyError:
        raise BackupError("This file is not a Kết Nối backup: it has no manifest.json.") from None
    manifest = json.load(tar.extractfile(member))
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"This backup's format ({manifest.get('format')}) is not one this version reads.")
    return manifest


def _refuse_tampering(tar: tarfile.TarFile, manifest: dict) -> None:
    """Our archives hold only plain files and folders, and the manifest names members by plain
    relative paths. A link inside the archive's own tree passes tarfile's "data" filter, and
    with a manifest name such as `media/../../x` it would let a restore write outside MEDIA_ROOT."""
    for member in tar.getmembers():
        if not (member.isfile() or member.isdir()):
            raise BackupError(
                f"The backup holds a link or special file ({member.name}), which Kết Nối backups never do: "
                "it may have been tampered with. Nothing was restored."
            )
    for name in manifest.get("checksums", {}):
        parts = PurePosixPath(name).parts
        if not parts or name.startswith("/") or "\\" in name or any(part in ("..", ".") for part in parts):
            raise BackupError(
                f"The backup's manifest names a file outside the archive ({name}): it may have been tampered "
                "with. Nothing was restored."
            )


def _database_has_data(alias: str) -> bool:
    connection = connections[alias]
    try:
        tables = connection.introspection.table_names()
    except Exception:  # noqa: BLE001 — a database that does not exist yet holds nothing
        return False
    if "django_migrations" not in tables:
        return bool(tables)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_migrations")
        return cursor.fetchone()[0] > 0


def _restore_sqlite(alias: str, snapshot: Path) -> None:
    connections[alias].close()
    target = Path(connections[alias].settings_dict["NAME"])
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(snapshot)
    try:
        destination = sqlite3.connect(target, timeout=60)
        try:
            # The backup API writes through SQLite (WAL and all), so the target is replaced safely
            # even if it exists; the old -wal content is superseded, not mixed in.
            source.backup(destination, pages=-1)
            destination.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            destination.close()
    finally:
        source.close()


def _restore_postgres(alias: str, dump: Path) -> None:
    connections[alias].close()
    args, env = _pg_environment(connections[alias].settings_dict)
    command = [
        _pg_tool("pg_restore"),
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        *args,
        str(dump),
    ]
    completed = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if completed.returncode != 0:
        raise BackupError(f"pg_restore failed: {completed.stderr.strip()}")


def backup_restore(
    *, archive: Path, force: bool = False, alias: str = "default", media_root: Path | None = None
) -> RestoreResult:
    """Restore `archive` into the database `alias` and MEDIA_ROOT. Refuses a database that holds
    data unless `force`; checks every member's checksum before anything is written."""
    engine = _engine(alias)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    if not archive.is_file():
        raise BackupError(f"{archive} does not exist.")
    try:
        tar = tarfile.open(archive, "r")  # noqa: SIM115 — closed by the `with tar` below
    except tarfile.TarError as exc:
        raise BackupError(f"{archive} is not a readable backup archive ({exc}).") from None
    with tar, tempfile.TemporaryDirectory() as work:
        manifest = _read_manifest(tar)
        if manifest["engine"] != engine:
            raise BackupError(
                f"This backup is of a {manifest['engine']} database; the configured one is {engine}. "
                "Restore it on the same kind of database (set DATABASE_URL)."
            )
        if _database_has_data(alias) and not force:
            raise BackupError(
                "The configured database already holds data; restoring would replace it. "
                "Run again with --force if that is what you want."
            )
        _refuse_tampering(tar, manifest)
        # tarfile's "data" filter refuses absolute paths, "..", links out of the tree and devices.
        try:
            tar.extractall(work, filter="data")
        except (tarfile.TarError, OSError) as exc:
            raise BackupError(f"The backup cannot be unpacked safely ({exc}). Nothing was restored.") from None
        checksums: dict[str, str] = manifest["checksums"]
        for name, expected in checksums.items():
            path = Path(work, name)
            if not path.is_file() or _sha256(path) != expected:
                raise BackupError(f"The backup is damaged: {name} does not match its checksum. Nothing was restored.")
        database_name = SQLITE_MEMBER if engine == "sqlite" else POSTGRES_MEMBER
        if database_name not in checksums:
            raise BackupError("The backup holds no database. Nothing was restored.")
        if engine == "sqlite":
            _restore_sqlite(alias, Path(work, database_name))
        else:
            _restore_postgres(alias, Path(work, database_name))
        media_files = 0
        for name in checksums:
            if not name.startswith(MEDIA_PREFIX):
                continue
            target = media_root / name.removeprefix(MEDIA_PREFIX)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(Path(work, name), target)
            media_files += 1
    return RestoreResult(created_at=manifest["created_at"], engine=engine, media_files=media_files)
