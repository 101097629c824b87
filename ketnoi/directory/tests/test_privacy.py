from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ketnoi.core import registry
from ketnoi.core.models import AuditEntry
from ketnoi.directory.models import Consent, Person, Sex
from ketnoi.directory.services import consent_record, person_create, person_erase, person_export, person_update

from .factories import make_organisation, province


@pytest.fixture
def other_app_handler(monkeypatch):
    """A stand-in for another app (training, events…) that stores something about people."""
    calls = []
    handlers = dict(registry._personal_data)
    monkeypatch.setattr(registry, "_personal_data", handlers)
    registry.register_personal_data(
        "training",
        export=lambda person, programmes=None: {"attendance": [f"lớp của #{person.pk}"]},
        erase=lambda person, programmes=None: calls.append(person.pk),
    )
    return calls


@pytest.fixture
def lan(coordinator, learner):
    person = person_create(
        actor=coordinator,
        full_name="Nguyễn Thị Lan",
        sex=Sex.FEMALE,
        birth_year=2012,
        position="Học sinh",
        organisation=make_organisation(),
        email="lan@example.org",
        phone="0912345678",
        province=province("Cần Thơ"),
    )
    Person.objects.filter(pk=person.pk).update(user=learner)
    person.refresh_from_db()
    consent_record(
        actor=coordinator,
        person=person,
        purpose="Chụp ảnh",
        given_on=date(2025, 5, 1),
        method="written",
        guardian_name="Nguyễn Văn Bình",
    )
    person_update(actor=coordinator, person=person, position="Tình nguyện viên")
    return person


def test_the_directory_registers_its_handler():
    assert "directory" in {handler.name for handler in registry.personal_data_handlers()}


def test_export_holds_the_person_consents_and_every_app(coordinator, lan, other_app_handler):
    data = person_export(actor=coordinator, person=lan)
    assert data["person"]["full_name"] == "Nguyễn Thị Lan"
    assert data["person"]["email"] == "lan@example.org"
    assert data["person"]["province"] == "Cần Thơ"
    assert data["person"]["user"] == "learner"
    assert data["data"]["directory"]["consents"] == [
        {
            "purpose": "Chụp ảnh",
            "given_on": "2025-05-01",
            "method": "written",
            "guardian_name": "Nguyễn Văn Bình",
            "withdrawn_on": None,
        }
    ]
    assert data["data"]["training"] == {"attendance": [f"lớp của #{lan.pk}"]}
    assert AuditEntry.objects.filter(action="directory.person_export", object_id=str(lan.pk)).exists()


def test_erase_anonymises_in_place_and_calls_every_app(coordinator, lan, other_app_handler):
    person_erase(actor=coordinator, person=lan)
    lan.refresh_from_db()
    assert lan.full_name == f"Đã xoá #{lan.pk}"
    assert (lan.email, lan.phone, lan.position, lan.birth_year, lan.sex, lan.user) == (
        "",
        "",
        "",
        None,
        "unknown",
        None,
    )
    assert lan.erased_at is not None
    assert lan.organisation is not None and lan.province is not None  # statistics still count
    consent = Consent.objects.get(person=lan)
    assert consent.purpose == "Chụp ảnh" and consent.guardian_name == ""
    assert other_app_handler == [lan.pk]
    # The earlier audit entries no longer carry the old values.
    for entry in AuditEntry.objects.all():
        assert "Nguyễn" not in f"{entry.changes} {entry.object_repr}"
        assert "lan@example.org" not in str(entry.changes)
    assert AuditEntry.objects.filter(action="directory.person_erase").count() == 1


def test_erase_is_once_and_for_editors_only(coordinator, viewer, lan):
    with pytest.raises(PermissionDenied):
        person_erase(actor=viewer, person=lan)
    with pytest.raises(PermissionDenied):
        person_export(actor=viewer, person=lan)
    person_erase(actor=coordinator, person=lan)
    with pytest.raises(ValidationError):
        person_erase(actor=coordinator, person=lan)


def test_other_apps_erase_while_the_e_mail_and_account_are_still_known(coordinator, lan, monkeypatch):
    """Apps find what they hold by the person's e-mail or account (news comments, survey
    responses): they must see both when asked to erase, not the blanks left afterwards."""
    seen = []
    handlers = dict(registry._personal_data)
    monkeypatch.setattr(registry, "_personal_data", handlers)
    registry.register_personal_data(
        "news",
        export=lambda person, programmes=None: {},
        erase=lambda person, programmes=None: seen.append((person.email, person.user_id)),
    )
    person_erase(actor=coordinator, person=lan)
    assert seen == [("lan@example.org", lan.user_id)]
    assert Person.objects.get(pk=lan.pk).email == ""


def test_erasure_blanks_and_disables_the_persons_account(coordinator, lan, learner):
    learner.first_name, learner.last_name, learner.email = "Lan", "Nguyễn Thị", "lan@example.org"
    learner.username = "lan@example.org"
    learner.save()
    person_erase(actor=coordinator, person=lan)
    learner.refresh_from_db()
    assert (learner.first_name, learner.last_name, learner.email) == ("", "", "")
    assert "lan" not in learner.username.lower()
    assert not learner.is_active and not learner.has_usable_password()


def test_erasure_blanks_the_e_mail_queued_to_the_person_and_export_lists_it(
    coordinator, staff_admin, lan, django_capture_on_commit_callbacks
):
    from ketnoi.core.models import OutgoingEmail
    from ketnoi.core.services import mail_queue

    context = {"name": "Nguyễn Thị Lan", "title": "Hội thảo", "when": "01/06/2026", "days": 7, "link": "x"}
    with django_capture_on_commit_callbacks(execute=True):
        to_lan = mail_queue(to="Lan@Example.org", template="events/email/registration_confirm", context=context)
        to_other = mail_queue(to="an@example.org", template="events/email/registration_confirm", context=context)
    # The e-mail belongs to no programme (its subject may name another programme's workshop):
    # staff and data protection officers export it, a coordinator's export leaves it out.
    exported = person_export(actor=staff_admin, person=lan)["data"]["core"]["emails"]
    assert [e["subject"] for e in exported] == [to_lan.subject]
    assert person_export(actor=coordinator, person=lan)["data"]["core"] == {}

    person_erase(actor=coordinator, person=lan)
    to_lan.refresh_from_db()
    to_other.refresh_from_db()
    assert (to_lan.to, to_lan.subject, to_lan.body) == ([], "", "")
    assert to_lan.status == OutgoingEmail.Status.SENT
    assert to_other.to == ["an@example.org"] and "Nguyễn Thị Lan" in to_other.body


def test_erasure_checkpoints_the_sqlite_log_after_commit(
    coordinator, lan, monkeypatch, django_capture_on_commit_callbacks
):
    from ketnoi.directory.services import personal_data

    calls = []
    monkeypatch.setattr(personal_data, "checkpoint_wal", lambda: calls.append("checkpoint"))
    with django_capture_on_commit_callbacks(execute=True):
        person_erase(actor=coordinator, person=lan)
    assert calls == ["checkpoint"]
