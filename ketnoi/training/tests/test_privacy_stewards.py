"""Issue 12: an MSD lecturer who is also a TEV learner. The TEV coordinator exports only TEV's
training rows and cannot erase MSD's: their erasure becomes a request MSD's coordinator completes."""

import json
from datetime import date

import pytest
from django.urls import reverse

from ketnoi.directory.models import Person
from ketnoi.directory.services import erasure_complete, person_erase, person_export
from ketnoi.training.models import Enrolment, SessionLecturer

from .factories import make_campus, make_class, make_course, make_semester, record

LEAD = SessionLecturer.Role.LEAD


@pytest.fixture
def tev_class(other_coordinator, other_prog):
    course = make_course(other_coordinator, other_prog, name="Tập huấn điều phối", code="TEV1")
    campus = make_campus(other_coordinator, other_prog, name="Cần Thơ")
    semester = make_semester(
        other_coordinator, other_prog, name="Đợt 1", starts_on=date(2026, 1, 5), ends_on=date(2026, 6, 30)
    )
    return make_class(other_coordinator, course, campus, semester, code="CT01")


@pytest.fixture
def msd_lecturer_tev_learner(lecturer, klass, lead, tev_class):
    record(lecturer, klass, lecturers=[(lead, LEAD)])
    Enrolment.objects.create(training_class=tev_class, person=lead)
    return lead


def test_tev_export_holds_only_tev_rows(msd_lecturer_tev_learner, other_coordinator, client_for):
    person = msd_lecturer_tev_learner
    data = person_export(actor=other_coordinator, person=person)["data"]["training"]
    assert [row["class"] for row in data["enrolments"]] == ["CT01"]
    assert data["sessions_taught"] == []  # MSD's teaching sessions are MSD's
    response = client_for(other_coordinator).get(reverse("directory:person_export", args=[person.pk]))
    exported = json.loads(response.content)["data"]["training"]
    assert exported["sessions_taught"] == [] and len(exported["enrolments"]) == 1


def test_tev_cannot_erase_msds_lecturer(msd_lecturer_tev_learner, other_coordinator, coordinator):
    person = msd_lecturer_tev_learner
    request = person_erase(actor=other_coordinator, person=person)
    assert request.is_open
    person = Person.objects.get(pk=person.pk)
    assert person.erased_at is None and person.full_name == "Nguyễn Văn Giảng"
    assert SessionLecturer.objects.filter(person=person).exists()
    erasure_complete(actor=coordinator, request=request)
    assert Person.objects.get(pk=person.pk).erased_at is not None
    # The rows stay (periods taught still count), now pointing at the anonymous record.
    assert SessionLecturer.objects.filter(person=person).exists()
