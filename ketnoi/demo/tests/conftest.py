import pytest
from django.db import connection, transaction


@pytest.fixture(scope="module")
def api_demo_loaded(django_db_setup, django_db_blocker):
    """The demo, loaded once for a module inside a transaction rolled back after its last test.

    Why: loading the demo takes seconds and the whole-API tests only read it (their writes happen
    inside each test's own transaction, a savepoint of this one, and are undone after the test).
    The outer block is flagged as a test case's, as Django's TestCase does for its class-wide
    atomic, so that the loader's durable transaction may run inside it."""
    from .api_demo import load_api_demo

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        connection.atomic_blocks[-1]._from_testcase = True
        try:
            yield load_api_demo()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def api_demo(api_demo_loaded, db):
    """The demo content (both programmes, every app) with a bearer token for its coordinator and
    an id of each kind the API's paths take: what the whole-API checks call the API with."""
    return api_demo_loaded
