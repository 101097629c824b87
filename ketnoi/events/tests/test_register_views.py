"""The public registration pages: a public workshop's page and form, invitation links (a person's
details or an organisation prefilled), closed, finished and invitation-only workshops, places and
the waiting list, bad input that writes nothing, and registering twice."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from ketnoi.directory.models import Consent, Organisation, OrganisationType, Person, Province, Sex
from ketnoi.directory.services import organisation_create, person_create
from ketnoi.events import services
from ketnoi.events.models import AgendaItem, Registration, Workshop

from .factories import confirmation_token_for, make_workshop, register

pytestmark = pytest.mark.django_db

GOOD = {
    "full_name": "  Nguyễn   Thị Hường ",
    "email": "huong@example.org",
    "phone": "",
    "position": "Chuyên viên",
    "organisation": "",
    "sex": "female",
    "province": "",
    "consent": "on",
}


def url(workshop) -> str:
    return f"/e/w/{workshop.pk}/"


def confirm(client, registration) -> None:
    """What the delegate does with the confirmation e-mail: open the link, press the button."""
    response = client.post(f"/e/xac-nhan/{confirmation_token_for(registration)}/")
    assert response.status_code == 302, response.content.decode()


@pytest.fixture
def public(coordinator, prog):
    hcm = Province.objects.get(scheme=Province.Scheme.CURRENT, short_name="Hồ Chí Minh")
    workshop = make_workshop(
        coordinator,
        prog,
        capacity=2,
        venue="Hội trường A",
        province=hcm,
        description="Gặp gỡ giữa cơ quan nhà nước và tổ chức xã hội.",
    )
    AgendaItem.objects.create(workshop=workshop, starts_at="08:30", title="Khai mạc", speakers="MSD")
    return workshop


@pytest.fixture
def sở_nội_vụ(staff_admin):
    return organisation_create(
        actor=staff_admin, name="Sở Nội vụ Thành phố Cần Thơ", short_name="SNV CT", type=OrganisationType.STATE_AGENCY
    )


def test_the_page_shows_the_workshop_and_the_places_left(client, public):
    page = client.get(url(public))
    assert page.status_code == 200
    html = page.content.decode()
    for text in (
        public.title,
        "Hội thảo kết nối",
        "10/12/2037 08:00",
        "Hội trường A",
        "Thành phố Hồ Chí Minh",
        "Gặp gỡ giữa cơ quan nhà nước",
        "08:30",
        "Khai mạc",
        "Còn 2 chỗ",
        'name="consent"',
        "Họ và tên *",
    ):
        assert text in html, text
    assert "<script" not in html.split("</head>")[1]  # the page works without JavaScript


def test_registering_goes_to_the_ticket_with_the_qr_code(client, public):
    response = client.post(url(public), GOOD)
    registration = Registration.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/e/ve/{registration.code}/"
    assert registration.full_name == "Nguyễn Thị Hường" and registration.sex == Sex.FEMALE
    assert registration.status == "confirmed" and registration.awaiting_confirmation
    ticket = client.get(response["Location"]).content.decode()
    assert "Đã nhận đăng ký" in ticket and "<svg" in ticket and "chờ xác nhận" in ticket
    # Nothing reaches the directory until the address answers (test_register_confirm.py).
    assert not Person.objects.exists() and not Consent.objects.exists()
    assert "Còn 1 chỗ" in client.get(url(public)).content.decode()
    confirm(client, registration)
    registration.refresh_from_db()
    assert registration.person.full_name == "Nguyễn Thị Hường" and registration.person.sex == Sex.FEMALE
    assert Consent.objects.filter(person=registration.person, method="online").exists()


def test_a_known_organisation_is_matched_by_its_folded_name(client, public, sở_nội_vụ):
    client.post(url(public), {**GOOD, "organisation": "so noi vu thanh pho can tho"})
    confirm(client, Registration.objects.get())
    person = Person.objects.get()
    assert person.organisation == sở_nội_vụ and person.position == "Chuyên viên"
    binh = {"full_name": "Lê Văn Bình", "email": "binh@example.org", "organisation": "snv ct"}
    client.post(url(public), {**GOOD, **binh})
    assert Registration.objects.get(full_name="Lê Văn Bình").organisation == sở_nội_vụ


def test_an_unknown_organisation_is_kept_as_typed_apart_from_the_position(client, public, sở_nội_vụ):
    client.post(url(public), {**GOOD, "organisation": "Nhóm Bạn trẻ Xanh"})
    confirm(client, Registration.objects.get())
    person = Person.objects.get()
    assert person.organisation is None and person.position == "Chuyên viên"
    registration = Registration.objects.get()
    assert registration.organisation_name == "Nhóm Bạn trẻ Xanh" and registration.organisation is None
    assert Organisation.objects.count() == 1  # the public adds nothing to the directory


def test_bad_input_shows_messages_beside_the_fields_and_writes_nothing(client, public):
    response = client.post(url(public), {"full_name": " ", "email": "not-an-email", "sex": "robot"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_full_name_error"' in html and "Hãy nhập họ và tên." in html
    assert 'id="id_email_error"' in html and "Địa chỉ thư điện tử này chưa đúng" in html
    assert 'id="id_consent_error"' in html and "Hãy đánh dấu đồng ý" in html
    assert 'id="id_sex_error"' in html
    response = client.post(url(public), {**GOOD, "email": "", "phone": ""})
    assert "Hãy nhập thư điện tử hoặc số điện thoại" in response.content.decode()
    assert not Registration.objects.exists() and not Person.objects.exists() and not Consent.objects.exists()


def test_a_full_workshop_says_so_and_puts_people_on_the_waiting_list(client, public):
    register(public, "An")
    register(public, "Bình")
    html = client.get(url(public)).content.decode()
    assert "Hội thảo đã đủ chỗ." in html and "danh sách chờ" in html
    response = client.post(url(public), GOOD)
    assert Registration.objects.get(full_name="Nguyễn Thị Hường").status == "waiting"
    ticket = client.get(response["Location"]).content.decode()
    assert "Danh sách chờ" in ticket and "<svg" not in ticket


def test_registering_twice_in_the_same_browser_shows_the_first_ticket(client, public):
    first = client.post(url(public), GOOD)
    again = client.post(url(public), {**GOOD, "full_name": "nguyen thi huong"})
    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert Registration.objects.count() == 1
    assert "đã đăng ký hội thảo này" in client.get(again["Location"]).content.decode()


def test_someone_else_typing_the_same_details_gets_the_link_by_email_not_the_ticket(
    client, public, django_capture_on_commit_callbacks
):
    registration, _ = register(public, "Nguyễn Thị Hường", email="huong@example.org")
    mail.outbox.clear()
    client.cookies.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(public), GOOD)
    assert response.status_code == 200
    html = response.content.decode()
    assert "đã đăng ký hội thảo này từ trước" in html and registration.code not in html
    assert [m.to for m in mail.outbox] == [["huong@example.org"]] and registration.code in mail.outbox[0].body
    assert Registration.objects.count() == 1


def test_an_invitation_only_workshop_is_not_found_without_its_code(client, coordinator, prog):
    workshop = make_workshop(coordinator, prog, registration=Workshop.Registration.INVITATION)
    assert client.get(url(workshop)).status_code == 404
    assert client.post(url(workshop), GOOD).status_code == 404
    assert client.get(url(workshop) + "?moi=doan-bua").status_code == 404
    assert client.get("/e/moi/khong-co-ma-nay/").status_code == 404
    assert not Registration.objects.exists()


def test_a_person_invitation_prefills_their_details_and_registers_them(client, coordinator, staff_admin, prog):
    workshop = make_workshop(coordinator, prog, registration=Workshop.Registration.INVITATION, needs_approval=True)
    person = person_create(
        actor=staff_admin, full_name="Trần Văn Nam", email="nam@example.org", position="Phó giám đốc", sex=Sex.MALE
    )
    invitation = services.invitations_create(actor=coordinator, workshop=workshop, people=[person])[0]
    page = client.get(f"/e/moi/{invitation.code}/")
    html = page.content.decode()
    assert page.status_code == 200 and 'value="Trần Văn Nam"' in html and 'value="nam@example.org"' in html
    assert "Phó giám đốc" in html
    # The same link through the workshop's page works too.
    assert client.get(url(workshop) + f"?moi={invitation.code}").status_code == 200
    response = client.post(f"/e/moi/{invitation.code}/", {"full_name": "Someone Else", "consent": "on"})
    registration = Registration.objects.get()
    assert response["Location"] == f"/e/ve/{registration.code}/"
    assert registration.person == person and registration.invitation == invitation and registration.status == "pending"
    # Opening the invitation again points at the registration instead of a second form.
    html = client.get(f"/e/moi/{invitation.code}/").content.decode()
    assert f"/e/ve/{registration.code}/" in html and 'name="consent"' not in html
    client.cookies.clear()
    again = client.post(f"/e/moi/{invitation.code}/", {"consent": "on"})
    assert again["Location"] == f"/e/ve/{registration.code}/" and Registration.objects.count() == 1


def test_an_organisation_invitation_prefills_the_organisation(client, coordinator, prog, sở_nội_vụ):
    workshop = make_workshop(coordinator, prog, registration=Workshop.Registration.INVITATION)
    invitation = services.invitations_create(actor=coordinator, workshop=workshop, organisations=[sở_nội_vụ])[0]
    html = client.get(f"/e/moi/{invitation.code}/").content.decode()
    assert 'value="Sở Nội vụ Thành phố Cần Thơ"' in html
    response = client.post(f"/e/moi/{invitation.code}/", {**GOOD, "organisation": "Sở Nội vụ Thành phố Cần Thơ"})
    assert response.status_code == 302
    registration = Registration.objects.get()
    # An organisation's link is passed around: who typed these details confirms by e-mail.
    assert registration.organisation == sở_nội_vụ and registration.invitation == invitation
    assert registration.awaiting_confirmation
    confirm(client, registration)
    registration.refresh_from_db()
    assert registration.person.organisation == sở_nội_vụ and registration.invitation == invitation


def test_a_closed_workshop_says_so_and_takes_nothing(client, coordinator, prog, public):
    services.workshop_update(actor=coordinator, workshop=public, registration=Workshop.Registration.CLOSED)
    page = client.get(url(public))
    html = page.content.decode()
    assert page.status_code == 200 and "đã đóng đăng ký" in html and 'name="consent"' not in html
    assert client.post(url(public), GOOD).status_code == 200
    assert not Registration.objects.exists()


def test_a_finished_workshop_says_so(client, coordinator, prog):
    start = timezone.now() - timedelta(days=3)
    workshop = make_workshop(coordinator, prog, starts_at=start, ends_at=start + timedelta(hours=4))
    html = client.get(url(workshop)).content.decode()
    assert "đã diễn ra" in html and 'name="consent"' not in html
    client.post(url(workshop), GOOD)
    assert not Registration.objects.exists()


def test_unknown_workshop_and_wrong_methods(client, public):
    assert client.get("/e/w/999999/").status_code == 404
    assert client.put(url(public)).status_code == 405


def test_the_page_fits_a_phone_and_is_in_english_too(client, public):
    html = client.get(url(public)).content.decode()
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in html
    client.cookies["ketnoi_language"] = "en"
    english = client.get(url(public)).content.decode()
    assert "Full name *" in english or "Họ và tên *" in english  # the catalog may not be compiled


def test_a_logged_in_outsider_gets_no_more_than_the_public(client_for, outsider, coordinator, prog):
    workshop = make_workshop(coordinator, prog, registration=Workshop.Registration.INVITATION)
    client = client_for(outsider)
    assert client.get(url(workshop)).status_code == 404
    assert client.post(url(workshop), GOOD).status_code == 404
    assert not Registration.objects.exists()
