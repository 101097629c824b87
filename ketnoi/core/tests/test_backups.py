"""Backups: a snapshot taken while writes go on restores elsewhere with every record acknowledged
before it began, as a consistent prefix of the writes, and the uploaded files."""

import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import threading
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import close_old_connections, connection

from ketnoi.core.backups import BackupError, backup_create, backup_restore
from ketnoi.core.models import User

WRITER_PREFIX = "backup-writer-"


def _writer(acknowledged: list[int], stop: threading.Event, failures: list[BaseException]) -> None:
    """Insert users one after another; a number is acknowledged once its commit has returned."""
    number = 0
    try:
        while not stop.is_set():
            User.objects.create(username=f"{WRITER_PREFIX}{number:06d}")
            acknowledged.append(number)
            number += 1
    except BaseException as exc:  # noqa: BLE001 — reported to the test thread
        failures.append(exc)
    finally:
        close_old_connections()
        connection.close()


def _restore_in_fresh_process(archive: Path, database_url: str, media_root: Path) -> subprocess.CompletedProcess:
    """`manage.py restore` as on a fresh machine: its own settings, an empty database, no media."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "ketnoi.settings",
        "SECRET_KEY": "restore-test-secret-key-long-enough-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media_root),
        "KETNOI_VAR_DIR": str(media_root.parent),
    }
    return subprocess.run(  # noqa: S603 — our own manage.py with a path the test made
        [sys.executable, "manage.py", "restore", str(archive)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _restored_writer_numbers_sqlite(path: Path) -> list[int]:
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT username FROM core_user WHERE username LIKE ?", (WRITER_PREFIX + "%",)).fetchall()
    return sorted(int(name.removeprefix(WRITER_PREFIX)) for (name,) in rows)


def _fresh_postgres_database() -> tuple[str, str]:
    """A new empty database in the test cluster; returns (name, url)."""
    name = f"ketnoi_restore_{uuid.uuid4().hex[:10]}"
    with connection.cursor() as cursor:
        cursor.execute("COMMIT")  # CREATE DATABASE cannot run inside a transaction block
        cursor.execute(f'CREATE DATABASE "{name}"')
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}"
    return name, url


def _restored_writer_numbers_postgres(url: str) -> list[int]:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://")) as db:
        rows = db.execute("SELECT username FROM core_user WHERE username LIKE %s", (WRITER_PREFIX + "%",)).fetchall()
    return sorted(int(name.removeprefix(WRITER_PREFIX)) for (name,) in rows)


@pytest.mark.django_db(transaction=True)
def test_a_backup_taken_during_writes_restores_elsewhere_with_every_acknowledged_record(tmp_path, settings):
    media = tmp_path / "media"
    (media / "library" / "2026").mkdir(parents=True)
    upload = media / "library" / "2026" / "bao-cao.pdf"
    upload.write_bytes(b"%PDF-1.4 " + os.urandom(4096))
    settings.MEDIA_ROOT = media

    acknowledged: list[int] = []
    stop = threading.Event()
    failures: list[BaseException] = []
    writer = threading.Thread(target=_writer, args=(acknowledged, stop, failures))
    writer.start()
    try:
        while len(acknowledged) < 40 and writer.is_alive():
            stop.wait(0.01)
        before_backup = list(acknowledged)
        archive = backup_create(directory=tmp_path / "backups")
        during_backup = len(acknowledged)
        while len(acknowledged) < during_backup + 20 and writer.is_alive():  # writes go on after it
            stop.wait(0.01)
    finally:
        stop.set()
        writer.join(timeout=60)
    assert not failures, failures
    assert len(before_backup) >= 40

    fresh_media = tmp_path / "fresh-machine" / "media"
    if connection.vendor == "sqlite":
        fresh_database = tmp_path / "fresh-machine" / "ketnoi.sqlite3"
        result = _restore_in_fresh_process(archive, f"sqlite:///{fresh_database}", fresh_media)
        assert result.returncode == 0, result.stdout + result.stderr
        restored = _restored_writer_numbers_sqlite(fresh_database)
    else:
        name, url = _fresh_postgres_database()
        try:
            result = _restore_in_fresh_process(archive, url, fresh_media)
            assert result.returncode == 0, result.stdout + result.stderr
            restored = _restored_writer_numbers_postgres(url)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("COMMIT")
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')

    # Every write acknowledged before the backup began is in it, and the snapshot is one instant:
    # the writes it holds are the first n of the sequence, with no gap.
    assert set(before_backup) <= set(restored)
    assert restored == list(range(len(restored)))
    assert len(restored) <= len(acknowledged)
    assert (fresh_media / "library" / "2026" / "bao-cao.pdf").read_bytes() == upload.read_bytes()


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_holds_data_and_a_damaged_archive(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    User.objects.create(username="still-here")
    archive = backup_create(directory=tmp_path)

    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(archive))
    assert User.objects.filter(username="still-here").exists()

    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("database."):
                data = data[:-1] + bytes([data[-1] ^ 0xFF])
            target.addfile(member, io.BytesIO(data))
    with pytest.raises(BackupError, match="checksum"):
        backup_restore(archive=damaged, force=True)
    assert User.objects.filter(username="still-here").exists()

    not_a_backup = tmp_path / "notes.tar"
    not_a_backup.write_bytes(b"this is not a tar file at all")
    with pytest.raises(BackupError, match="not a readable backup"):
        backup_restore(archive=not_a_backup, force=True)


def test_restore_refuses_an_archive_that_writes_outside_its_folder(tmp_path, settings, db):
    settings.MEDIA_ROOT = tmp_path / "media"
    hostile = tmp_path / "hostile.tar"
    with tarfile.open(hostile, "w") as tar:
        manifest = json.dumps(
            {"format": 1, "engine": connection.vendor, "created_at": "2026-01-01", "checksums": {}, "missing": []}
        ).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(manifest)
        tar.addfile(info, io.BytesIO(manifest))
        escape = tarfile.TarInfo("../../escaped.txt")
        escape.size = 3
        tar.addfile(escape, io.BytesIO(b"bad"))
    with pytest.raises(BackupError, match="unpacked safely"):
        backup_restore(archive=hostile, force=True)
    assert not (tmp_path.parent / "escaped.txt").exists()


def _member(tar: tarfile.TarFile, name: str, data: bytes = b"", **kind) -> None:
    info = tarfile.TarInfo(name)
    for key, value in kind.items():
        setattr(info, key, value)
    info.size = len(data) if info.isfile() else 0
    tar.addfile(info, io.BytesIO(data) if info.isfile() else None)


@pytest.mark.parametrize("link_type", [tarfile.SYMTYPE, tarfile.LNKTYPE])
def test_restore_refuses_links_and_checksum_names_that_climb_out_of_the_uploads(
    tmp_path, settings, db, monkeypatch, link_type
):
    """A tampered archive: `media` is a link inside the archive's own tree (which tarfile's
    "data" filter allows), and the manifest names `media/../../escaped.txt`, which then reads
    from inside the archive but would be written two folders above MEDIA_ROOT."""
    import hashlib

    from ketnoi.core import backups

    monkeypatch.setattr(backups, "_restore_sqlite", lambda alias, snapshot: None)
    monkeypatch.setattr(backups, "_restore_postgres", lambda alias, dump: None)
    settings.MEDIA_ROOT = tmp_path / "media"
    database = backups.SQLITE_MEMBER if connection.vendor == "sqlite" else backups.POSTGRES_MEMBER
    escaped = b"#!/bin/sh\necho owned\n"
    checksums = {
        database: hashlib.sha256(b"db").hexdigest(),
        "media/../../escaped.txt": hashlib.sha256(escaped).hexdigest(),
    }
    manifest = json.dumps(
        {"format": 1, "engine": connection.vendor, "created_at": "2026-01-01", "checksums": checksums, "missing": []}
    ).encode()
    hostile = tmp_path / "hostile.tar"
    with tarfile.open(hostile, "w") as tar:
        _member(tar, "manifest.json", manifest)
        _member(tar, database, b"db")
        _member(tar, "x", type=tarfile.DIRTYPE, mode=0o755)
        _member(tar, "x/y", type=tarfile.DIRTYPE, mode=0o755)
        _member(tar, "escaped.txt", escaped)
        if link_type == tarfile.SYMTYPE:
            _member(tar, "media", type=tarfile.SYMTYPE, linkname="x/y")
        else:  # our backups never hold links of either kind
            _member(tar, "x/y/copy.txt", type=tarfile.LNKTYPE, linkname="escaped.txt")
    with pytest.raises(BackupError, match="link|outside"):
        backup_restore(archive=hostile, force=True)
    assert not (tmp_path.parent / "escaped.txt").exists()
