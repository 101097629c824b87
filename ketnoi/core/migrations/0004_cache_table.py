"""The database cache's table (settings.CACHES, `ketnoi_cache` by default), made by `migrate` so
that no deployment step can forget `createcachetable`. When CACHES names another backend (the
test settings' memory cache) the default table is made anyway: it is empty and costs nothing."""

from django.conf import settings
from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    tables = [
        cache["LOCATION"]
        for cache in settings.CACHES.values()
        if cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    ]
    call_command(
        "createcachetable", *(tables or ["ketnoi_cache"]), database=schema_editor.connection.alias, verbosity=0
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0003_outgoing_email")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
