"""Who stewards a person's data: a coordinator exports, edits and erases only what their
programmes hold; erasing a person other programmes hold too becomes a request the other
stewards (or a data protection officer) complete.

`prog` stands for MSD (coordinator) and `other_prog` for TEV (other_coordinator). A stand-in app
holds one row about the person in each programme, as training or events would.
"""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ketnoi.core import registry
from ketnoi.core.models import AuditEntry
from ketnoi.core.roles import Role
from ketnoi.directory.models import ErasureRequest, Person
from ketnoi.directory.services import erasure_complete, person_erase, person_export, person_merge, person_update

from .factories import make_person

pytestmark = pytest.mark.django_db


class StandIn:
    """An app's rows about people: {person pk: {programme id: text}}."""

    def __init__(self):
        self.rows: dict[int, dict[int, str]] = {}
        self.erased: list[tuple[int, frozenset | None]] = []

    def holders(self, person):
        return set(self.rows.get(person.pk, {}))

    def export(self, person, *, programmes=None):
        held = self.rows.get(person.pk, {})
        return {"rows": sorted(text for pid, text in held.items() if programmes is None or pid in programmes)}

    def erase(self, person, *, programmes=None):
        self.erased.append((person.pk, None if programmes is None else frozenset(programmes)))
        held = self.rows.get(person.pk, {})
        for pid in list(held):
            if programmes is None or pid in programmes:
                del held[pid]


@pytest.fixture
def standin(monkeypatch):
    app = StandIn()
    monkeypatch.setattr(registry, "_personal_data", dict(registry._personal_data))
    registry.register_personal_data("standin", export=app.export, erase=app.erase, holders=app.holders)
    return app


@pytest.fixture
def lan(standin, prog, other_prog):
    """A person both MSD (prog) and TEV (other_prog) hold."""
    person = make_person(full_name="Nguyễn Thị Lan", email="lan@example.org", phone="0912345678")
    standin.rows[person.pk] = {prog.pk: "MSD: giảng dạy 3 buổi", other_prog.pk: "TEV: đăng ký hội thảo"}
    return person


@pytest.fixture
def dpo(make_user):
    user = make_user("dpo", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="complete_erasure", content_type__app_label="directory"))
    return user


def test_each_coordinator_exports_only_their_programmes_rows(lan, coordinator, other_coordinator, staff_admin):
    tev = person_export(actor=other_coordinator, person=lan)
    assert tev["data"]["standin"] == {"rows": ["TEV: đăng ký hội thảo"]}
    assert tev["person"]["email"] == "lan@example.org"  # the shared record goes to every steward
    assert person_export(actor=coordinator, person=lan)["data"]["standin"] == {"rows": ["MSD: giảng dạy 3 buổi"]}
    assert len(person_export(actor=staff_admin, person=lan)["data"]["standin"]["rows"]) == 2


def test_the_export_page_gives_tev_only_tev_rows(lan, client_for, other_coordinator):
    response = client_for(other_coordinator).get(reverse("directory:person_export", args=[lan.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "TEV: đăng ký hội thảo" in body and "MSD" not in body


def test_a_coordinator_whose_programmes_hold_nothing_gets_no_export(lan, make_user, prog, client_for):
    third = prog.__class__.objects.create(name="Chương trình thứ ba", code="thu-ba")
    stranger = make_user("third-coordinator")
    stranger.programme_roles.create(programme=third, role=Role.COORDINATOR)
    with pytest.raises(PermissionDenied):
        person_export(actor=stranger, person=lan)
    with pytest.raises(PermissionDenied):
        person_erase(actor=stranger, person=lan)
    client = client_for(stranger)
    assert client.get(reverse("directory:person_export", args=[lan.pk])).status_code == 403
    assert client.post(reverse("directory:person_erase", args=[lan.pk]), {"confirmation": "XOÁ"}).status_code == 403
    assert Person.objects.get(pk=lan.pk).erased_at is None


def test_tev_erasing_lan_erases_tev_rows_and_files_a_request_for_msd(lan, standin, prog, other_prog, other_coordinator):
    request = person_erase(actor=other_coordinator, person=lan)
    assert request.is_open
    assert standin.rows[lan.pk] == {prog.pk: "MSD: giảng dạy 3 buổi"}  # MSD's rows are still there
    assert (lan.pk, frozenset({other_prog.pk})) in standin.erased
    lan.refresh_from_db()
    assert lan.full_name == "Nguyễn Thị Lan" and lan.email == "lan@example.org" and lan.erased_at is None
    steps = {step.programme_id: step for step in request.steps.all()}
    assert steps[other_prog.pk].done_by == other_coordinator and steps[other_prog.pk].done_at is not None
    assert steps[prog.pk].done_at is None and steps[prog.pk].programme_name == prog.name
    assert request.requested_by == other_coordinator


def test_msd_completing_the_request_erases_the_person(lan, standin, coordinator, other_coordinator):
    request = person_erase(actor=other_coordinator, person=lan)
    erasure_complete(actor=coordinator, request=request)
    request.refresh_from_db()
    lan.refresh_from_db()
    assert not request.is_open and request.completed_by == coordinator
    assert lan.erased_at is not None and lan.email == "" and lan.full_name == f"Đã xoá #{lan.pk}"
    assert standin.rows[lan.pk] == {}
    # The log: who asked, who did each step, when.
    steps = list(request.steps.order_by("done_at"))
    assert [s.done_by for s in steps] == [other_coordinator, coordinator]
    assert all(s.done_at for s in steps) and request.requested_at <= steps[0].done_at <= request.completed_at
    actions = set(AuditEntry.objects.filter(object_id=str(request.pk)).values_list("action", flat=True))
    assert {"directory.erasure_request", "directory.erasure_step"} <= actions


def test_a_coordinator_cannot_complete_another_programmes_step(lan, other_coordinator):
    request = person_erase(actor=other_coordinator, person=lan)
    with pytest.raises(PermissionDenied):
        erasure_complete(actor=other_coordinator, request=request)
    assert Person.objects.get(pk=lan.pk).erased_at is None


def test_a_data_protection_officer_completes_every_step(lan, standin, dpo, other_coordinator):
    request = person_erase(actor=other_coordinator, person=lan)
    erasure_complete(actor=dpo, request=request)
    request.refresh_from_db()
    assert not request.is_open and request.completed_by == dpo
    assert Person.objects.get(pk=lan.pk).erased_at is not None


def test_a_data_protection_officer_erases_at_once(lan, standin, dpo):
    request = person_erase(actor=dpo, person=lan)
    assert not request.is_open and standin.rows[lan.pk] == {}
    assert {s.done_by for s in request.steps.all()} == {dpo}
    assert Person.objects.get(pk=lan.pk).erased_at is not None


def test_a_person_only_the_actors_programme_holds_is_erased_at_once(standin, prog, coordinator):
    person = make_person(full_name="Trần Văn Nam", email="nam@example.org")
    standin.rows[person.pk] = {prog.pk: "MSD"}
    request = person_erase(actor=coordinator, person=person)
    assert not request.is_open
    assert Person.objects.get(pk=person.pk).erased_at is not None


def test_outsider_and_viewer_cannot_reach_requests(lan, client_for, other_coordinator, outsider, viewer):
    request = person_erase(actor=other_coordinator, person=lan)
    for user, page_status in ((outsider, 404), (viewer, 403)):
        client = client_for(user)
        assert client.get(reverse("directory:person_export", args=[lan.pk])).status_code == page_status
        assert client.post(reverse("directory:person_erase", args=[lan.pk]), {"confirmation": "XOÁ"}).status_code in (
            page_status,
        )
        assert client.get(reverse("directory:erasure_detail", args=[request.pk])).status_code == 404
        assert client.post(reverse("directory:erasure_complete", args=[request.pk])).status_code == 404
    assert ErasureRequest.objects.get().is_open


def test_the_steward_sees_and_completes_the_request_on_its_pages(lan, client_for, coordinator, other_coordinator):
    client = client_for(other_coordinator)
    response = client.post(reverse("directory:person_erase", args=[lan.pk]), {"confirmation": "XOÁ"})
    request = ErasureRequest.objects.get()
    assert response.status_code == 302 and response.url == reverse("directory:erasure_detail", args=[request.pk])
    client = client_for(coordinator)
    listing = client.get(reverse("directory:erasure_list")).content.decode()
    assert 'id="erasures-awaiting"' in listing and "Nguyễn Thị Lan" in listing
    detail = client.get(reverse("directory:erasure_detail", args=[request.pk])).content.decode()
    assert 'id="erasure-complete-form"' in detail
    assert client.post(reverse("directory:erasure_complete", args=[request.pk])).status_code == 302
    assert Person.objects.get(pk=lan.pk).erased_at is not None


def test_only_a_steward_edits_the_shared_record(standin, prog, coordinator, other_coordinator, client_for):
    person = make_person(full_name="Lê Thị Hoa", email="hoa@example.org")
    standin.rows[person.pk] = {prog.pk: "MSD"}
    with pytest.raises(PermissionDenied):
        person_update(actor=other_coordinator, person=person, position="Giám đốc")
    url = reverse("directory:person_edit", args=[person.pk])
    assert client_for(other_coordinator).get(url).status_code == 403
    person_update(actor=coordinator, person=person, position="Giảng viên")
    assert Person.objects.get(pk=person.pk).position == "Giảng viên"
    # Held by no programme yet: any directory editor keeps it up to date.
    newcomer = make_person(full_name="Phạm Văn Bình")
    person_update(actor=other_coordinator, person=newcomer, position="Cán bộ")


def test_the_api_refuses_an_edit_by_a_non_steward(standin, prog, other_coordinator, api_client):
    person = make_person(full_name="Lê Thị Hoa")
    standin.rows[person.pk] = {prog.pk: "MSD"}
    response = api_client(other_coordinator)("patch", f"/people/{person.pk}", {"position": "Giám đốc"})
    assert response.status_code == 403
    assert Person.objects.get(pk=person.pk).position == ""


def test_staff_read_the_request_log_in_the_back_office(lan, other_coordinator, staff_admin, client_for):
    request = person_erase(actor=other_coordinator, person=lan)
    page = client_for(staff_admin).get(reverse("admin:directory_erasurerequest_change", args=[request.pk]))
    assert page.status_code == 200 and "Chương trình khác" in page.content.decode()


def test_merging_needs_the_stewardship_of_both_and_no_open_erasure(lan, other_coordinator, coordinator, standin, prog):
    twin = make_person(full_name="Nguyễn Thị Lan", email="lan@example.org")
    standin.rows[twin.pk] = {prog.pk: "MSD"}
    with pytest.raises(PermissionDenied):  # TEV does not hold the twin
        person_merge(actor=other_coordinator, keep=lan, remove=twin)
    person_erase(actor=other_coordinator, person=lan)
    with pytest.raises(ValidationError):  # MSD stewards both, but Lan's erasure is under way
        person_merge(actor=coordinator, keep=twin, remove=lan)
    assert ErasureRequest.objects.get().person_id == lan.pk


def test_the_erase_page_says_a_request_will_be_filed(lan, other_coordinator, client_for):
    page = client_for(other_coordinator).get(reverse("directory:person_erase", args=[lan.pk]))
    assert page.status_code == 200 and 'id="erase-needs-request"' in page.content.decode()


def test_the_person_page_shows_each_reader_only_the_audit_entries_they_steward(
    lan, standin, prog, make_user, coordinator, other_coordinator, staff_admin, client_for
):
    person_update(actor=coordinator, person=lan, position="Giảng viên chính")
    person_export(actor=coordinator, person=lan)  # names MSD's programme, which TEV does not steward
    url = reverse("directory:person_detail", args=[lan.pk])

    tev = client_for(other_coordinator).get(url).content.decode()
    assert "directory.person_update" in tev  # the shared record is every steward's
    assert "directory.person_export" not in tev

    third = prog.__class__.objects.create(name="Chương trình thứ ba", code="thu-ba")
    stranger = make_user("third-coordinator")
    stranger.programme_roles.create(programme=third, role=Role.COORDINATOR)
    page = client_for(stranger).get(url).content.decode()
    assert "directory.person_update" not in page and "Giảng viên chính" in page  # the record, not its history

    msd = client_for(coordinator).get(url).content.decode()
    assert "directory.person_export" in msd
    staff = client_for(staff_admin).get(url).content.decode()
    assert "directory.person_export" in staff and "directory.person_update" in staff


def test_only_a_steward_records_or_withdraws_a_consent(standin, prog, coordinator, other_coordinator, client_for):
    from datetime import date

    from ketnoi.directory.services import consent_record, consent_withdraw

    person = make_person(full_name="Lê Thị Hoa", email="hoa@example.org")
    standin.rows[person.pk] = {prog.pk: "MSD"}
    consent = consent_record(
        actor=coordinator, person=person, purpose="Hội thảo MSD", given_on=date(2025, 1, 1), method="email"
    )
    with pytest.raises(PermissionDenied):
        consent_withdraw(actor=other_coordinator, consent=consent)
    with pytest.raises(PermissionDenied):
        consent_record(actor=other_coordinator, person=person, purpose="X", given_on=date(2025, 1, 1), method="email")
    client = client_for(other_coordinator)
    assert client.post(reverse("directory:consent_withdraw", args=[person.pk, consent.pk])).status_code == 403
    form = {"purpose": "X", "given_on": "2025-01-01", "method": "email"}
    assert client.post(reverse("directory:consent_create", args=[person.pk]), form).status_code == 403
    consent.refresh_from_db()
    assert consent.withdrawn_on is None and person.consents.count() == 1
    page = client.get(reverse("directory:person_detail", args=[person.pk])).content.decode()
    assert "Hội thảo MSD" not in page  # a consent's purpose names the steward's workshop
    steward_page = client_for(coordinator).get(reverse("directory:person_detail", args=[person.pk]))
    assert "Hội thảo MSD" in steward_page.content.decode()


def test_the_other_programmes_coordinators_are_asked_by_e_mail(
    lan, coordinator, other_coordinator, outsider, viewer, make_user, prog, django_capture_on_commit_callbacks
):
    from django.core import mail

    second = make_user("msd-2", email="msd2@example.org")
    second.programme_roles.create(programme=prog, role=Role.COORDINATOR)
    for user, address in ((coordinator, "msd@example.org"), (other_coordinator, "tev@example.org")):
        user.email = address
        user.save(update_fields=["email"])
    outsider.email, viewer.email = "outsider@example.org", "viewer@example.org"
    outsider.save(update_fields=["email"])
    viewer.save(update_fields=["email"])

    with django_capture_on_commit_callbacks(execute=True):
        request = person_erase(actor=other_coordinator, person=lan)
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "msd2@example.org",
        "msd@example.org",
    ]
    assert all(reverse("directory:erasure_detail", args=[request.pk]) in message.body for message in mail.outbox)

    # Completing it asks nobody again; an erasure nobody else holds asks nobody at all.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        erasure_complete(actor=coordinator, request=request)
    assert mail.outbox == []
