"""Rules of the plan services: who may change a programme, what a valid plan looks like, and
that a refused write leaves nothing behind."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ketnoi.core.models import AuditEntry
from ketnoi.core.roles import Role
from ketnoi.directory.models import Organisation, OrganisationType, Province
from ketnoi.programmes import services
from ketnoi.programmes.models import Activity, Agreement, Objective, Programme, ProgrammeRole

pytestmark = pytest.mark.django_db


@pytest.fixture
def msd():
    return Organisation.objects.create(name="Trung tâm MSD", type=OrganisationType.CSO)


@pytest.fixture
def vileap():
    return Organisation.objects.create(name="Viện ViLEAP", type=OrganisationType.ACADEMIC)


# Programme and members ------------------------------------------------------------------------


def test_only_staff_create_a_programme_and_name_its_coordinators(staff_admin, coordinator, outsider):
    with pytest.raises(PermissionDenied):
        services.programme_create(actor=coordinator, name="Mới", code="moi")
    programme = services.programme_create(
        actor=staff_admin, name="Chương trình mới", code="Moi-2026", coordinators=[outsider]
    )
    assert programme.code == "moi-2026"
    assert ProgrammeRole.objects.filter(programme=programme, user=outsider, role=Role.COORDINATOR).exists()
    assert AuditEntry.objects.filter(action="programmes.programme_create", object_id=str(programme.pk)).exists()


def test_programme_code_must_be_unique_and_a_slug(staff_admin, prog):
    with pytest.raises(ValidationError) as error:
        services.programme_create(actor=staff_admin, name="Trùng mã", code=prog.code)
    assert "code" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.programme_create(actor=staff_admin, name="Mã sai", code="có dấu cách")
    assert "code" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.programme_create(actor=staff_admin, name="Trùng đường dẫn", code="new")
    assert "code" in error.value.message_dict
    assert Programme.objects.count() == 1


def test_programme_dates_must_be_in_order(coordinator, prog):
    with pytest.raises(ValidationError) as error:
        services.programme_update(
            actor=coordinator, programme=prog, start_date=date(2018, 1, 1), end_date=date(2017, 1, 1)
        )
    assert "01/01/2018" in error.value.message_dict["end_date"][0]
    prog.refresh_from_db()
    assert prog.start_date is None


def test_programme_update_records_what_changed(coordinator, prog):
    services.programme_update(actor=coordinator, programme=prog, name="  Tên   mới  ")
    prog.refresh_from_db()
    assert prog.name == "Tên mới"
    entry = AuditEntry.objects.get(action="programmes.programme_update")
    assert entry.changes == {"name": ["Chương trình thử nghiệm", "Tên mới"]}
    assert entry.actor == coordinator


@pytest.mark.parametrize("persona", ["lecturer", "reviewer", "viewer"])
def test_roles_other_than_coordinator_cannot_change_the_plan(request, persona, prog):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.programme_update(actor=user, programme=prog, name="x")
    with pytest.raises(PermissionDenied):
        services.objective_create(actor=user, programme=prog, title="x")


def test_a_coordinator_of_another_programme_cannot_touch_this_one(make_user, other_prog, prog):
    stranger = make_user("stranger")
    ProgrammeRole.objects.create(user=stranger, programme=other_prog, role=Role.COORDINATOR)
    with pytest.raises(PermissionDenied):
        services.objective_create(actor=stranger, programme=prog, title="x")
    assert not Objective.objects.exists()


def test_roles_are_granted_once_and_the_last_coordinator_cannot_be_removed(coordinator, prog, outsider):
    first = services.programme_role_grant(actor=coordinator, programme=prog, user=outsider, role=Role.VIEWER)
    again = services.programme_role_grant(actor=coordinator, programme=prog, user=outsider, role=Role.VIEWER)
    assert first.pk == again.pk
    with pytest.raises(ValidationError):
        services.programme_role_grant(actor=coordinator, programme=prog, user=outsider, role="owner")
    own = ProgrammeRole.objects.get(user=coordinator, programme=prog)
    with pytest.raises(ValidationError, match="ít nhất một điều phối viên"):
        services.programme_role_revoke(actor=coordinator, assignment=own)
    services.programme_role_grant(actor=coordinator, programme=prog, user=outsider, role=Role.COORDINATOR)
    services.programme_role_revoke(actor=coordinator, assignment=own)
    assert not ProgrammeRole.objects.filter(user=coordinator, programme=prog).exists()


# Agreements -----------------------------------------------------------------------------------


def test_agreement_needs_two_parties_and_records_them(coordinator, prog, msd, vileap):
    with pytest.raises(ValidationError) as error:
        services.agreement_create(actor=coordinator, programme=prog, title="Một bên", parties=[msd, msd])
    assert "parties" in error.value.message_dict
    assert not Agreement.objects.exists()
    agreement = services.agreement_create(
        actor=coordinator,
        programme=prog,
        title="Thoả thuận 2017",
        parties=[msd, vileap],
        signed_on=date(2017, 3, 1),
        start_date=date(2017, 3, 1),
        end_date=date(2018, 12, 31),
    )
    assert set(agreement.parties.all()) == {msd, vileap}
    entry = AuditEntry.objects.get(action="programmes.agreement_create")
    assert entry.changes["parties"] == ["Trung tâm MSD", "Viện ViLEAP"]


def test_agreement_document_type_is_checked(coordinator, prog, msd, vileap):
    script = SimpleUploadedFile("thoa-thuan.exe", b"MZ...", content_type="application/octet-stream")
    with pytest.raises(ValidationError) as error:
        services.agreement_create(actor=coordinator, programme=prog, title="T", parties=[msd, vileap], document=script)
    assert "document" in error.value.message_dict
    renamed = SimpleUploadedFile("thoa-thuan.pdf", b"MZ\x90\x00", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        services.agreement_create(actor=coordinator, programme=prog, title="T", parties=[msd, vileap], document=renamed)
    assert "document" in error.value.message_dict
    assert not Agreement.objects.exists()
    pdf = SimpleUploadedFile("thoa-thuan.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
    agreement = services.agreement_create(
        actor=coordinator, programme=prog, title="T", parties=[msd, vileap], document=pdf
    )
    assert agreement.document.name.endswith(".pdf")


def test_agreement_update_changes_parties_and_audits_the_difference(coordinator, prog, msd, vileap):
    agreement = services.agreement_create(actor=coordinator, programme=prog, title="T", parties=[msd, vileap])
    third = Organisation.objects.create(name="Tổ chức thứ ba", type=OrganisationType.INGO)
    services.agreement_update(actor=coordinator, agreement=agreement, parties=[msd, third], title="T2")
    assert set(agreement.parties.all()) == {msd, third}
    entry = AuditEntry.objects.get(action="programmes.agreement_update")
    assert entry.changes["parties"] == [["Trung tâm MSD", "Viện ViLEAP"], ["Trung tâm MSD", "Tổ chức thứ ba"]]
    assert entry.changes["title"] == ["T", "T2"]


def test_component_of_another_programme_is_refused(coordinator, prog, other_prog, msd, vileap, staff_admin):
    foreign = services.component_create(actor=staff_admin, programme=other_prog, name="Mảng khác")
    with pytest.raises(ValidationError) as error:
        services.agreement_create(
            actor=coordinator, programme=prog, title="T", parties=[msd, vileap], component=foreign
        )
    assert "component" in error.value.message_dict


# Objectives and activities ---------------------------------------------------------------------


def test_objectives_are_numbered_in_order_and_numbers_do_not_clash(coordinator, prog):
    first = services.objective_create(actor=coordinator, programme=prog, title="Mục tiêu một")
    second = services.objective_create(actor=coordinator, programme=prog, title="Mục tiêu hai")
    assert (first.number, second.number) == (1, 2)
    with pytest.raises(ValidationError) as error:
        services.objective_create(actor=coordinator, programme=prog, title="Trùng", number=2)
    assert "number" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.objective_update(actor=coordinator, objective=first, number=2)
    with pytest.raises(ValidationError) as error:
        services.objective_create(actor=coordinator, programme=prog, title="   ")
    assert "title" in error.value.message_dict
    assert Objective.objects.count() == 2


def test_activity_holds_the_commitment_and_places(coordinator, prog):
    objective = services.objective_create(actor=coordinator, programme=prog, title="Lồng ghép nội dung")
    hanoi = Province.objects.get(scheme=Province.Scheme.CURRENT, short_name="Hà Nội")
    hcm = Province.objects.get(scheme=Province.Scheme.CURRENT, short_name="Hồ Chí Minh")
    activity = services.activity_create(
        actor=coordinator,
        programme=prog,
        title="Đồng giảng dạy",
        objective=objective,
        planned_quantity=10,
        unit="tiết",
        quantity_basis="mỗi học kỳ, mỗi lớp, mỗi cơ sở",
        places=[hanoi, hcm],
    )
    assert activity.number == 1
    assert set(activity.places.all()) == {hanoi, hcm}
    assert activity.planned_quantity == 10


def test_activity_quantity_needs_a_unit_and_new_places_must_be_current(coordinator, prog):
    with pytest.raises(ValidationError) as error:
        services.activity_create(actor=coordinator, programme=prog, title="Hội thảo", planned_quantity=3)
    assert "unit" in error.value.message_dict
    legacy = Province.objects.filter(scheme=Province.Scheme.LEGACY).first()
    with pytest.raises(ValidationError) as error:
        services.activity_create(actor=coordinator, programme=prog, title="Hội thảo", places=[legacy])
    assert "places" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.activity_create(
            actor=coordinator, programme=prog, title="Hội thảo", start_date=date(2017, 5, 1), end_date=date(2017, 4, 1)
        )
    assert "end_date" in error.value.message_dict
    assert not Activity.objects.exists()


def test_activity_update_keeps_places_unless_given_and_audits_them(coordinator, prog):
    hanoi = Province.objects.get(scheme=Province.Scheme.CURRENT, short_name="Hà Nội")
    cantho = Province.objects.get(scheme=Province.Scheme.CURRENT, short_name="Cần Thơ")
    activity = services.activity_create(actor=coordinator, programme=prog, title="Hội thảo kết nối", places=[hanoi])
    services.activity_update(actor=coordinator, activity=activity, title="Hội thảo kết nối ba miền")
    assert list(activity.places.all()) == [hanoi]
    services.activity_update(actor=coordinator, activity=activity, places=[hanoi, cantho])
    assert set(activity.places.all()) == {hanoi, cantho}
    changes = AuditEntry.objects.filter(action="programmes.activity_update").order_by("id").last().changes
    assert changes["places"] == [["Hà Nội"], ["Cần Thơ", "Hà Nội"]]


def test_activity_cannot_link_an_objective_of_another_programme(coordinator, prog, other_prog, staff_admin):
    foreign = services.objective_create(actor=staff_admin, programme=other_prog, title="Khác")
    with pytest.raises(ValidationError) as error:
        services.activity_create(actor=coordinator, programme=prog, title="x", objective=foreign)
    assert "objective" in error.value.message_dict
