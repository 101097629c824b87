"""A registrant's organisation is kept as typed (issue 13): registered publicly, at the door as a
walk-in or by a coordinator, a name the directory does not know stays on the registration and
shows wherever the organisation shows — the registrations list, the sign-in sheet's organisation
column (never under "Chức vụ"), the attendance list, the ticket and the API — and the figures
say how many people have no known organisation type instead of a silent zero."""

import pytest

from ketnoi.directory.models import Organisation, OrganisationType, Person
from ketnoi.directory.services import organisation_create
from ketnoi.events import privacy, queries, report_text, services
from ketnoi.events.models import Registration, Workshop

from .factories import confirmation_token_for, make_workshop_today

pytestmark = pytest.mark.django_db

LAWYERS = "Hội Luật gia Việt Nam"
PUBLIC = {
    "full_name": "Nguyễn Thị Hường",
    "email": "huong@example.org",
    "phone": "",
    "position": "Chuyên viên",
    "organisation": LAWYERS,
    "sex": "female",
    "province": "",
    "consent": "on",
}


def page(workshop, suffix=""):
    return f"/programmes/{workshop.programme.code}/events/{workshop.pk}/{suffix}"


@pytest.fixture
def workshop(coordinator, prog):
    return make_workshop_today(coordinator, prog, title="Hội thảo kết nối tại Cần Thơ", kind=Workshop.Kind.CONNECTING)


@pytest.fixture
def state_agency(staff_admin):
    return organisation_create(
        actor=staff_admin, name="Sở Nội vụ Thành phố Cần Thơ", short_name="SNV CT", type=OrganisationType.STATE_AGENCY
    )


def walk_in(client, workshop, name, organisation):
    data = {"action": "walkin", "full_name": name, "sex": "female", "consent": "on", "organisation_name": organisation}
    response = client.post(page(workshop, "checkin/"), data)
    assert response.status_code == 302, response.content.decode()[:500]
    return workshop.registrations.get(person__full_name=name)


def test_a_public_registration_keeps_the_typed_name_apart_from_the_position(client, workshop):
    client.post(f"/e/w/{workshop.pk}/", PUBLIC)
    registration = Registration.objects.get()
    assert registration.organisation_name == LAWYERS and registration.organisation is None
    assert registration.position == "Chuyên viên"  # not "Chuyên viên, Hội Luật gia Việt Nam"
    confirmed = services.registration_confirm(token=confirmation_token_for(registration))
    assert confirmed.organisation_name == LAWYERS  # confirming keeps what was typed
    person = Person.objects.get()
    assert person.position == "Chuyên viên" and person.organisation is None
    assert Organisation.objects.count() == 0  # the public adds nothing to the directory


def test_a_typed_name_the_directory_knows_once_is_linked_by_its_folded_form(client, workshop, state_agency):
    client.post(f"/e/w/{workshop.pk}/", {**PUBLIC, "organisation": "so noi vu thanh pho  can tho"})
    registration = Registration.objects.get()
    assert registration.organisation == state_agency
    assert registration.organisation_name == "so noi vu thanh pho can tho"
    # Two directory organisations with the same name: no guess.
    Organisation.objects.create(name=LAWYERS, type=OrganisationType.CSO)
    Organisation.objects.create(name=LAWYERS, type=OrganisationType.MASS_ORGANISATION)
    client.post(f"/e/w/{workshop.pk}/", {**PUBLIC, "full_name": "Lê Văn Bình", "email": "binh@example.org"})
    assert Registration.objects.get(full_name="Lê Văn Bình").organisation is None


def test_the_walk_in_s_organisation_is_kept_on_the_registration(client_for, coordinator, workshop, state_agency):
    client = client_for(coordinator)
    registration = walk_in(client, workshop, "Trần Văn Đức", LAWYERS)
    assert registration.organisation_name == LAWYERS and registration.organisation is None
    known = walk_in(client, workshop, "Lê Thị Mai", "snv ct")
    assert known.organisation == state_agency and known.person.organisation == state_agency


def test_a_coordinator_registering_someone_keeps_the_typed_name(coordinator, workshop):
    registration, _created = services.registration_submit(
        actor=coordinator, workshop=workshop, full_name="Phạm Minh Châu", email="chau@example.org",
        organisation_name=LAWYERS, consent=True,
    )  # fmt: skip
    assert registration.person_id and registration.organisation_name == LAWYERS


def test_the_list_the_sheet_the_ticket_and_the_api_show_the_typed_name(
    client, client_for, api_client_under, coordinator, workshop
):
    client.post(f"/e/w/{workshop.pk}/", PUBLIC)
    registration = Registration.objects.get()
    coordinator_client = client_for(coordinator)
    html = coordinator_client.get(page(workshop)).content.decode()
    row = html.split(f'id="registration-{registration.pk}"')[1].split("</tr>")[0]
    assert LAWYERS in row and "chưa khớp danh bạ" in row and "—" not in row
    (attendee,) = queries.document_attendees(workshop)
    assert attendee.organisation == LAWYERS and attendee.position == "Chuyên viên"
    ticket = client.get(f"/e/ve/{registration.code}/").content.decode()
    assert LAWYERS in ticket
    call = api_client_under("/api/v1/events")(coordinator)
    api = call("get", f"/programmes/{workshop.programme.code}/workshops/{workshop.pk}/registrations")
    (item,) = api.json()["items"]
    assert item["organisation"] is None
    assert item["organisation_name"] == LAWYERS and item["organisation_matched"] is False


def test_the_report_counts_the_unmatched_instead_of_a_silent_zero(client_for, coordinator, workshop, state_agency):
    client = client_for(coordinator)
    for name in ("An", "Bình", "Chi"):
        walk_in(client, workshop, name, LAWYERS)
    walk_in(client, workshop, "Dung", "SNV CT")
    workshop = services.workshop_update(actor=coordinator, workshop=workshop, held=True)
    body = services.report_draft(actor=coordinator, workshop=workshop).body
    assert "3 người chưa rõ loại tổ chức" in body
    assert "0 đại biểu tổ chức xã hội" not in body
    assert "1 đại biểu cơ quan nhà nước" in body
    html = client.get(page(workshop)).content.decode()
    assert "3 người chưa rõ loại tổ chức" in html
    assert f'href="{page(workshop)}?organisation=unknown#registrations"' in html


def test_the_figures_use_the_registration_s_organisation_before_the_person_s(coordinator, workshop, state_agency):
    cso = Organisation.objects.create(name="Trung tâm Phát triển cộng đồng", type=OrganisationType.CSO)
    registration, _created = services.registration_submit(
        actor=coordinator, workshop=workshop, full_name="An", email="an@example.org", organisation=state_agency,
        consent=True,
    )  # fmt: skip
    Registration.objects.filter(pk=registration.pk).update(organisation=cso)
    services.registration_check_in(actor=coordinator, workshop=workshop, registration=registration)
    figures = report_text.participant_figures(workshop)
    assert figures["by_type"] == {OrganisationType.CSO: 1}
    assert queries.breakdown(workshop).state_cso == (0, 1)


def test_erasing_the_person_blanks_what_they_typed_and_keeps_the_match(coordinator, workshop, state_agency):
    from ketnoi.directory.services import person_erase

    registration = services.registration_walk_in(
        actor=coordinator, workshop=workshop, full_name="An", organisation_name="snv ct", consent=True
    )
    exported = privacy.export(registration.person)["registrations"][0]
    assert exported["organisation_name"] == "snv ct"
    person_erase(actor=coordinator, person=registration.person)
    registration.refresh_from_db()
    assert registration.organisation_name == "" and registration.organisation == state_agency


def test_the_door_offers_the_names_typed_before_and_shows_them_in_the_search(client_for, coordinator, workshop):
    client = client_for(coordinator)
    walk_in(client, workshop, "Trần Văn Đức", LAWYERS)
    html = client.get(page(workshop, "checkin/"), {"q": "tran van duc"}).content.decode()
    assert f'<option value="{LAWYERS}">' in html  # the walk-in form's suggestions
    assert f'<small class="muted">{LAWYERS}</small>' in html  # the search row
