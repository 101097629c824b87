"""A registration typed on the public page is tied to a directory person only once that person
confirms from the address on record, or is seen at the door (issue 12): an outsider who knows
someone's name and e-mail registers nobody but themselves."""

import re
import time

import pytest
from django.core import mail, signing
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from ketnoi.core.models import AuditEntry
from ketnoi.directory.models import Consent, Person, Sex
from ketnoi.directory.services import person_create
from ketnoi.events import services
from ketnoi.events.models import Registration
from ketnoi.events.services.confirmation import CONFIRM_MAILS_PER_ADDRESS_PER_DAY

from .factories import confirmation_token_for, make_workshop, register

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^/\s]+(/e/xac-nhan/[^/\s]+/)")


@pytest.fixture
def workshop(coordinator, prog):
    return make_workshop(coordinator, prog, capacity=5)


@pytest.fixture
def huong(staff_admin):
    """Someone in the directory, with an address on record and no phone."""
    return person_create(actor=staff_admin, full_name="Nguyễn Thị Hường", email="huong@example.org", sex=Sex.FEMALE)


def form(**changes) -> dict:
    return {
        "full_name": "Nguyễn Thị Hường",
        "email": "huong@example.org",
        "phone": "0912 000 111",
        "position": "Giám đốc",
        "sex": "female",
        "consent": "on",
        **changes,
    }


def submit(client, workshop, capture, **changes):
    mail.outbox.clear()
    with capture(execute=True):
        return client.post(f"/e/w/{workshop.pk}/", form(**changes))


def confirmation_path(message) -> str:
    return LINK.search(message.body).group(1)


def test_an_outsider_typing_someone_s_details_links_nothing_to_them(
    client, workshop, huong, django_capture_on_commit_callbacks
):
    response = submit(client, workshop, django_capture_on_commit_callbacks)
    registration = Registration.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/e/ve/{registration.code}/"
    assert registration.person is None and registration.awaiting_confirmation
    assert registration.full_name == "Nguyễn Thị Hường" and registration.status == "confirmed"
    assert not huong.registrations.exists() and not Consent.objects.filter(person=huong).exists()
    huong.refresh_from_db()
    assert huong.phone == "" and huong.position == ""  # typed details do not complete the record
    # One e-mail: the confirmation link, to the address on record — no ticket yet.
    assert [m.to for m in mail.outbox] == [["huong@example.org"]]
    assert "/e/xac-nhan/" in mail.outbox[0].body and registration.code not in mail.outbox[0].body
    # The page says the same as for anyone (it does not tell who is on record).
    ticket = client.get(response["Location"]).content.decode()
    assert "chờ xác nhận" in ticket


def test_the_confirmation_goes_to_the_address_on_record_not_the_typed_one(
    client, workshop, staff_admin, django_capture_on_commit_callbacks
):
    person_create(actor=staff_admin, full_name="Trần Văn Nam", email="nam@example.org", phone="0912345678")
    submit(
        client,
        workshop,
        django_capture_on_commit_callbacks,
        full_name="Tran Van Nam",
        email="ke-mao-danh@example.net",
        phone="0912 345 678",
    )
    assert [m.to for m in mail.outbox] == [["nam@example.org"]]
    registration = Registration.objects.get()
    assert registration.person is None and registration.email == "ke-mao-danh@example.net"


def test_following_the_link_links_the_registration_and_records_the_consent(
    client, workshop, huong, django_capture_on_commit_callbacks
):
    submit(client, workshop, django_capture_on_commit_callbacks)
    path = confirmation_path(mail.outbox[0])
    client.cookies.clear()  # the link is opened elsewhere: the mailbox's phone
    # Opening the link only shows a button: mail scanners open links by themselves.
    page = client.get(path)
    assert page.status_code == 200 and "Xác nhận đăng ký" in page.content.decode()
    assert Registration.objects.get().person is None
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path)
    registration = Registration.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/e/ve/{registration.code}/"
    assert registration.person == huong and registration.confirmed_via == "email"
    assert registration.confirmed_at is not None and registration.full_name == "" and registration.email == ""
    consent = Consent.objects.get(person=huong)
    assert consent.method == Consent.Method.ONLINE and consent.given_on == timezone.localdate(registration.confirmed_at)
    entry = AuditEntry.objects.get(action="events.registration_confirm")
    assert entry.changes["person"] == huong.pk and entry.changes["via"] == "email"
    # Now the ticket goes to them, with the personal link.
    assert [m.to for m in mail.outbox] == [["huong@example.org"]] and registration.code in mail.outbox[0].body


def test_a_new_person_reaches_the_directory_only_once_their_address_answers(
    client, workshop, django_capture_on_commit_callbacks
):
    submit(client, workshop, django_capture_on_commit_callbacks, full_name="Lê Văn Bình", email="binh@example.org")
    assert not Person.objects.exists() and not Consent.objects.exists()
    assert [m.to for m in mail.outbox] == [["binh@example.org"]]
    client.post(confirmation_path(mail.outbox[0]))
    person = Person.objects.get()
    assert person.full_name == "Lê Văn Bình" and person.phone == "0912 000 111"
    assert Registration.objects.get().person == person and Consent.objects.filter(person=person).exists()


def test_forged_altered_expired_and_used_links_say_what_to_do(
    client, workshop, huong, monkeypatch, django_capture_on_commit_callbacks
):
    submit(client, workshop, django_capture_on_commit_callbacks)
    registration = Registration.objects.get()
    forged = signing.dumps({"r": registration.pk, "p": huong.pk, "e": "huong@example.org"}, salt="not-ours")
    for token in (forged, confirmation_token_for(registration)[:-3] + "abc", "rac", "a" * 600):
        response = client.post(f"/e/xac-nhan/{token}/")
        assert response.status_code == 400 and "không đúng" in response.content.decode()
    with monkeypatch.context() as m:
        m.setattr(time, "time", lambda: 1_000_000_000.0)  # the link was sent long ago
        expired = confirmation_token_for(registration)
    response = client.post(f"/e/xac-nhan/{expired}/")
    assert response.status_code == 400 and "đã hết hạn" in response.content.decode()
    assert Registration.objects.get().person is None and not Consent.objects.exists()
    path = confirmation_path(mail.outbox[0])
    assert client.post(path).status_code == 302
    used = client.post(path)
    html = used.content.decode()
    assert used.status_code == 400 and "chỉ dùng được một lần" in html and f"/e/ve/{registration.code}/" in html
    assert Consent.objects.filter(person=huong).count() == 1


def test_a_link_for_a_record_whose_address_changed_confirms_nothing(
    client, workshop, huong, staff_admin, django_capture_on_commit_callbacks
):
    submit(client, workshop, django_capture_on_commit_callbacks)
    path = confirmation_path(mail.outbox[0])
    huong.email = "huong.moi@example.org"
    huong.save()
    response = client.post(path)
    assert response.status_code == 400 and "liên hệ ban tổ chức" in response.content.decode()
    assert Registration.objects.get().person is None


def test_registering_twice_before_confirming_gives_the_first_registration(
    client, workshop, huong, django_capture_on_commit_callbacks
):
    first = submit(client, workshop, django_capture_on_commit_callbacks)
    again = submit(client, workshop, django_capture_on_commit_callbacks, full_name="nguyen thi huong")
    assert again["Location"] == first["Location"] and Registration.objects.count() == 1
    client.cookies.clear()
    elsewhere = submit(client, workshop, django_capture_on_commit_callbacks)
    assert elsewhere.status_code == 200 and "đã đăng ký hội thảo này từ trước" in elsewhere.content.decode()
    assert [m.to for m in mail.outbox] == [["huong@example.org"]] and "/e/xac-nhan/" in mail.outbox[0].body


def test_a_confirmation_for_someone_already_registered_keeps_their_registration(workshop, huong, coordinator):
    waiting, _ = register(workshop, "Nguyễn Thị Hường", email="huong@example.org", confirm=False)
    mine, _ = services.registration_submit(
        actor=coordinator, workshop=workshop, full_name="Nguyễn Thị Hường", email="huong@example.org", consent=True
    )
    assert mine.person == huong
    kept = services.registration_confirm(token=confirmation_token_for(waiting))
    waiting.refresh_from_db()
    assert kept == mine and waiting.status == "cancelled" and waiting.person is None


def test_a_signed_in_user_with_the_address_on_record_needs_no_e_mail(
    client_for, make_user, workshop, huong, django_capture_on_commit_callbacks
):
    client = client_for(make_user("huong", email="Huong@Example.org"))
    submit(client, workshop, django_capture_on_commit_callbacks)
    registration = Registration.objects.get()
    assert registration.person == huong and registration.confirmed_via == "account"
    assert registration.code in mail.outbox[0].body  # the ticket, straight away


def test_a_signed_in_outsider_is_treated_as_the_public(
    client_for, outsider, other_coordinator, workshop, huong, django_capture_on_commit_callbacks
):
    for user in (outsider, other_coordinator):
        client = client_for(user)
        submit(client, workshop, django_capture_on_commit_callbacks)
    assert Registration.objects.get().person is None and not Consent.objects.filter(person=huong).exists()


def test_the_coordinator_sees_unconfirmed_registrations_and_links_them_at_the_door(
    client_for, coordinator, other_coordinator, outsider, prog, workshop, huong, django_capture_on_commit_callbacks
):
    registration, _ = register(workshop, "Nguyễn Thị Hường", email="huong@example.org", confirm=False)
    client = client_for(coordinator)
    detail = client.get(f"/programmes/{prog.code}/events/{workshop.pk}/").content.decode()
    assert "Nguyễn Thị Hường" in detail and "chưa xác nhận" in detail
    found = client.get(f"/programmes/{prog.code}/events/{workshop.pk}/checkin/", {"q": "huong"}).content.decode()
    assert "chưa xác nhận: kiểm tra giấy tờ" in found
    for stranger in (outsider, other_coordinator):
        with pytest.raises(PermissionDenied):
            services.registration_check_in(actor=stranger, workshop=workshop, registration=registration)
    assert Registration.objects.get().person is None
    payload = services.checkin_payload(registration)
    # The workshop is in 2037: checking in before its day is confirmed on the page first.
    client.post(f"/programmes/{prog.code}/events/{workshop.pk}/checkin/", {"action": "confirm_early", "confirm": "1"})
    response = client.post(
        f"/programmes/{prog.code}/events/{workshop.pk}/checkin/", {"action": "code", "payload": payload}
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.person == huong and registration.confirmed_via == "door" and registration.status == "attended"
    assert Consent.objects.filter(person=huong).count() == 1


def test_the_confirmation_e_mail_expires_in_days_it_names(workshop, huong, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        register(workshop, "Nguyễn Thị Hường", email="huong@example.org", confirm=False)
    assert f"trong {services.CONFIRM_MAX_AGE.days} ngày" in mail.outbox[0].body
    assert services.CONFIRM_MAX_AGE.days <= 14


def test_erasing_a_person_blanks_what_was_typed_with_their_details(workshop, huong, coordinator, staff_admin):
    from ketnoi.directory.services import person_erase

    waiting, _ = register(workshop, "Nguyễn Thị Hường", email="HUONG@example.org", confirm=False)
    other, _ = register(workshop, "Lê Văn Bình", confirm=False)
    person_erase(actor=staff_admin, person=huong)
    waiting.refresh_from_db()
    other.refresh_from_db()
    assert waiting.full_name == waiting.email == waiting.phone == "" and waiting.status == "confirmed"
    assert other.full_name == "Lê Văn Bình"
    assert all("Hường" not in e.object_repr for e in AuditEntry.objects.filter(object_id=str(waiting.pk)))


def test_the_public_page_cannot_flood_someone_s_inbox(
    client, coordinator, prog, huong, django_capture_on_commit_callbacks
):
    sent = 0
    for n in range(6):
        other = make_workshop(coordinator, prog, capacity=5, title=f"Hội thảo {n}")
        submit(client, other, django_capture_on_commit_callbacks)
        sent += len(mail.outbox)
    assert sent == CONFIRM_MAILS_PER_ADDRESS_PER_DAY
    assert Registration.objects.filter(person__isnull=True, email="huong@example.org").count() == 6


def test_a_link_to_a_typed_address_never_links_someone_added_since_with_another_address(
    client, workshop, staff_admin, django_capture_on_commit_callbacks
):
    """Nobody was on record when the link went to the typed address; the person the details
    name was added since, with their own address: the typed address's owner confirms nothing of theirs."""
    submit(client, workshop, django_capture_on_commit_callbacks, full_name="Lê Văn Bình", email="ke-gian@example.org")
    binh = person_create(actor=staff_admin, full_name="Lê Văn Bình", email="binh@example.org", phone="0912 000 111")
    response = client.post(confirmation_path(mail.outbox[0]))
    assert response.status_code == 400 and "liên hệ ban tổ chức" in response.content.decode()
    assert Registration.objects.get().person is None
    assert not Consent.objects.filter(person=binh).exists()
    binh.refresh_from_db()
    assert binh.position == ""  # the typed details completed nothing on the record


def test_one_address_cannot_fill_a_workshop_with_unconfirmed_registrations(coordinator, prog):
    from ketnoi.events.views_register import REGISTRATIONS_PER_ADDRESS_PER_HOUR

    workshop = make_workshop(coordinator, prog, capacity=100)
    script = Client(REMOTE_ADDR="203.0.113.9")
    answers = [
        script.post(f"/e/w/{workshop.pk}/", form(full_name=f"Người số {n}", email=f"n{n}@example.org", phone=""))
        for n in range(REGISTRATIONS_PER_ADDRESS_PER_HOUR + 3)
    ]
    assert [a.status_code for a in answers[:REGISTRATIONS_PER_ADDRESS_PER_HOUR]] == [
        302
    ] * REGISTRATIONS_PER_ADDRESS_PER_HOUR
    refused = answers[-1]
    assert refused.status_code == 429 and "quá nhiều đăng ký" in refused.content.decode()
    assert Registration.objects.filter(workshop=workshop).count() == REGISTRATIONS_PER_ADDRESS_PER_HOUR
    # Another network is not held back.
    other = Client(REMOTE_ADDR="198.51.100.4").post(f"/e/w/{workshop.pk}/", form(email="khac@example.org", phone=""))
    assert other.status_code == 302
