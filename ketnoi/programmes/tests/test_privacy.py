"""A person whose account has a role on a programme is held by that programme: its coordinators
are among the person's stewards (an MSD lecturer is MSD's to erase)."""

import pytest
from django.core.exceptions import PermissionDenied

from ketnoi.directory.models import Person
from ketnoi.directory.services import person_erase
from ketnoi.programmes import privacy
from ketnoi.programmes.models import ProgrammeRole

pytestmark = pytest.mark.django_db


@pytest.fixture
def msd_lecturer(lecturer):
    return Person.objects.create(full_name="Trần Thị Giảng", email="giang@example.org", user=lecturer)


def test_the_accounts_roles_say_which_programmes_hold_the_person(msd_lecturer, prog):
    assert privacy.holders(msd_lecturer) == {prog.pk}
    assert privacy.export(msd_lecturer, programmes=set())["roles"] == []
    assert [r["role"] for r in privacy.export(msd_lecturer, programmes={prog.pk})["roles"]] == ["lecturer"]


def test_another_programmes_coordinator_cannot_erase_an_msd_lecturer(msd_lecturer, other_coordinator):
    with pytest.raises(PermissionDenied):
        person_erase(actor=other_coordinator, person=msd_lecturer)
    assert Person.objects.get(pk=msd_lecturer.pk).erased_at is None
    assert ProgrammeRole.objects.filter(user=msd_lecturer.user).exists()


def test_msds_coordinator_erases_the_lecturer_and_their_account(msd_lecturer, coordinator, lecturer):
    person_erase(actor=coordinator, person=msd_lecturer)
    lecturer.refresh_from_db()
    assert not lecturer.is_active and lecturer.email == "" and not ProgrammeRole.objects.filter(user=lecturer).exists()
