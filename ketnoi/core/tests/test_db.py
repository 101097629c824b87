"""SQLite overwrites what it frees (secure_delete) on every connection, and an erasure's log
checkpoint is a no-op elsewhere. Debian's SQLite has secure_delete on by default; others
(python.org builds, macOS) do not, so the receiver is tested on a connection that had it off."""

from unittest import mock

import pytest
from django.db import connection
from django.db.backends.signals import connection_created

from ketnoi.core.db import checkpoint_wal, enable_secure_delete

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")


def test_the_receiver_is_connected_at_start_up():
    assert connection_created.disconnect(dispatch_uid="ketnoi.core.secure_delete")
    connection_created.connect(enable_secure_delete, dispatch_uid="ketnoi.core.secure_delete")


@sqlite_only
@pytest.mark.django_db
def test_the_receiver_turns_secure_delete_on():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete=OFF")
        enable_secure_delete(sender=connection.__class__, connection=connection)
        cursor.execute("PRAGMA secure_delete")
        assert cursor.fetchone()[0] == 1


@pytest.mark.django_db
def test_the_checkpoint_runs_only_on_sqlite():
    fake = mock.MagicMock(vendor="postgresql")
    with mock.patch("ketnoi.core.db.connections", {"default": fake}):
        checkpoint_wal()
    fake.cursor.assert_not_called()


@sqlite_only
@pytest.mark.django_db
def test_a_checkpoint_that_cannot_run_is_logged_not_raised(caplog):
    checkpoint_wal()  # inside the test's transaction SQLite refuses: the erasure stays done
    assert "checkpoint" in caplog.text
