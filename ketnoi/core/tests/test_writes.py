"""The save-and-audit tail of create and update services (core.writes.save_created and
save_changed), tried on core's own user model."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from ketnoi.core.audit import AuditAction, audit_for
from ketnoi.core.models import User
from ketnoi.core.writes import save_changed, save_created, set_related


class SampleAction(AuditAction):
    CREATE = "x.create"
    UPDATE = "x.update"


FIELDS = ("first_name", "last_name")


@pytest.fixture
def person(make_user):
    return make_user("nguoi", first_name="An", last_name="Lê")


def test_save_created_saves_and_audits_the_fields(make_user):
    actor = make_user("actor")
    user = User(username="moi", first_name="Bình", last_name="Trần")
    assert save_created(user, actor=actor, action=SampleAction.CREATE, fields=FIELDS) is user
    assert user.pk is not None
    [entry] = audit_for(user)
    assert (entry.action, entry.actor) == ("x.create", actor)
    assert entry.changes == {"first_name": "Bình", "last_name": "Trần"}


def test_save_changed_audits_what_changed_and_nothing_when_unchanged(person):
    kwargs = {"actor": person, "action": SampleAction.UPDATE, "allowed": FIELDS, "validate": None}
    save_changed(person, {"first_name": "An"}, **kwargs)
    assert not audit_for(person).exists()

    save_changed(person, {"first_name": "  Bảo  "}, **kwargs)
    person.refresh_from_db()
    assert person.first_name == "Bảo"  # stripped by the default clean_text
    [entry] = audit_for(person)
    assert entry.changes == {"first_name": ["An", "Bảo"]}


def test_save_changed_given_audits_the_given_fields_every_time(person):
    kwargs = {"actor": person, "action": SampleAction.UPDATE, "allowed": FIELDS, "validate": None}
    save_changed(person, {"first_name": "An"}, audit="given", **kwargs)
    save_changed(person, {"last_name": "Phạm"}, audit="given", **kwargs)
    assert [e.changes for e in audit_for(person)] == [{"last_name": ["Lê", "Phạm"]}, {}]


def test_save_changed_refusals_save_nothing(person):
    def refuse(user):
        raise ValidationError({"first_name": "no"})

    kwargs = {"actor": person, "action": SampleAction.UPDATE, "allowed": FIELDS}
    with pytest.raises(TypeError, match="unknown fields email"):
        save_changed(person, {"email": "x@example.org"}, validate=None, audit="given", **kwargs)
    with pytest.raises(ValidationError):
        save_changed(person, {"first_name": "Khác"}, validate=refuse, **kwargs)
    person.refresh_from_db()
    assert person.first_name == "An"
    assert not audit_for(person).exists()


def test_set_related_replaces_the_rows_and_notes_a_change_of_labels(person):
    readers, editors = Group.objects.create(name="đọc"), Group.objects.create(name="sửa")
    person.groups.set([readers])
    changes = {}
    set_related(changes, person, "groups", [readers], before=["đọc"], label=lambda g: g.name)
    assert changes == {}
    set_related(changes, person, "groups", [editors, readers], before=["đọc"], label=lambda g: g.name)
    assert set(person.groups.all()) == {readers, editors}
    assert changes == {"groups": [["đọc"], ["sửa", "đọc"]]}
