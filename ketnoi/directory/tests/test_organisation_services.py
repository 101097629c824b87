import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ketnoi.core.models import AuditEntry
from ketnoi.directory.models import Organisation, OrganisationType
from ketnoi.directory.services import organisation_create, organisation_update

from .factories import make_organisation, province


def test_create_sets_authors_folds_name_and_audits(coordinator):
    organisation = organisation_create(
        actor=coordinator,
        name="  Trung tâm   Đào tạo ",
        short_name="TTĐT",
        type=OrganisationType.CSO,
        province=province("Hà Nội"),
        website="https://example.org",
    )
    assert organisation.name == "Trung tâm Đào tạo"
    assert organisation.name_folded == "trung tam dao tao ttdt"
    assert organisation.created_by == coordinator and organisation.updated_by == coordinator
    entry = AuditEntry.objects.get(action="directory.organisation_create")
    assert entry.actor == coordinator
    assert entry.changes["name"] == "Trung tâm Đào tạo"


@pytest.mark.parametrize("persona", ["viewer", "lecturer", "outsider", "learner"])
def test_only_editors_may_create(request, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        organisation_create(actor=user, name="X", type=OrganisationType.CSO)
    assert Organisation.objects.count() == 0


def test_staff_may_create(staff_admin):
    assert organisation_create(actor=staff_admin, name="Sở Nội vụ", type=OrganisationType.STATE_AGENCY).pk


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"name": "   "}, "name"),
        ({"type": "club"}, "type"),
        ({"website": "not a url"}, "website"),
        ({"email": "nope"}, "email"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(coordinator, values, field):
    data = {"name": "Tổ chức", "type": OrganisationType.CSO, **values}
    with pytest.raises(ValidationError) as error:
        organisation_create(actor=coordinator, **data)
    assert field in error.value.message_dict
    assert Organisation.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_new_data_must_use_a_current_province(coordinator):
    legacy = province("Bình Dương", scheme="legacy")
    with pytest.raises(ValidationError) as error:
        organisation_create(actor=coordinator, name="Hội", type=OrganisationType.CSO, province=legacy)
    assert "34 tỉnh/thành" in error.value.message_dict["province"][0]
    assert "Hồ Chí Minh" in error.value.message_dict["province"][0]


def test_a_stored_legacy_province_is_kept_on_update(coordinator):
    legacy = province("Bình Dương", scheme="legacy")
    organisation = make_organisation(province=legacy)
    organisation_update(actor=coordinator, organisation=organisation, name="Tên mới", province=legacy)
    organisation.refresh_from_db()
    assert organisation.province == legacy and organisation.name == "Tên mới"
    with pytest.raises(ValidationError):
        organisation_update(
            actor=coordinator, organisation=organisation, province=province("Hà Giang", scheme="legacy")
        )


def test_update_audits_only_the_changes(coordinator):
    organisation = make_organisation("Viện Lãnh đạo học", type=OrganisationType.ACADEMIC)
    organisation_update(actor=coordinator, organisation=organisation, short_name="ViLEAP")
    entry = AuditEntry.objects.get(action="directory.organisation_update")
    assert entry.changes == {"short_name": ["", "ViLEAP"]}
    organisation.refresh_from_db()
    assert organisation.updated_by == coordinator
    organisation_update(actor=coordinator, organisation=organisation, short_name="ViLEAP")
    assert AuditEntry.objects.filter(action="directory.organisation_update").count() == 1


def test_parent_and_children(coordinator):
    academy = make_organisation("Học viện Chính trị Quốc gia Hồ Chí Minh", type=OrganisationType.ACADEMIC)
    institute = organisation_create(
        actor=coordinator, name="Viện Lãnh đạo học và Chính sách công", type=OrganisationType.ACADEMIC, parent=academy
    )
    assert list(academy.children.all()) == [institute]


def test_parent_cycle_is_refused_with_a_clear_message(coordinator):
    academy = make_organisation("Học viện")
    institute = make_organisation("Viện", parent=academy)
    department = make_organisation("Phòng", parent=institute)
    with pytest.raises(ValidationError) as error:
        organisation_update(actor=coordinator, organisation=academy, parent=department)
    message = error.value.message_dict["parent"][0]
    assert "không thể trực thuộc" in message and "Phòng" in message
    with pytest.raises(ValidationError) as error:
        organisation_update(actor=coordinator, organisation=academy, parent=academy)
    assert "chính nó" in error.value.message_dict["parent"][0]
    academy.refresh_from_db()
    assert academy.parent is None


def test_unknown_field_is_a_programming_error(coordinator):
    organisation = make_organisation()
    with pytest.raises(TypeError):
        organisation_update(actor=coordinator, organisation=organisation, colour="red")


def test_viewer_cannot_update(viewer):
    organisation = make_organisation("Cũ")
    with pytest.raises(PermissionDenied):
        organisation_update(actor=viewer, organisation=organisation, name="Mới")
    organisation.refresh_from_db()
    assert organisation.name == "Cũ"
