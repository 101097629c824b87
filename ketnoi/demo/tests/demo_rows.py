"""Running `manage.py demo_load` and counting the rows it leaves, for the demo-load tests."""

from io import StringIO

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from ketnoi.core.models import AuditEntry


def run() -> str:
    out = StringIO()
    call_command("demo_load", stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    """Rows of every directory and programme table (many-to-many links included), accounts and audit."""
    models = [
        model
        for label in ("directory", "programmes")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]
    models += [AuditEntry, get_user_model()]
    return {model._meta.db_table: model.objects.count() for model in models}
