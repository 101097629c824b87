from ketnoi.core.audit import audit_for, audit_record, diff, snapshot
from ketnoi.core.models import AuditEntry


def test_audit_record_and_read_back_per_object(db, coordinator, prog, other_prog):
    before = snapshot(prog, ["name", "start_date"])
    prog.name = "Tên mới"
    changes = diff(before, prog)
    assert changes == {"name": ["Chương trình thử nghiệm", "Tên mới"]}

    audit_record(actor=coordinator, action="programmes.programme_update", obj=prog, changes=changes)
    audit_record(actor=coordinator, action="programmes.programme_update", obj=other_prog, changes={})

    entries = list(audit_for(prog))
    assert len(entries) == 1
    assert entries[0].actor == coordinator
    assert entries[0].changes == {"name": ["Chương trình thử nghiệm", "Tên mới"]}
    assert entries[0].object_repr == "Tên mới"


def test_anonymous_actor_is_stored_as_none(db, prog):
    from django.contrib.auth.models import AnonymousUser

    entry = audit_record(actor=AnonymousUser(), action="x.y", obj=prog)
    assert AuditEntry.objects.get(pk=entry.pk).actor is None
