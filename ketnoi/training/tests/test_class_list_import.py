"""A 2,000-row class list enrolled in the background: the directory's confirming task writes the
new people, then enrols everyone the list names a batch per transaction (the "training.enrol"
follow-up), with its progress on the class's page; running it twice enrols no one twice; a
follow-up that stops says why; only those who may plan the class see its progress."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from ketnoi.core import registry
from ketnoi.core.models import AuditEntry
from ketnoi.directory import tasks
from ketnoi.directory.models import Person, PersonImport
from ketnoi.directory.services.imports import followup_step, listed_person_ids, write_rows
from ketnoi.directory.tests.factories import make_person, people_csv, run_tasks
from ketnoi.training import services
from ketnoi.training.models import Enrolment

from .factories import make_class

pytestmark = pytest.mark.django_db

ROWS = 2_000
REFUSED = ROWS // 20  # 100
EXISTING = 50  # people already in the directory (rows 1..50 but the refused)
ENROLLED = 20  # of those, already in the class


@pytest.fixture
def existing(klass, coordinator):
    people = [make_person(f"Lê Thị Mẫu {i}", email=f"mau{i}@example.org") for i in range(1, 53) if i % 20][:EXISTING]
    services.learners_enrol(actor=coordinator, training_class=klass, people=people[:ENROLLED])
    return people


def page(prog, klass, query=""):
    return reverse("training:class_learners", args=[prog.code, klass.pk]) + query


def progress(prog, klass, person_import):
    return reverse("training:class_import_progress", args=[prog.code, klass.pk, person_import.pk])


def upload(client, prog, klass) -> PersonImport:
    with run_tasks():
        response = client.post(page(prog, klass), {"list": SimpleUploadedFile("lop.csv", people_csv(ROWS))})
    person_import = PersonImport.objects.get()
    assert response["Location"] == page(prog, klass, f"?import={person_import.pk}#import")
    assert person_import.status == PersonImport.Status.PREVIEW
    return person_import


def test_a_class_list_of_two_thousand_is_enrolled_in_the_background(client_for, coordinator, prog, klass, existing):
    client = client_for(coordinator)
    person_import = upload(client, prog, klass)
    preview = client.get(page(prog, klass, f"?import={person_import.pk}")).content.decode()
    assert 'id="import-enrol"' in preview and Enrolment.objects.count() == ENROLLED
    with run_tasks():
        response = client.post(page(prog, klass), {"import": person_import.pk})
    assert response["Location"] == page(prog, klass, f"?import={person_import.pk}#import")
    person_import.refresh_from_db()
    new = ROWS - REFUSED - EXISTING
    assert person_import.status == PersonImport.Status.CONFIRMED and not person_import.failure
    assert person_import.progress["written"] == new
    assert person_import.progress["to_follow"] == person_import.progress["followed"] == ROWS - REFUSED
    assert person_import.summary["followup"] == {"made": ROWS - REFUSED - ENROLLED, "skipped": ENROLLED, "left": 0}
    assert klass.enrolments.count() == ROWS - REFUSED
    # the same audit entries as enrolling by hand: one per batch of the class, naming each person
    audited = AuditEntry.objects.filter(action="training.learners_enrol")
    assert sum(len(entry.changes["people"]) for entry in audited) == ROWS - REFUSED
    assert AuditEntry.objects.filter(action="directory.people_import_followup").count() == 1
    done = client.get(page(prog, klass, f"?import={person_import.pk}")).content.decode()
    assert "Đã thêm 1880 học viên vào lớp; 20 người đã ở trong lớp từ trước" in done
    finished = client.get(progress(prog, klass, person_import))
    assert finished.status_code == 286 and finished["HX-Refresh"] == "true"
    # a second confirmation is refused, and enrols nobody twice
    with run_tasks():
        again = client.post(page(prog, klass), {"import": person_import.pk}, follow=True)
    assert "đã được xác nhận" in again.content.decode() and klass.enrolments.count() == ROWS - REFUSED


def test_progress_shows_on_the_class_page_while_the_task_runs(client_for, coordinator, prog, klass, existing):
    client = client_for(coordinator)
    person_import = upload(client, prog, klass)
    client.post(page(prog, klass), {"import": person_import.pk})  # queued: the task has not run
    person_import.refresh_from_db()
    assert person_import.status == PersonImport.Status.CONFIRMING
    html = client.get(page(prog, klass, f"?import={person_import.pk}")).content.decode()
    assert 'aria-live="polite"' in html and 'hx-trigger="every 2s"' in html and 'id="import-reload"' in html
    assert '<noscript><meta http-equiv="refresh"' in html
    assert progress(prog, klass, person_import) in html and "Đã ghi 0/1850 dòng" in html
    with transaction.atomic():  # the people written, then one batch of the follow-up
        write_rows(person_import, actor=coordinator, limit=None)
        from ketnoi.directory.services.imports import finish_confirm

        finish_confirm(person_import, actor=coordinator)
        followup = registry.import_followup(services.ENROL_FROM_LIST)
        followup_step(person_import.pk, listed_person_ids(person_import), followup, actor=coordinator)
    polled = client.get(progress(prog, klass, person_import))
    body = polled.content.decode()
    assert polled.status_code == 200 and 'hx-get="' in body
    assert "Thêm học viên vào lớp" in body and "Đã xử lý 200/1900 người: 180 mới, 20 đã có từ trước." in body
    # the task delivered twice: it resumes where the batch left it and enrols no one twice
    assert tasks.write_people_import.call(person_import.pk) == "confirmed"
    assert tasks.write_people_import.call(person_import.pk) == "gone"
    person_import.refresh_from_db()
    assert klass.enrolments.count() == ROWS - REFUSED
    assert Enrolment.objects.values("person").distinct().count() == ROWS - REFUSED
    assert Person.objects.count() == ROWS - REFUSED
    assert person_import.summary["followup"] == {"made": ROWS - REFUSED - ENROLLED, "skipped": ENROLLED, "left": 0}


def test_a_follow_up_that_stops_midway_says_why(client_for, coordinator, prog, klass, existing, monkeypatch):
    calls = []
    real = registry.import_followup(services.ENROL_FROM_LIST)

    def stops_at_the_third_batch(*, actor, target_id, people):
        calls.append(len(people))
        if len(calls) == 3:
            raise ValidationError("Lớp đã đủ chỗ: hãy mở thêm lớp cho những người còn lại.")
        return real.apply(actor=actor, target_id=target_id, people=people)

    monkeypatch.setitem(
        registry._import_followups,
        services.ENROL_FROM_LIST,
        registry.ImportFollowup(real.key, real.label, stops_at_the_third_batch),
    )
    client = client_for(coordinator)
    person_import = upload(client, prog, klass)
    with run_tasks():
        client.post(page(prog, klass), {"import": person_import.pk})
    person_import.refresh_from_db()
    assert person_import.status == PersonImport.Status.CONFIRMED
    assert person_import.failure == "Lớp đã đủ chỗ: hãy mở thêm lớp cho những người còn lại."
    assert person_import.summary["followup"]["left"] == ROWS - REFUSED - 400
    assert klass.enrolments.count() == 400  # two batches kept, the third rolled back alone
    assert Person.objects.count() == ROWS - REFUSED  # the people are in the directory
    html = client.get(page(prog, klass, f"?import={person_import.pk}")).content.decode()
    assert "Đã dừng giữa chừng." in html and "Lớp đã đủ chỗ" in html and "Đã xử lý 400/1900 người" in html


def test_an_unexpected_error_midway_leaves_a_reason(client_for, coordinator, prog, klass, monkeypatch):
    real = registry.import_followup(services.ENROL_FROM_LIST)

    def breaks(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setitem(
        registry._import_followups, services.ENROL_FROM_LIST, registry.ImportFollowup(real.key, real.label, breaks)
    )
    client = client_for(coordinator)
    with run_tasks():
        client.post(page(prog, klass), {"list": SimpleUploadedFile("lop.csv", people_csv(30))})
    person_import = PersonImport.objects.get()
    with run_tasks():
        client.post(page(prog, klass), {"import": person_import.pk})
    person_import.refresh_from_db()
    assert person_import.status == PersonImport.Status.CONFIRMED and "hãy thử lại" in person_import.failure
    assert "disk full" not in person_import.failure and not klass.enrolments.exists()


def test_a_deleted_class_stops_the_follow_up_with_a_reason(coordinator, prog, klass):
    from ketnoi.directory.services import people_import_preview
    from ketnoi.directory.tests.factories import read_list

    person_import = read_list(actor=coordinator, uploaded_file=SimpleUploadedFile("lop.csv", people_csv(30)))
    assert people_import_preview  # the list read by the directory's task
    services.learners_from_import(actor=coordinator, training_class=klass, person_import=person_import)
    klass_pk = klass.pk
    Enrolment.objects.filter(training_class_id=klass_pk).delete()
    klass.delete()
    assert tasks.write_people_import.call(person_import.pk) == "stopped"
    person_import.refresh_from_db()
    assert "Lớp học này đã bị xoá" in person_import.failure
    assert Person.objects.count() == 29  # the people stay in the directory


def test_only_who_may_plan_the_class_sees_its_list_progress(
    client_for, coordinator, other_coordinator, outsider, lecturer, prog, klass, course, campus, semester
):
    client = client_for(coordinator)
    with run_tasks():
        client.post(page(prog, klass), {"list": SimpleUploadedFile("lop.csv", people_csv(30))})
    person_import = PersonImport.objects.get()
    with run_tasks():
        client.post(page(prog, klass), {"import": person_import.pk})
    assert client.get(progress(prog, klass, person_import)).status_code == 286
    for user, status in ((outsider, 404), (other_coordinator, 404), (lecturer, 403)):
        response = client_for(user).get(progress(prog, klass, person_import))
        assert response.status_code == status and "Mẫu" not in response.content.decode()
        refused = client_for(user).post(page(prog, klass), {"import": person_import.pk})
        assert refused.status_code == status
    other_class = make_class(coordinator, course, campus, semester, code="HN02")
    assert client_for(coordinator).get(progress(prog, other_class, person_import)).status_code == 404
    assert client_for(coordinator).get(progress(prog, klass, person_import) + "x").status_code == 404
