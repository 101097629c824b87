"""Merging two directory people who both registered for one workshop keeps the registration
that says more (a check-in, then the stronger status); other registrations move."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from ketnoi.directory.services import person_merge
from ketnoi.directory.tests.factories import make_person
from ketnoi.events import services
from ketnoi.events.models import Registration

pytestmark = pytest.mark.django_db
Status = Registration.Status
STARTS = timezone.make_aware(datetime(2037, 12, 10, 8, 0))


@pytest.fixture
def workshops(coordinator, prog):
    return [
        services.workshop_create(
            actor=coordinator, programme=prog, title=title, starts_at=STARTS, ends_at=STARTS + timedelta(hours=4)
        )
        for title in ("Diễn đàn Hà Nội", "Diễn đàn Cần Thơ")
    ]


@pytest.mark.parametrize(
    ("kept", "removed", "winner"),
    [
        ((Status.CANCELLED, False), (Status.ATTENDED, True), "removed"),
        ((Status.CONFIRMED, True), (Status.ATTENDED, False), "kept"),  # the check-in decides first
        ((Status.WAITING, False), (Status.CONFIRMED, False), "removed"),
        ((Status.CONFIRMED, False), (Status.PENDING, False), "kept"),
    ],
)
def test_the_registration_that_says_more_stays(coordinator, workshops, kept, removed, winner):
    hanoi, cantho = workshops
    keep, remove = make_person("Nguyễn Văn An"), make_person("Nguyen Van An")
    rows = {}
    for label, person, (status, checked_in) in (("kept", keep, kept), ("removed", remove, removed)):
        rows[label] = Registration.objects.create(
            workshop=hanoi, person=person, status=status, checked_in_at=STARTS if checked_in else None
        )
    elsewhere = Registration.objects.create(workshop=cantho, person=remove, status=Status.CONFIRMED)

    person_merge(actor=coordinator, keep=keep, remove=remove)

    (left,) = Registration.objects.filter(workshop=hanoi)
    assert left.pk == rows[winner].pk and left.person_id == keep.pk
    elsewhere.refresh_from_db()
    assert elsewhere.person_id == keep.pk
