"""A 2,000-row invitations list confirmed in the background: the directory's confirming task
writes the new people, then invites everyone the list names a batch per transaction (the
"events.invite" follow-up, one audit entry per invitation), with its progress on the workshop's
invitations page; running it twice invites no one twice; a follow-up that stops says why; only
those who may organise the workshop see its progress."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from ketnoi.core import registry
from ketnoi.core.models import AuditEntry
from ketnoi.directory import tasks
from ketnoi.directory.models import Person, PersonImport
from ketnoi.directory.services.imports import finish_confirm, followup_step, listed_person_ids, write_rows
from ketnoi.directory.tests.factories import make_person, people_csv, run_tasks
from ketnoi.events import services
from ketnoi.events.models import Invitation

from .factories import make_workshop

pytestmark = pytest.mark.django_db

ROWS = 2_000
REFUSED = ROWS // 20  # 100
EXISTING = 50  # people already in the directory
INVITED = 20  # of those, already invited


@pytest.fixture
def workshop(coordinator, prog):
    return make_workshop(coordinator, prog, capacity=30)


@pytest.fixture
def existing(workshop, coordinator):
    people = [make_person(f"Lê Thị Mẫu {i}", email=f"mau{i}@example.org") for i in range(1, 53) if i % 20][:EXISTING]
    services.invitations_create(actor=coordinator, workshop=workshop, people=people[:INVITED])
    return people


def page(workshop, query=""):
    return reverse("events:invite", args=[workshop.programme.code, workshop.pk]) + query


def progress(workshop, person_import):
    return reverse("events:invite_import_progress", args=[workshop.programme.code, workshop.pk, person_import.pk])


def upload(client, workshop, rows=ROWS) -> PersonImport:
    with run_tasks():
        response = client.post(page(workshop), {"list": SimpleUploadedFile("khach.csv", people_csv(rows))})
    person_import = PersonImport.objects.get()
    assert response["Location"].startswith(page(workshop, f"?import={person_import.pk}"))
    assert person_import.status == PersonImport.Status.PREVIEW
    return person_import


def test_two_thousand_people_invited_from_a_list_in_the_background(client_for, coordinator, workshop, existing):
    client = client_for(coordinator)
    person_import = upload(client, workshop)
    assert 'id="import-invite"' in client.get(page(workshop, f"?import={person_import.pk}")).content.decode()
    with run_tasks():
        response = client.post(page(workshop), {"import": person_import.pk})
    assert response["Location"] == page(workshop, f"?import={person_import.pk}#import")
    person_import.refresh_from_db()
    assert person_import.status == PersonImport.Status.CONFIRMED and not person_import.failure
    assert person_import.progress["written"] == ROWS - REFUSED - EXISTING
    assert person_import.summary["followup"] == {"made": ROWS - REFUSED - INVITED, "skipped": INVITED, "left": 0}
    # the capacity (30) limits registrations, not invitations: everyone named is invited once
    assert workshop.invitations.count() == ROWS - REFUSED
    assert Invitation.objects.values("person").distinct().count() == ROWS - REFUSED
    assert AuditEntry.objects.filter(action="events.invitation_create").count() == ROWS - REFUSED
    html = client.get(page(workshop, f"?import={person_import.pk}")).content.decode()
    assert "Đã tạo 1880 thư mời; 20 người đã được mời từ trước" in html
    done = client.get(progress(workshop, person_import))
    assert done.status_code == 286 and done["HX-Refresh"] == "true"


def test_progress_then_a_second_run_invites_no_one_twice(client_for, coordinator, workshop, existing):
    client = client_for(coordinator)
    person_import = upload(client, workshop)
    client.post(page(workshop), {"import": person_import.pk})  # queued, not run
    html = client.get(page(workshop, f"?import={person_import.pk}")).content.decode()
    assert 'aria-live="polite"' in html and progress(workshop, person_import) in html
    assert (
        "Đã ghi 0/1850 dòng" in html and '<noscript><meta http-equiv="refresh"' in html and 'id="import-reload"' in html
    )
    with transaction.atomic():
        write_rows(person_import, actor=coordinator, limit=None)
        finish_confirm(person_import, actor=coordinator)
        followup = registry.import_followup(services.INVITE_FROM_LIST)
        ids = listed_person_ids(person_import)
        followup_step(person_import.pk, ids, followup, actor=coordinator)
        followup_step(person_import.pk, ids, followup, actor=coordinator)
    body = client.get(progress(workshop, person_import)).content.decode()
    assert "Tạo thư mời" in body and "Đã xử lý 400/1900 người: 380 mới, 20 đã có từ trước." in body
    assert tasks.write_people_import.call(person_import.pk) == "confirmed"
    assert tasks.write_people_import.call(person_import.pk) == "gone"
    assert workshop.invitations.count() == ROWS - REFUSED and Person.objects.count() == ROWS - REFUSED
    assert AuditEntry.objects.filter(action="events.invitation_create").count() == ROWS - REFUSED


def test_losing_the_right_to_plan_midway_stops_with_a_reason(client_for, coordinator, workshop, monkeypatch):
    real = registry.import_followup(services.INVITE_FROM_LIST)
    calls = []

    def refused_on_the_second_batch(*, actor, target_id, people):
        calls.append(1)
        if len(calls) == 2:
            raise PermissionDenied
        return real.apply(actor=actor, target_id=target_id, people=people)

    monkeypatch.setitem(
        registry._import_followups,
        services.INVITE_FROM_LIST,
        registry.ImportFollowup(real.key, real.label, refused_on_the_second_batch),
    )
    client = client_for(coordinator)
    person_import = upload(client, workshop, rows=500)
    with run_tasks():
        client.post(page(workshop), {"import": person_import.pk})
    person_import.refresh_from_db()
    assert person_import.status == PersonImport.Status.CONFIRMED and "không còn quyền" in person_import.failure
    assert workshop.invitations.count() == 200 and person_import.summary["followup"]["left"] == 475 - 200
    html = client.get(page(workshop, f"?import={person_import.pk}")).content.decode()
    assert 'id="import-failure"' in html and "Đã dừng giữa chừng." in html and "không còn quyền" in html


def test_a_deleted_workshop_stops_the_follow_up(coordinator, workshop):
    from ketnoi.directory.tests.factories import read_list

    person_import = read_list(actor=coordinator, uploaded_file=SimpleUploadedFile("khach.csv", people_csv(30)))
    services.invitations_from_import(actor=coordinator, workshop=workshop, person_import=person_import)
    workshop.delete()
    assert tasks.write_people_import.call(person_import.pk) == "stopped"
    person_import.refresh_from_db()
    assert "Hội thảo này đã bị xoá" in person_import.failure and Person.objects.count() == 29


def test_only_who_may_organise_sees_the_list_progress(
    client_for, coordinator, other_coordinator, outsider, viewer, workshop, prog
):
    client = client_for(coordinator)
    person_import = upload(client, workshop, rows=30)
    with run_tasks():
        client.post(page(workshop), {"import": person_import.pk})
    assert client.get(progress(workshop, person_import)).status_code == 286
    for user, status in ((outsider, 404), (other_coordinator, 404), (viewer, 403)):
        response = client_for(user).get(progress(workshop, person_import))
        assert response.status_code == status and "Mẫu" not in response.content.decode()
    other = make_workshop(coordinator, prog, title="Hội thảo khác")
    assert client_for(coordinator).get(progress(other, person_import)).status_code == 404
    assert workshop.invitations.count() == 29
