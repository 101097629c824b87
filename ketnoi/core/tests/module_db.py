"""Rows made once for a whole test module and rolled back after its last test.

A module whose tests only read a large set of rows (the demo), or whose writes each test undoes
(every test runs in its own transaction, here a savepoint), can make those rows once in a
module-scoped fixture instead of once per test:

    @pytest.fixture(scope="module")
    def big_rows(django_db_setup, django_db_blocker):
        with module_transaction(django_db_blocker):
            yield make_them()

    @pytest.fixture
    def big(big_rows, db):  # each test: a savepoint inside the module's transaction
        return big_rows

Every test of such a module must use the fixture: a test that wants an empty database belongs in
another module, since the rows stay until the module's last test. Not for transactional tests
(`transaction=True`), which commit and empty the tables."""

from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def module_transaction(django_db_blocker):
    """An outer transaction, flagged as a test case's as Django's TestCase does for its class-wide
    atomic (so that code opening `atomic(durable=True)`, such as the demo loader, may run inside
    it), rolled back at the end whatever happened."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        connection.atomic_blocks[-1]._from_testcase = True
        try:
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
