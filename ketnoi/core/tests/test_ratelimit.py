"""Rate limits count in the cache; in production that cache is the database, shared by every
process, and `migrate` makes its table."""

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from ketnoi.core import ratelimit

DATABASE_CACHE = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "ketnoi_cache"}}


def test_production_keeps_the_counters_in_the_database():
    import importlib

    import ketnoi.settings as production

    importlib.reload(production)
    assert production.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"


@pytest.mark.django_db
def test_migrate_made_the_cache_table_and_two_processes_share_one_count():
    assert "ketnoi_cache" in connection.introspection.table_names()
    with override_settings(CACHES=DATABASE_CACHE):
        caches["default"].clear()
        assert [ratelimit.take("t:1", limit=2, window_seconds=60) for _ in range(3)] == [True, True, False]
        # Another process has its own cache object but reads the same rows.
        fresh = caches.create_connection("default")
        assert fresh.get("t:1") == 3


def test_a_new_window_starts_when_the_old_one_expires():
    assert ratelimit.take("t:2", limit=1, window_seconds=60)
    assert not ratelimit.take("t:2", limit=1, window_seconds=60)
    caches["default"].delete("t:2")
    assert ratelimit.take("t:2", limit=1, window_seconds=60)


def test_the_migration_is_harmless_when_run_again(db):
    call_command("createcachetable", verbosity=0)
