import pytest
from django.core.exceptions import ValidationError

from ketnoi.core.audit import AuditAction, audit_for
from ketnoi.core.writes import save_changed, save_created
from ketnoi.programmes.models import Programme


class SampleAction(AuditAction):
    CREATE = "x.create"
    UPDATE = "x.update"


FIELDS = ("name", "description")


def test_save_created_saves_and_audits_the_fields(db, coordinator):
    programme = Programme(name="Mới", code="moi", description="Mô tả")
    assert save_created(programme, actor=coordinator, action=SampleAction.CREATE, fields=FIELDS) is programme
    assert programme.pk is not None
    [entry] = audit_for(programme)
    assert entry.action == "x.create"
    assert entry.changes == {"name": "Mới", "description": "Mô tả"}


def test_save_changed_audits_what_changed_and_nothing_when_unchanged(db, coordinator, prog):
    kwargs = {"actor": coordinator, "action": SampleAction.UPDATE, "allowed": FIELDS, "validate": None}
    save_changed(prog, {"name": prog.name}, **kwargs)
    assert not audit_for(prog).exists()

    save_changed(prog, {"name": "  Tên mới  "}, **kwargs)
    prog.refresh_from_db()
    assert prog.name == "Tên mới"  # stripped by the default clean_text
    [entry] = audit_for(prog)
    assert entry.changes == {"name": ["Chương trình thử nghiệm", "Tên mới"]}


def test_save_changed_given_audits_the_given_fields_every_time(db, coordinator, prog):
    kwargs = {"actor": coordinator, "action": SampleAction.UPDATE, "allowed": FIELDS, "validate": None}
    save_changed(prog, {"name": prog.name}, audit="given", **kwargs)
    save_changed(prog, {"description": "Khác"}, audit="given", **kwargs)
    assert [e.changes for e in audit_for(prog)] == [{"description": ["", "Khác"]}, {}]


def test_save_changed_refusals_save_nothing(db, coordinator, prog):
    def refuse(programme):
        raise ValidationError({"name": "no"})

    kwargs = {"actor": coordinator, "action": SampleAction.UPDATE, "allowed": FIELDS}
    with pytest.raises(TypeError, match="unknown fields code"):
        save_changed(prog, {"code": "x"}, validate=None, audit="given", **kwargs)
    with pytest.raises(ValidationError):
        save_changed(prog, {"name": "Khác"}, validate=refuse, **kwargs)
    prog.refresh_from_db()
    assert prog.name == "Chương trình thử nghiệm"
    assert not audit_for(prog).exists()
