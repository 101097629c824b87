"""Events in the directory's personal-data export and erase: a person's invitations and
registrations are exported; erasing blanks the free text and keeps attendance countable."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from ketnoi.core import registry
from ketnoi.core.audit import audit_for
from ketnoi.directory.services import person_erase, person_export
from ketnoi.directory.tests.factories import make_person
from ketnoi.events import privacy, services
from ketnoi.events.models import Registration, Workshop

pytestmark = pytest.mark.django_db
Status = Registration.Status
FORUM_STARTS = timezone.make_aware(datetime(2037, 12, 10, 8, 0))
TRAINING_STARTS = timezone.make_aware(datetime(2027, 1, 15, 13, 30))
SENT_AT = timezone.make_aware(datetime(2037, 11, 20, 9, 0))


def utc_iso(moment) -> str:
    """The database hands times back in UTC, and the export writes them as it gets them."""
    return moment.astimezone(UTC).isoformat()


def make_workshop(actor, programme, title: str, starts) -> Workshop:
    return services.workshop_create(
        actor=actor, programme=programme, title=title, starts_at=starts, ends_at=starts + timedelta(hours=4)
    )


def register_invited(workshop, person, coordinator) -> Registration:
    (invitation,) = services.invitations_create(actor=coordinator, workshop=workshop, people=[person])
    registration, _created = services.registration_submit(
        actor=None, workshop=workshop, full_name="", consent=True, invitation_code=invitation.code
    )
    return registration


@pytest.fixture
def forum(coordinator, prog):
    return make_workshop(coordinator, prog, "Diễn đàn kết nối", FORUM_STARTS)


@pytest.fixture
def training(coordinator, prog):
    return make_workshop(coordinator, prog, "Tập huấn kỹ năng", TRAINING_STARTS)


@pytest.fixture
def lan(coordinator, forum, training):
    """Lan came to the forum (invited, checked in) and cancelled the training with a note."""
    person = make_person("Nguyễn Thị Lan", email="lan@example.org", phone="0912345678")
    attended = register_invited(forum, person, coordinator)
    forum.invitations.filter(person=person).update(sent_at=SENT_AT)
    services.registration_check_in(actor=coordinator, workshop=forum, registration=attended, confirm_early=True)
    cancelled = register_invited(training, person, coordinator)
    services.registration_cancel(actor=coordinator, registration=cancelled, note="Con ốm, xin phép vắng")
    return person


@pytest.fixture
def minh(coordinator, forum):
    person = make_person("Trần Văn Minh", email="minh@example.org")
    registration = register_invited(forum, person, coordinator)
    services.registration_cancel(actor=coordinator, registration=registration, note="Trùng lịch công tác")
    return person


def test_events_registers_its_handler():
    assert "events" in {handler.name for handler in registry.personal_data_handlers()}


def test_export_lists_the_persons_invitations_and_registrations_only(lan, minh, forum, training):
    attended = Registration.objects.get(person=lan, workshop=forum)
    cancelled = Registration.objects.get(person=lan, workshop=training)
    data = privacy.export(lan)
    assert data["invitations"] == [
        {"workshop": "Diễn đàn kết nối", "starts_at": utc_iso(FORUM_STARTS), "sent_at": utc_iso(SENT_AT)},
        {"workshop": "Tập huấn kỹ năng", "starts_at": utc_iso(TRAINING_STARTS), "sent_at": None},
    ]
    assert data["registrations"] == [
        {
            "workshop": "Diễn đàn kết nối",
            "starts_at": utc_iso(FORUM_STARTS),
            "status": "attended",
            "approved": True,
            "walk_in": False,
            "checked_in_at": attended.checked_in_at.isoformat(),
            "created_at": attended.created_at.isoformat(),
            "note": "",
            "organisation_name": "",
        },
        {
            "workshop": "Tập huấn kỹ năng",
            "starts_at": utc_iso(TRAINING_STARTS),
            "status": "cancelled",
            "approved": True,
            "walk_in": False,
            "checked_in_at": None,
            "created_at": cancelled.created_at.isoformat(),
            "note": "Con ốm, xin phép vắng",
            "organisation_name": "",
        },
    ]
    assert "Trùng lịch công tác" not in json.dumps(data, ensure_ascii=False)


def test_export_through_the_directory_holds_events_and_is_json(coordinator, lan, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):  # one query per list, whatever the number of rows
        privacy.export(lan)
    data = person_export(actor=coordinator, person=lan)
    assert data["data"]["events"] == privacy.export(lan)
    assert json.loads(json.dumps(data))["data"]["events"]["registrations"][1]["note"] == "Con ốm, xin phép vắng"


def test_a_person_with_nothing_in_events_exports_empty_lists(coordinator):
    nobody = make_person("Lê Văn Không", email="khong@example.org")
    assert privacy.export(nobody) == {"invitations": [], "registrations": []}
    assert person_export(actor=coordinator, person=nobody)["data"]["events"] == {"invitations": [], "registrations": []}


def test_erase_blanks_the_note_and_keeps_the_registrations(coordinator, lan, minh, forum, training):
    before = {r.pk: (r.status, r.approved, r.checked_in_at) for r in Registration.objects.filter(person=lan)}
    person_erase(actor=coordinator, person=lan)
    after = Registration.objects.filter(person=lan)
    assert {r.pk: (r.status, r.approved, r.checked_in_at) for r in after} == before
    assert [r.note for r in after] == ["", ""]
    assert forum.invitations.filter(person=lan).count() == training.invitations.filter(person=lan).count() == 1
    assert services.places_taken(forum) == 1  # Lan's attendance still counts
    # Someone else's note is not touched.
    assert Registration.objects.get(person=minh).note == "Trùng lịch công tác"


def test_erase_leaves_no_name_or_note_in_the_registrations_audit(coordinator, lan, minh):
    person_erase(actor=coordinator, person=lan)
    entries = [entry for r in Registration.objects.filter(person=lan) for entry in audit_for(r)]
    assert {entry.action for entry in entries} >= {"events.registration_submit", "events.registration_cancel"}
    for entry in entries:
        assert "Nguyễn" not in entry.object_repr and "Con ốm" not in str(entry.changes)
    checkin = next(entry for entry in entries if entry.action == "events.checkin")
    assert "checked_in_at" in checkin.changes  # when they came stays
    # Minh's entries keep his name and note.
    (minh_cancel,) = [e for e in audit_for(Registration.objects.get(person=minh)) if "note" in e.changes]
    assert "Trần Văn Minh" in minh_cancel.object_repr and minh_cancel.changes["note"] == "Trùng lịch công tác"
