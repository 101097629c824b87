import importlib

import pytest
from django.apps import apps

from ketnoi.core.audit import AuditAction, audit_for, audit_record, diff, snapshot
from ketnoi.core.models import AuditEntry


class SampleAction(AuditAction):
    PROGRAMME_UPDATE = "programmes.programme_update"
    ANYTHING = "x.y"


def test_audit_record_and_read_back_per_object(db, coordinator, prog, other_prog):
    before = snapshot(prog, ["name", "start_date"])
    prog.name = "Tên mới"
    changes = diff(before, prog)
    assert changes == {"name": ["Chương trình thử nghiệm", "Tên mới"]}

    audit_record(actor=coordinator, action=SampleAction.PROGRAMME_UPDATE, obj=prog, changes=changes)
    audit_record(actor=coordinator, action=SampleAction.PROGRAMME_UPDATE, obj=other_prog, changes={})

    entries = list(audit_for(prog))
    assert len(entries) == 1
    assert entries[0].actor == coordinator
    assert entries[0].changes == {"name": ["Chương trình thử nghiệm", "Tên mới"]}
    assert entries[0].object_repr == "Tên mới"


def test_anonymous_actor_is_stored_as_none(db, prog):
    from django.contrib.auth.models import AnonymousUser

    entry = audit_record(actor=AnonymousUser(), action=SampleAction.ANYTHING, obj=prog)
    assert AuditEntry.objects.get(pk=entry.pk).actor is None


def test_a_plain_string_is_not_an_action(db, prog):
    with pytest.raises(TypeError, match="AuditAction"):
        audit_record(actor=None, action="programmes.programme_update", obj=prog)
    assert not AuditEntry.objects.exists()


def _app_actions() -> dict[str, type[AuditAction]]:
    """Every app's enum of audit actions (ketnoi/<app>/services/actions.py)."""
    found = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("ketnoi.") or config.label in ("demo", "home"):  # composition: no writes
            continue
        module = importlib.import_module(f"{config.name}.services.actions")
        enums = [
            v
            for v in vars(module).values()
            if isinstance(v, type) and issubclass(v, AuditAction) and v is not AuditAction
        ]
        assert len(enums) == 1, f"{config.name}.services.actions defines one AuditAction enum"
        found[config.label] = enums[0]
    return found


def test_every_app_names_its_actions_after_itself_once():
    actions = _app_actions()
    assert set(actions) == {"core", "directory", "programmes", "surveys", "news", "training", "events", "library"}
    seen: set[str] = set()
    for label, enum in actions.items():
        for member in enum:
            app, _, name = member.value.partition(".")
            assert app == label and name, f"{enum.__name__}.{member.name} = {member.value!r}"
            assert member.value not in seen
            seen.add(member.value)
