"""The demo workshops: three connecting workshops for MSD–ViLEAP (one held with check-ins mixing
state agencies and CSOs, one public with a waiting list, one by invitation) and the TEV advocacy
training (35 delegates, four questions with conclusions), all made through the services from
people already in the demo directory; loading them again changes nothing."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from ketnoi.core.models import AuditEntry
from ketnoi.demo import data
from ketnoi.demo import events as demo_events
from ketnoi.directory.models import Organisation, Person
from ketnoi.events import report_text
from ketnoi.events.models import Registration, Workshop
from ketnoi.programmes.models import Programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(demo_loaded):
    """The demo, loaded once for this module (conftest's demo_loaded); a test's writes are undone."""


def by_type(workshop) -> dict[str, int]:
    present = workshop.registrations.filter(checked_in_at__isnull=False)
    kinds = ("state_agency", "cso", "mass_organisation")
    return {kind: present.filter(person__organisation__type=kind).count() for kind in kinds}


def test_three_connecting_workshops_for_msd_vileap(loaded, client):
    workshops = Workshop.objects.filter(programme__code="msd-vileap").select_related("province")
    assert sorted(w.province.short_name for w in workshops) == ["Cần Thơ", "Hà Nội", "Hồ Chí Minh"]
    assert {w.kind for w in workshops} == {"connecting"}
    assert {w.activity.number for w in workshops} == {5}

    hanoi = workshops.get(province__short_name="Hà Nội")
    assert hanoi.held and hanoi.registration == "closed"
    assert hanoi.registrations.count() == 40 and hanoi.registrations.filter(invitation__isnull=False).count() == 40
    assert hanoi.registrations.filter(checked_in_at__isnull=False).count() == 36
    assert by_type(hanoi) == {"state_agency": 14, "cso": 16, "mass_organisation": 0}
    assert {r.checked_in_at.date() for r in hanoi.registrations.exclude(checked_in_at=None)} == {date(2017, 11, 16)}
    assert hanoi.questions.exclude(conclusions="").count() == 2

    hcm = workshops.get(province__short_name="Hồ Chí Minh")
    assert hcm.registration == "public" and hcm.capacity == 20 and hcm.starts_at > timezone.now()
    statuses = list(hcm.registrations.order_by("created_at", "id").values_list("status", flat=True))
    assert statuses == ["confirmed"] * 20 + ["waiting"] * 3
    assert "Hội thảo đã đủ chỗ." in client.get(f"/e/w/{hcm.pk}/").content.decode()

    can_tho = workshops.get(province__short_name="Cần Thơ")
    assert can_tho.registration == "invitation" and can_tho.invitations.count() == 3
    assert can_tho.registrations.count() == 5
    assert client.get(f"/e/w/{can_tho.pk}/").status_code == 404
    assert client.get(f"/e/moi/{can_tho.invitations.first().code}/").status_code == 200


def test_the_tev_training(loaded):
    training = Workshop.objects.get(programme__code="tev-sc")
    assert training.kind == "training" and training.held and training.province.short_name == "Hồ Chí Minh"
    assert timezone.localtime(training.starts_at).date() == date(2017, 9, 28)
    assert training.registrations.count() == 35
    assert set(training.registrations.values_list("status", flat=True)) == {Registration.Status.ATTENDED}
    assert by_type(training) == {"state_agency": 0, "cso": 27, "mass_organisation": 8}
    questions = list(training.questions.all())
    assert len(questions) == 4 and all(q.conclusions for q in questions)
    assert questions[0].text == "Vận động chính sách là gì?"
    assert training.feedback_collection_id is not None
    body = report_text.compose_report(training)[2]
    assert "- Tham dự (đã điểm danh): 35" in body and body.count("### ") == 4


def test_written_through_the_services_from_the_directory(loaded):
    assert AuditEntry.objects.filter(action="events.registration_submit").count() == Registration.objects.count()
    assert AuditEntry.objects.filter(action="events.checkin").count() == 36 + 35
    assert AuditEntry.objects.filter(action="events.question_update").count() == 6
    # Nobody new: every delegate is someone the directory already had.
    assert AuditEntry.objects.filter(action="directory.person_create").count() == Person.objects.count()


def test_loading_again_changes_nothing(loaded):
    before = (Workshop.objects.count(), Registration.objects.count(), AuditEntry.objects.count())
    programmes = {p.code: p for p in Programme.objects.all()}
    users = {u.username: u for u in get_user_model().objects.all()}
    organisations = {key: Organisation.objects.get(name=name) for key, name, *_rest in data.ORGANISATIONS}
    assert demo_events.load_events(programmes, users, organisations) == []
    assert (Workshop.objects.count(), Registration.objects.count(), AuditEntry.objects.count()) == before


def test_a_logged_in_outsider_gets_the_public_pages_only(loaded, client_for, outsider):
    workshops = Workshop.objects.filter(programme__code="msd-vileap")
    hcm = workshops.get(province__short_name="Hồ Chí Minh")
    can_tho = workshops.get(province__short_name="Cần Thơ")
    client = client_for(outsider)
    assert client.get(f"/e/w/{hcm.pk}/").status_code == 200
    assert client.get(f"/e/w/{can_tho.pk}/").status_code == 404
    assert client.get("/programmes/msd-vileap/events/").status_code == 404
    assert client.get(f"/programmes/msd-vileap/events/{hcm.pk}/").status_code == 404
