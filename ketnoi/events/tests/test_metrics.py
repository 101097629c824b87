"""The workshops' indicator metrics: held workshops (of a kind, by province) and participants
checked in (by sex, organisation type, province), within the period asked."""

from datetime import date

import pytest

from ketnoi.core.registry import get_metric
from ketnoi.directory.models import Organisation, OrganisationType, Province, Sex
from ketnoi.events import services
from ketnoi.events.models import Workshop

from .factories import make_workshop, register

pytestmark = pytest.mark.django_db


def test_workshops_held_and_participants(coordinator, prog, other_prog):
    hanoi = Province.objects.filter(scheme=Province.Scheme.CURRENT).order_by("code").first()
    connecting = make_workshop(coordinator, prog, province=hanoi)
    training = make_workshop(coordinator, prog, kind=Workshop.Kind.TRAINING, title="Tập huấn vận động chính sách")
    make_workshop(coordinator, prog, title="Chưa tổ chức")
    for workshop in (connecting, training):
        services.workshop_update(actor=coordinator, workshop=workshop, held=True, confirm_early=True)
    cso = Organisation.objects.create(name="Hội Bảo vệ Thiên nhiên", type=OrganisationType.CSO)
    a, _ = register(connecting, "Nguyễn Thị Lan", sex=Sex.FEMALE, organisation=cso, province=hanoi)
    b, _ = register(connecting, "Trần Văn Minh", sex=Sex.MALE)
    register(connecting, "Không đến")
    for registration in (a, b):
        services.registration_check_in(
            actor=coordinator, workshop=connecting, registration=registration, confirm_early=True
        )
    held, people = get_metric("events.workshops_held"), get_metric("events.participants")
    december = {"programme": prog, "start": date(2037, 12, 1), "end": date(2037, 12, 31)}
    assert held.value(**december) == 2
    assert held.value(**december, params={"kind": "training"}) == 1
    assert held.value(**december, disaggregate_by="province") == {hanoi.code: 1, "": 1}
    assert people.value(**december) == 2
    assert people.value(**december, disaggregate_by="sex") == {"female": 1, "male": 1}
    assert people.value(**december, disaggregate_by="organisation_type") == {"cso": 1, "": 1}
    assert people.value(programme=prog, start=date(2038, 1, 1), end=None) == 0
    assert people.value(programme=other_prog, start=None, end=None) == 0
