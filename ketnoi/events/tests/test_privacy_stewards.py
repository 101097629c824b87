"""Issue 12: events' rows about a person belong to the workshop's programme. Each programme's
coordinator exports and erases only its own registrations."""

import pytest

from ketnoi.directory.services import erasure_complete, person_erase, person_export
from ketnoi.directory.tests.factories import make_person
from ketnoi.events import privacy
from ketnoi.events.models import Registration

from .factories import make_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def held_by_both(coordinator, other_coordinator, prog, other_prog):
    person = make_person("Vũ Thị Thu", email="thu@example.org")
    msd = make_workshop(coordinator, prog, title="Hội thảo MSD")
    tev = make_workshop(other_coordinator, other_prog, title="Hội thảo TEV")
    for workshop, note in ((msd, "ăn chay"), (tev, "cần phiên dịch")):
        Registration.objects.create(workshop=workshop, person=person, status=Registration.Status.CONFIRMED, note=note)
    return person


def test_events_says_which_programmes_hold_the_person(held_by_both, prog, other_prog):
    assert privacy.holders(held_by_both) == {prog.pk, other_prog.pk}


def test_tev_exports_and_erases_only_tev_registrations(held_by_both, other_coordinator, coordinator):
    registrations = person_export(actor=other_coordinator, person=held_by_both)["data"]["events"]["registrations"]
    assert [r["workshop"] for r in registrations] == ["Hội thảo TEV"]
    request = person_erase(actor=other_coordinator, person=held_by_both)
    notes = dict(Registration.objects.values_list("workshop__title", "note"))
    assert notes == {"Hội thảo MSD": "ăn chay", "Hội thảo TEV": ""}
    erasure_complete(actor=coordinator, request=request)
    assert set(Registration.objects.values_list("note", flat=True)) == {""}
