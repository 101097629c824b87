"""Registration rules: places, the waiting list and its promotion, approval together with the
waiting list, cancellation, invitation-only and closed workshops, check-in (signed codes, a
second scan, walk-ins), who may do what, and bad input that writes nothing."""

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ketnoi.core.models import AuditEntry
from ketnoi.directory.models import Consent, Organisation, OrganisationType, Person
from ketnoi.events import services
from ketnoi.events.models import Registration, Workshop

from .factories import make_workshop, make_workshop_today, register

pytestmark = pytest.mark.django_db
Status = Registration.Status


@pytest.fixture
def small(coordinator, prog):
    return make_workshop(coordinator, prog, capacity=2)


@pytest.fixture
def small_today(coordinator, prog):
    """Two places, under way: the door's tests check people in on the day."""
    return make_workshop_today(coordinator, prog, capacity=2)


def statuses(workshop) -> dict[str, str]:
    return {r.person.full_name: r.status for r in workshop.registrations.select_related("person")}


# Places and the waiting list -------------------------------------------------------------------


def test_places_then_waiting_list_in_order(small):
    for name in ("An", "Bình", "Chi", "Dũng"):
        register(small, name)
    assert statuses(small) == {"An": "confirmed", "Bình": "confirmed", "Chi": "waiting", "Dũng": "waiting"}
    assert services.places_taken(small) == 2


def test_a_cancellation_promotes_the_first_waiting_and_tells_them(small, django_capture_on_commit_callbacks):
    an, _ = register(small, "An")
    register(small, "Bình")
    register(small, "Chi")
    register(small, "Dũng")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(actor=None, registration=an)
    assert statuses(small) == {"An": "cancelled", "Bình": "confirmed", "Chi": "confirmed", "Dũng": "waiting"}
    assert [m.to for m in mail.outbox] == [["chi@example.org"]]
    assert "Đã xác nhận" in mail.outbox[0].subject
    # The e-mail carries the check-in QR code as an image, and the personal link.
    ((filename, content, mimetype),) = mail.outbox[0].attachments
    assert mimetype == "image/png" and content.startswith(b"\x89PNG") and filename.endswith(".png")
    chi = small.registrations.get(person__full_name="Chi")
    assert f"/e/ve/{chi.code}/" in mail.outbox[0].body
    # A waiting person who cancels frees no place: nobody moves.
    dung = small.registrations.get(person__full_name="Dũng")
    services.registration_cancel(actor=None, registration=dung)
    assert statuses(small)["Chi"] == "confirmed" and dung.__class__.objects.get(pk=dung.pk).status == "cancelled"


def test_more_places_move_the_waiting_list_up(small, coordinator):
    for name in ("An", "Bình", "Chi", "Dũng"):
        register(small, name)
    services.workshop_update(actor=coordinator, workshop=small, capacity=3)
    assert statuses(small) == {"An": "confirmed", "Bình": "confirmed", "Chi": "confirmed", "Dũng": "waiting"}


def test_no_capacity_means_everyone_gets_a_place(coordinator, prog):
    open_workshop = make_workshop(coordinator, prog, capacity=None)
    for i in range(40):
        register(open_workshop, f"Người {i}")
    assert set(statuses(open_workshop).values()) == {"confirmed"}


def test_registering_twice_returns_the_first_registration(small):
    first, created = register(small, "An", phone="0912 345 678")
    again, created_again = register(small, "an", email="", phone="+84912345678")
    assert created and not created_again and again.pk == first.pk
    assert Person.objects.count() == 1 and small.registrations.count() == 1


def test_a_cancelled_registration_is_taken_up_again_through_the_places_rule(small):
    an, _ = register(small, "An")
    services.registration_cancel(actor=None, registration=an)
    register(small, "Bình")
    register(small, "Chi")
    again, created = register(small, "An")
    assert created and again.pk == an.pk and again.status == "waiting"


# Approval together with the waiting list --------------------------------------------------------


def test_approval_gives_a_place_or_the_waiting_list(coordinator, prog):
    workshop = make_workshop(coordinator, prog, capacity=1, needs_approval=True)
    an, _ = register(workshop, "An")
    binh, _ = register(workshop, "Bình")
    assert an.status == binh.status == "pending" and services.places_taken(workshop) == 0
    services.registration_approve(actor=coordinator, registration=binh)
    services.registration_approve(actor=coordinator, registration=an)
    assert statuses(workshop) == {"An": "waiting", "Bình": "confirmed"}
    with pytest.raises(ValidationError, match="đang chờ duyệt"):
        services.registration_approve(actor=coordinator, registration=Registration.objects.get(pk=an.pk))
    # Not yet approved people never jump the waiting list when a place frees.
    chi, _ = register(workshop, "Chi")
    services.registration_cancel(actor=coordinator, registration=Registration.objects.get(pk=binh.pk))
    assert statuses(workshop) == {"An": "confirmed", "Bình": "cancelled", "Chi": "pending"}


def test_an_organiser_registering_someone_needs_no_approval(coordinator, prog):
    workshop = make_workshop(coordinator, prog, needs_approval=True)
    registration, _ = register(workshop, "An", actor=coordinator)
    assert registration.status == "confirmed" and registration.approved


# Who may register -------------------------------------------------------------------------------


def test_invitation_only_needs_the_personal_link(coordinator, prog):
    workshop = make_workshop(coordinator, prog, registration=Workshop.Registration.INVITATION)
    with pytest.raises(ValidationError, match="chỉ dành cho người được mời"):
        register(workshop, "An")
    person = Person.objects.create(full_name="Lê Thị Hồng", email="hong@example.org")
    (invitation,) = services.invitations_create(actor=coordinator, workshop=workshop, people=[person])
    registration, _ = services.registration_submit(
        actor=None, workshop=workshop, full_name="", consent=True, invitation_code=invitation.code
    )
    assert registration.person == person and registration.invitation == invitation
    assert services.invitations_create(actor=coordinator, workshop=workshop, people=[person]) == []


def test_an_organisation_invitation_lets_its_people_register(coordinator, prog):
    workshop = make_workshop(coordinator, prog, registration=Workshop.Registration.INVITATION)
    cso = Organisation.objects.create(name="Trung tâm Hỗ trợ Sáng kiến Phát triển Cộng đồng", type=OrganisationType.CSO)
    (invitation,) = services.invitations_create(actor=coordinator, workshop=workshop, organisations=[cso])
    registration, _ = register(workshop, "Phạm Văn Nam", invitation_code=invitation.code)
    assert registration.person.organisation == cso
    with pytest.raises(ValidationError):
        register(workshop, "Người lạ", invitation_code="khong-dung")


def test_a_closed_workshop_refuses_the_public_but_not_its_organisers(coordinator, prog):
    workshop = make_workshop(coordinator, prog, registration=Workshop.Registration.CLOSED)
    with pytest.raises(ValidationError, match="đã đóng đăng ký"):
        register(workshop, "An")
    registration, _ = register(workshop, "An", actor=coordinator)
    assert registration.status == "confirmed"


def test_registration_records_consent_and_finds_the_person_in_the_directory(small):
    existing = Person.objects.create(full_name="Nguyễn Thị Lan", email="lan@example.org")
    registration, _ = register(small, "nguyen thi lan", email="LAN@example.org ")
    assert registration.person == existing
    consent = Consent.objects.get(person=existing)
    assert consent.method == Consent.Method.ONLINE and small.title in consent.purpose


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"full_name": "  ", "email": "a@example.org", "consent": True}, "full_name", "họ và tên"),
        ({"full_name": "An", "email": "", "phone": "", "consent": True}, "email", "thư điện tử hoặc số điện thoại"),
        ({"full_name": "An", "email": "a@example.org", "consent": False}, "consent", "đồng ý"),
        ({"full_name": "An", "email": "không phải thư", "consent": True}, "email", ""),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(small, fields, field, message):
    before = (Person.objects.count(), Registration.objects.count(), Consent.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError) as caught:
        services.registration_submit(actor=None, workshop=small, **fields)
    assert field in caught.value.message_dict and message in " ".join(caught.value.message_dict[field])
    after = (Person.objects.count(), Registration.objects.count(), Consent.objects.count(), AuditEntry.objects.count())
    assert after == before


# Check-in ---------------------------------------------------------------------------------------


def test_check_in_by_code_then_a_second_scan_changes_nothing(small_today, lecturer):
    registration, _ = register(small_today, "An")
    payload = services.checkin_payload(registration)
    checked, first_time = services.registration_check_in(actor=lecturer, workshop=small_today, payload=payload)
    assert first_time and checked.status == "attended" and checked.checked_in_at and checked.checked_in_by == lecturer
    audits = AuditEntry.objects.filter(action="events.checkin").count()
    again, second_time = services.registration_check_in(actor=lecturer, workshop=small_today, payload=payload)
    assert not second_time and again.checked_in_at == checked.checked_in_at
    assert AuditEntry.objects.filter(action="events.checkin").count() == audits


TAMPERED = [lambda p: p[:-1] + ("A" if p[-1] != "A" else "B"), lambda p: p.split(":")[0][:-1], str.upper]


@pytest.mark.parametrize("tamper", TAMPERED)
def test_a_forged_or_altered_code_is_refused(small_today, coordinator, tamper):
    registration, _ = register(small_today, "An")
    with pytest.raises(services.CheckinRefused, match="không phải vé"):
        services.registration_check_in(
            actor=coordinator, workshop=small_today, payload=tamper(services.checkin_payload(registration))
        )
    assert Registration.objects.get(pk=registration.pk).checked_in_at is None


def test_a_ticket_for_another_workshop_is_refused(small_today, coordinator, prog):
    other = make_workshop(coordinator, prog, title="Hội thảo khác")
    registration, _ = register(other, "An")
    with pytest.raises(services.CheckinRefused):
        services.registration_check_in(
            actor=coordinator, workshop=small_today, payload=services.checkin_payload(registration)
        )
    with pytest.raises(services.CheckinRefused):
        services.registration_check_in(actor=coordinator, workshop=small_today, registration=registration)


def test_waiting_and_pending_people_cannot_be_checked_in(small_today, coordinator):
    register(small_today, "An")
    register(small_today, "Bình")
    chi, _ = register(small_today, "Chi")
    with pytest.raises(services.CheckinRefused, match="Danh sách chờ"):
        services.registration_check_in(actor=coordinator, workshop=small_today, registration=chi)


def test_a_walk_in_is_registered_and_checked_in_even_when_full(small_today, lecturer):
    register(small_today, "An")
    register(small_today, "Bình")
    tam = {"full_name": "Trần Văn Tâm", "phone": "0987 654 321", "consent": True}
    walk_in = services.registration_walk_in(actor=lecturer, workshop=small_today, **tam)
    assert walk_in.walk_in and walk_in.status == "attended" and walk_in.checked_in_at
    assert services.places_taken(small_today) == 3
    with pytest.raises(services.CheckinRefused, match="đã điểm danh lúc"):
        services.registration_walk_in(actor=lecturer, workshop=small_today, **tam)
    with pytest.raises(ValidationError):
        services.registration_walk_in(
            actor=lecturer, workshop=small_today, full_name="Người không đồng ý", consent=False
        )


def test_an_attended_registration_cannot_be_cancelled(small_today, coordinator):
    registration, _ = register(small_today, "An")
    services.registration_check_in(actor=coordinator, workshop=small_today, registration=registration)
    with pytest.raises(ValidationError, match="đã điểm danh"):
        services.registration_cancel(actor=coordinator, registration=registration)


# Permissions ------------------------------------------------------------------------------------


def test_only_the_programme_s_people_run_its_workshop(small, coordinator, viewer, outsider, other_prog, make_user):
    from ketnoi.core.roles import Role
    from ketnoi.programmes.models import ProgrammeRole

    elsewhere = make_user("elsewhere")
    ProgrammeRole.objects.create(user=elsewhere, programme=other_prog, role=Role.COORDINATOR)
    registration, _ = register(small, "An")
    for user in (viewer, outsider, elsewhere):
        with pytest.raises(PermissionDenied):
            services.registration_check_in(actor=user, workshop=small, registration=registration)
        with pytest.raises(PermissionDenied):
            services.registration_cancel(actor=user, registration=registration)
        with pytest.raises(PermissionDenied):
            services.workshop_update(actor=user, workshop=small, capacity=10)
    with pytest.raises(PermissionDenied):
        make_workshop(outsider, small.programme)
    assert Registration.objects.get(pk=registration.pk).status == "confirmed"


def test_workshop_input_is_checked(coordinator, prog):
    starts = timezone.make_aware(datetime(2037, 12, 10, 8, 0))
    with pytest.raises(ValidationError) as caught:
        make_workshop(coordinator, prog, title=" ", ends_at=starts - timedelta(hours=1), capacity=0)
    assert {"title", "ends_at", "capacity"} <= set(caught.value.message_dict)
    assert not Workshop.objects.exists()
