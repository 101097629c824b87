"""An erased e-mail leaves the SQLite file and its write-ahead log: secure_delete zeroes the
freed space on every connection and the erasure checkpoints the log once committed."""

import uuid
from pathlib import Path

import pytest
from django.db import connection

from ketnoi.directory.models import Person
from ketnoi.directory.services import person_create, person_erase, person_update

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's file and log; PostgreSQL: VACUUM")


@sqlite_only
@pytest.mark.django_db
def test_every_sqlite_connection_has_secure_delete_on():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        assert cursor.fetchone()[0] == 1


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_the_erased_e_mail_is_in_neither_the_database_file_nor_its_log(coordinator):
    email = f"xoa-{uuid.uuid4().hex}@example.org"
    person = person_create(actor=coordinator, full_name="Đỗ Thị Mai", email=email, phone="0987654321")
    person_update(actor=coordinator, person=person, position="Cán bộ dự án")
    person_erase(actor=coordinator, person=Person.objects.get(pk=person.pk))

    database = Path(connection.settings_dict["NAME"])
    assert database.is_file(), "the test database is a file (settings_test)"
    needle = email.encode()
    for path in (database, Path(f"{database}-wal")):
        if path.exists():
            assert needle not in path.read_bytes(), f"{path.name} still holds the erased e-mail"
