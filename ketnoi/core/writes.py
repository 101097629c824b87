"""The kit every service uses to write: apply a caller's fields, lock a row, save and audit a
row, defer a side effect.

A service (`<entity>_<action>(*, actor, ...)`) is decorated `@transaction.atomic`; code that
must never run inside another transaction (a management command, a task, the demo loader, a
batch that commits item by item) opens `transaction.atomic(durable=True)` so that nesting it
by mistake fails loudly instead of silently widening the transaction. See
docs/architecture.md.
"""

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Literal, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from .audit import AuditAction, audit_record, diff, snapshot
from .models import TimeStampedModel
from .text import normalise

M = TypeVar("M", bound=models.Model)


def strip_text(value: str) -> str:
    return value.strip()


def as_given(value: str) -> str:
    """For services whose validation cleans (or deliberately keeps) the text itself."""
    return value


def normalise_line(value: str) -> str:
    """A one-line value in NFC with its spaces collapsed; text of several lines is only stripped."""
    return normalise(value) if "\n" not in value else value.strip()


def apply_fields(
    instance: models.Model,
    allowed: Iterable[str],
    values: dict[str, Any],
    *,
    clean_text: Callable[[str], str] = strip_text,
) -> None:
    """Set `values` on `instance`. A field outside `allowed` is a programming error (TypeError),
    not a user's mistake: forms only offer the allowed ones. Strings go through `clean_text`."""
    unknown = set(values) - set(allowed)
    if unknown:
        raise TypeError(f"{type(instance).__name__}: unknown fields {', '.join(sorted(unknown))}")
    for name, value in values.items():
        if isinstance(value, str):
            value = clean_text(value)
        setattr(instance, name, value)


def locked(obj: M, *, related: Iterable[str] = (), gone: str | None = None) -> M:
    """`obj` read again under a row lock (SELECT … FOR UPDATE of that row only; SQLite
    serialises writers anyway). `related` joins rows that are read, not locked. When the row is
    gone, `gone` is the message of the ValidationError raised (a stale page); without it the
    model's DoesNotExist propagates."""
    queryset = type(obj)._default_manager.select_for_update(of=("self",))
    if related:
        queryset = queryset.select_related(*related)
    try:
        return queryset.get(pk=obj.pk)
    except type(obj).DoesNotExist:
        if gone is None:
            raise
        raise ValidationError(gone) from None


def save_created(obj: M, *, actor, action: AuditAction, fields: Iterable[str]) -> M:
    """Save a new, already validated row and audit it as created, its `fields` as the entry's
    changes. The tail every create service shared; the checks and building the row stay in the
    service, before this call."""
    obj.save()
    audit_record(actor=actor, action=action, obj=obj, changes=snapshot(obj, list(fields)))
    return obj


def save_changed(
    obj: M,
    changes: dict[str, Any],
    *,
    actor,
    action: AuditAction,
    allowed: Sequence[str],
    validate: Callable[[M], None] | None,
    clean_text: Callable[[str], str] = strip_text,
    audit: Literal["changed", "given"] = "changed",
) -> M:
    """Apply a caller's `changes` to `obj` (`apply_fields` with `allowed` and `clean_text`), run
    `validate(obj)` (None: the service checked the values already), save, and audit the change
    as {field: [old, new]}. The tail every update service shared; the permission check, the lock
    and any rule that needs the row as it was stay in the service, before this call.

    `audit="changed"` compares every `allowed` field and writes an entry only when one changed;
    `audit="given"` (training and events always did so) compares the fields in `changes` and
    writes an entry even when none changed."""
    compared = [name for name in changes if name in allowed] if audit == "given" else list(allowed)
    before = snapshot(obj, compared)
    apply_fields(obj, allowed, changes, clean_text=clean_text)
    if validate is not None:
        validate(obj)
    obj.save()
    changed = diff(before, obj)
    if changed or audit == "given":
        audit_record(actor=actor, action=action, obj=obj, changes=changed)
    return obj


def save_columns(obj: TimeStampedModel, *, actor, action: AuditAction, **values: Any) -> None:
    """Write `values` to the row of `obj` alone (an UPDATE of those columns, `updated_by` and
    `updated_at`; no other field is saved), set them on `obj`, and audit them as
    {field: [old, new]}. For a link a service keeps outside the fields its update takes."""
    changes = {name: [getattr(obj, name), value] for name, value in values.items()}
    type(obj)._default_manager.filter(pk=obj.pk).update(**values, updated_by=actor, updated_at=timezone.now())
    for name, value in values.items():
        setattr(obj, name, value)
    audit_record(actor=actor, action=action, obj=obj, changes=changes)


def set_related(
    changes: dict[str, Any], obj: models.Model, name: str, items: list, *, before: list[str], label: Callable = str
) -> None:
    """Replace the many-to-many `name` of `obj` with `items`; when their sorted labels differ from
    `before`, add {name: [before, after]} to an update's audit `changes`."""
    getattr(obj, name).set(items)
    after = sorted(label(item) for item in items)
    if after != before:
        changes[name] = [before, after]


def after_commit(callback: Callable[[], Any]) -> None:
    """Run `callback` (an e-mail, deleting a replaced file, re-indexing) once the service's
    transaction commits — never for a write that rolls back."""
    transaction.on_commit(callback)
