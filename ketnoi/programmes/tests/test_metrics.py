"""The programme's own metrics, as the registry hands them to indicators."""

from datetime import date

import pytest

from ketnoi.core.registry import get_metric
from ketnoi.directory.models import Organisation, OrganisationType, Province
from ketnoi.programmes import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(coordinator, prog):
    hanoi = Province.objects.get(scheme=Province.Scheme.CURRENT, short_name="Hà Nội")
    legacy = (
        Province.objects.filter(scheme=Province.Scheme.LEGACY, successor__isnull=False).exclude(successor=hanoi).first()
    )
    a = Organisation.objects.create(name="A", type=OrganisationType.CSO, province=hanoi)
    b = Organisation.objects.create(name="B", type=OrganisationType.ACADEMIC, province=legacy)
    c = Organisation.objects.create(name="C", type=OrganisationType.CSO)
    services.agreement_create(actor=coordinator, programme=prog, title="1", parties=[a, b], signed_on=date(2017, 3, 1))
    services.agreement_create(actor=coordinator, programme=prog, title="2", parties=[a, c], signed_on=date(2018, 3, 1))
    services.agreement_create(actor=coordinator, programme=prog, title="Chưa ký", parties=[b, c])
    return hanoi, legacy


def test_agreements_signed_counts_within_the_range(prog, other_prog, signed):
    metric = get_metric("programmes.agreements_signed")
    assert metric.value(programme=prog, start=None, end=None) == 2
    assert metric.value(programme=prog, start=date(2017, 1, 1), end=date(2017, 12, 31)) == 1
    assert metric.value(programme=other_prog, start=None, end=None) == 0


def test_partner_organisations_are_distinct_and_break_down(prog, signed):
    hanoi, legacy = signed
    metric = get_metric("programmes.partner_organisations")
    assert metric.value(programme=prog, start=None, end=None) == 3
    assert metric.value(programme=prog, start=None, end=None, disaggregate_by="organisation_type") == {
        "academic": 1,
        "cso": 2,
    }
    # B sits in a legacy province: it counts under the unit that province merged into.
    by_province = metric.value(programme=prog, start=None, end=None, disaggregate_by="province")
    assert by_province == {"": 1, hanoi.code: 1, legacy.successor.code: 1}
