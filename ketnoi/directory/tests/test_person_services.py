import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ketnoi.core.models import AuditEntry
from ketnoi.directory.models import Person, Sex
from ketnoi.directory.services import person_create, person_update

from .factories import make_organisation, make_person, province


def test_create_normalises_and_audits(coordinator):
    organisation = make_organisation()
    person = person_create(
        actor=coordinator,
        full_name=" Nguyễn  Thị Lan ",
        sex=Sex.FEMALE,
        birth_year=1985,
        position="Cán bộ dự án",
        organisation=organisation,
        email=" Lan@Example.org ",
        phone="+84 912 345 678",
        province=province("Cần Thơ"),
    )
    assert person.full_name == "Nguyễn Thị Lan"
    assert person.name_folded == "nguyen thi lan"
    assert person.email_normalised == "lan@example.org"
    assert person.phone_normalised == "0912345678"
    assert person.created_by == coordinator
    entry = AuditEntry.objects.get(action="directory.person_create")
    assert entry.changes["full_name"] == "Nguyễn Thị Lan"


@pytest.mark.parametrize("persona", ["viewer", "reviewer", "outsider"])
def test_only_editors_may_create(request, persona):
    with pytest.raises(PermissionDenied):
        person_create(actor=request.getfixturevalue(persona), full_name="Lan")
    assert Person.objects.count() == 0


@pytest.mark.parametrize(
    ("values", "field", "fragment"),
    [
        ({"full_name": "  "}, "full_name", "họ và tên"),
        ({"birth_year": 1850}, "birth_year", "1900"),
        ({"birth_year": timezone.localdate().year + 1}, "birth_year", "1900"),
        ({"phone": "12"}, "phone", "8–15 chữ số"),
        ({"email": "lan@"}, "email", ""),
        ({"sex": "robot"}, "sex", ""),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_written(coordinator, values, field, fragment):
    data = {"full_name": "Trần Văn Minh", **values}
    with pytest.raises(ValidationError) as error:
        person_create(actor=coordinator, **data)
    assert field in error.value.message_dict
    assert fragment in error.value.message_dict[field][0]
    assert Person.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_legacy_province_refused_for_new_person(coordinator):
    with pytest.raises(ValidationError) as error:
        person_create(actor=coordinator, full_name="Lan", province=province("Hậu Giang", scheme="legacy"))
    assert "province" in error.value.message_dict


def test_likely_duplicate_is_refused_unless_allowed(coordinator):
    existing = make_person("Nguyễn Thị Lan", phone="0912345678")
    with pytest.raises(ValidationError) as error:
        person_create(actor=coordinator, full_name="nguyen thi lan", phone="+84 912 345 678")
    assert f"#{existing.pk}" in error.value.message_dict["full_name"][0]
    assert error.value.error_dict["full_name"][0].code == "duplicate"
    assert Person.objects.count() == 1
    person_create(actor=coordinator, full_name="nguyen thi lan", phone="+84 912 345 678", allow_duplicate=True)
    assert Person.objects.count() == 2


def test_update_audits_diff_and_keeps_legacy_province(coordinator):
    legacy = province("Bình Dương", scheme="legacy")
    person = make_person(province=legacy, position="Chuyên viên")
    person_update(actor=coordinator, person=person, position="Trưởng phòng", province=legacy)
    person.refresh_from_db()
    assert person.position == "Trưởng phòng" and person.province == legacy
    entry = AuditEntry.objects.get(action="directory.person_update")
    assert entry.changes == {"position": ["Chuyên viên", "Trưởng phòng"]}


def test_update_refuses_bad_values_and_keeps_the_row(coordinator):
    person = make_person(birth_year=1980)
    with pytest.raises(ValidationError):
        person_update(actor=coordinator, person=person, birth_year=1800, position="Mới")
    person.refresh_from_db()
    assert person.birth_year == 1980 and person.position == ""


def test_erased_person_cannot_be_updated(coordinator):
    person = make_person(erased_at=timezone.now())
    with pytest.raises(ValidationError, match="đã bị xoá"):
        person_update(actor=coordinator, person=person, position="X")


def test_viewer_cannot_update(viewer):
    person = make_person()
    with pytest.raises(PermissionDenied):
        person_update(actor=viewer, person=person, position="X")
