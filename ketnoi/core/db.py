"""Database connection set-up that erasure relies on.

SQLite keeps a deleted or overwritten value in the file's free space, and in the write-ahead log
until a checkpoint, where anyone with a copy of the file can read it back. `secure_delete`
makes SQLite overwrite freed content with zeros on every connection; after an erasure,
`checkpoint_wal` copies the log into the database and truncates it. PostgreSQL keeps old row
versions until VACUUM (autovacuum) reclaims them: see the README's "Personal data and erasure".
"""

import logging

from django.db import OperationalError, connections

logger = logging.getLogger(__name__)


def enable_secure_delete(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: zero the freed content on every new SQLite connection."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete=ON")


def checkpoint_wal(using: str = "default") -> None:
    """Copy the SQLite write-ahead log into the database file and truncate it, so the values an
    erasure overwrote leave the log too. Call it after the erasure commits; nothing elsewhere."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            busy, _log_frames, _copied = cursor.fetchone()
    except OperationalError:
        # The erasure is committed; a checkpoint that cannot run now (inside a transaction, a
        # locked table) is done by SQLite's own automatic checkpoints later. Never fail the page.
        logger.warning("WAL checkpoint after an erasure could not run", exc_info=True)
        return
    if busy:
        logger.warning("WAL checkpoint after an erasure was blocked by a reader; SQLite will checkpoint later")
