"""The audit trail every service writes. Call inside the service's transaction.

An action is a member of an app's `AuditAction` enum (`ketnoi/<app>/services/actions.py`), named
`<app>.<entity>_<action>` like the service that writes it: a typo is an AttributeError at import,
not a silently new action name in the log.
"""

from datetime import date, datetime, time
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile

from .models import AuditEntry


class AuditAction(StrEnum):
    """Base of every app's audit actions. Subclass it with members `NAME = "<app>.<name>"`."""


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return {"id": value.pk, "repr": str(value)}
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """The current values of `fields`, taken before an update so `diff` can compare."""
    return {name: _jsonable(getattr(instance, name)) for name in fields}


def diff(before: dict[str, Any], instance: models.Model) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields in `before` whose value changed."""
    changes = {}
    for name, old in before.items():
        new = _jsonable(getattr(instance, name))
        if old != new:
            changes[name] = [old, new]
    return changes


def audit_record(*, actor, action: AuditAction, obj: models.Model, changes: dict | None = None) -> AuditEntry:
    if not isinstance(action, AuditAction):
        raise TypeError(f"audit_record: action {action!r} is not a member of an app's AuditAction enum")
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        changes={k: _jsonable(v) for k, v in (changes or {}).items()},
    )


def audit_for(obj: models.Model):
    """The audit entries of one object, newest first."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True), object_id=str(obj.pk)
    ).select_related("actor")
