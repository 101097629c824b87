import pytest

from ketnoi.core.tests.module_db import module_transaction


@pytest.fixture(scope="module")
def api_demo_loaded(django_db_setup, django_db_blocker):
    """The demo, loaded once for a module inside a transaction rolled back after its last test.

    Why: loading the demo takes seconds and the whole-API tests only read it (their writes happen
    inside each test's own transaction, a savepoint of this one, and are undone after the test).
    See ketnoi/core/tests/module_db.py."""
    from .api_demo import load_api_demo

    with module_transaction(django_db_blocker):
        yield load_api_demo()


@pytest.fixture
def api_demo(api_demo_loaded, db):
    """The demo content (both programmes, every app) with a bearer token for its coordinator and
    an id of each kind the API's paths take: what the whole-API checks call the API with."""
    return api_demo_loaded


@pytest.fixture(scope="module")
def demo_loaded_for_module(django_db_setup, django_db_blocker):
    """`manage.py demo_load` run once for a module (its output), rolled back after the module's
    last test: see ketnoi/core/tests/module_db.py. The demo stays loaded until then, so a test that
    needs an empty database belongs in a module that does not use it."""
    from io import StringIO

    from django.core.management import call_command

    with module_transaction(django_db_blocker):
        out = StringIO()
        call_command("demo_load", stdout=out)
        yield out.getvalue()


@pytest.fixture
def demo_loaded(demo_loaded_for_module, db):
    """The demo as `manage.py demo_load` leaves it, loaded once for the module; what a test writes
    on it is undone after the test. Its value is what the command printed."""
    return demo_loaded_for_module
