"""The short check-in code (issue 13): printed on the ticket, the e-mail and the sign-in sheet,
typed at the door in any case and spacing; unique within a workshop, drawn again on a
collision, given to the registrations made before it existed; wrong guesses limited."""

import importlib
from io import BytesIO

import pypdf
import pytest
from django.apps import apps
from django.core import mail
from django.core.exceptions import PermissionDenied

from ketnoi.events import models, services
from ketnoi.events.models import CHECKIN_ALPHABET, Registration

from .factories import make_workshop, make_workshop_today, register

pytestmark = pytest.mark.django_db
LOOK_ALIKES = set("0O1IL5S2Z8B")


@pytest.fixture
def workshop(coordinator, prog):
    return make_workshop_today(coordinator, prog)


def page_url(workshop, suffix="checkin/") -> str:
    return f"/programmes/{workshop.programme.code}/events/{workshop.pk}/{suffix}"


def type_code(client, workshop, typed: str):
    return client.post(page_url(workshop), {"action": "code", "payload": typed}, follow=True)


# The code itself --------------------------------------------------------------------------------


def test_every_registration_gets_six_signs_without_look_alikes(workshop, coordinator):
    people = [register(workshop, f"Người {n}")[0] for n in range(30)]
    walk_in = services.registration_walk_in(actor=coordinator, workshop=workshop, full_name="Tại Chỗ", consent=True)
    codes = [r.checkin_code for r in [*people, walk_in]]
    assert all(len(code) == 6 and set(code) <= set(CHECKIN_ALPHABET) for code in codes)
    assert not set("".join(codes)) & LOOK_ALIKES and not LOOK_ALIKES & set(CHECKIN_ALPHABET)
    assert len(set(codes)) == len(codes)
    assert people[0].checkin_code_display == f"{people[0].checkin_code[:3]}-{people[0].checkin_code[3:]}"


def test_a_code_already_held_in_the_workshop_is_drawn_again(workshop, coordinator, prog, monkeypatch):
    """The field's default drew "AAAAAA" twice: the second registration draws again, and again
    while the draw is still taken."""
    first = Registration.objects.create(workshop=workshop, status="confirmed", full_name="Một", checkin_code="AAAAAA")
    draws = iter(["AAAAAA", "CCCCCC"])
    monkeypatch.setattr(models, "new_checkin_code", lambda: next(draws))
    second = Registration.objects.create(workshop=workshop, status="confirmed", full_name="Hai", checkin_code="AAAAAA")
    assert (first.checkin_code, second.checkin_code) == ("AAAAAA", "CCCCCC")
    # Unique within a workshop only: another workshop's registration may hold the same code.
    other = make_workshop(coordinator, prog, title="Hội thảo khác")
    third = Registration.objects.create(workshop=other, status="confirmed", full_name="Ba", checkin_code="AAAAAA")
    assert third.checkin_code == "AAAAAA"


def test_the_constraint_refuses_two_equal_codes_in_one_workshop(workshop):
    from django.db import IntegrityError, transaction

    first, _ = register(workshop, "Một")
    second, _ = register(workshop, "Hai")
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.filter(pk=second.pk).update(checkin_code=first.checkin_code)


def test_the_migration_gives_each_existing_registration_its_own_code(workshop, coordinator, prog):
    migration = importlib.import_module("ketnoi.events.migrations.0005_registration_checkin_code_workshop_language")
    other = make_workshop(coordinator, prog, title="Hội thảo khác")
    rows = [register(workshop, f"Người {n}")[0] for n in range(12)] + [register(other, "Khác")[0]]
    for n, row in enumerate(rows):  # what AddField leaves: not codes of the alphabet
        Registration.objects.filter(pk=row.pk).update(checkin_code=f"OLD{n:03d}")
    migration.backfill_checkin_codes(apps, None)
    codes = dict(Registration.objects.values_list("pk", "checkin_code"))
    assert all(len(code) == 6 and set(code) <= set(CHECKIN_ALPHABET) for code in codes.values())
    assert len({codes[row.pk] for row in rows[:12]}) == 12


# Check-in by the typed code ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "typing",
    [
        lambda code: code.lower(),
        lambda code: f"  {code[:3].lower()} {code[3:]} ",
        lambda code: f"{code[:3]}-{code[3:]}",
        lambda code: " ".join(code.lower()),
        # A phone keyboard in a full-width (CJK) mode, a code pasted with a zero-width space or
        # a non-breaking hyphen: the same signs, refused before and counted as wrong guesses.
        lambda code: "".join(chr(ord(c) + 0xFEE0) for c in code[:3]) + "－" + code[3:].lower(),
        lambda code: f"{code[:3]}\u200b{code[3:]}",
        lambda code: f"{code[:3]}\u2011{code[3:]}",
    ],
    ids=["lower", "spaces", "hyphen", "every-sign-apart", "full-width", "zero-width-space", "non-breaking-hyphen"],
)
def test_the_short_code_checks_in_whatever_the_case_and_spacing(workshop, lecturer, typing):
    registration, _ = register(workshop, "Nguyễn Thị Lan")
    checked, first_time = services.registration_check_in(
        actor=lecturer, workshop=workshop, payload=typing(registration.checkin_code)
    )
    assert first_time and checked.pk == registration.pk and checked.status == "attended"


def test_the_ticket_link_and_its_token_still_check_in(workshop, coordinator):
    an, _ = register(workshop, "An")
    binh, _ = register(workshop, "Bình")
    services.registration_check_in(actor=coordinator, workshop=workshop, payload=f"https://example.org/e/ve/{an.code}/")
    services.registration_check_in(actor=coordinator, workshop=workshop, payload=binh.code)
    assert set(Registration.objects.filter(status="attended").values_list("pk", flat=True)) == {an.pk, binh.pk}


def test_a_code_of_another_workshop_or_a_wrong_one_says_what_to_do(workshop, coordinator, prog):
    other = make_workshop_today(coordinator, prog, title="Hội thảo khác")
    elsewhere, _ = register(other, "Lan")
    for typed in (elsewhere.checkin_code, "ACDEFG", "abc", ""):
        if typed == elsewhere.checkin_code and workshop.registrations.filter(checkin_code=typed).exists():
            continue  # one chance in 244 million: the same code in this workshop
        with pytest.raises(services.CheckinRefused) as refused:
            services.registration_check_in(actor=coordinator, workshop=workshop, payload=typed)
        assert "Hãy đọc lại mã điểm danh in trên vé" in refused.value.message
        assert "tìm người tham dự theo tên" in refused.value.message
    assert not Registration.objects.filter(checked_in_at__isnull=False).exists()


@pytest.mark.parametrize("persona", ["viewer", "outsider", "other_coordinator"])
def test_only_the_programme_s_door_may_type_a_code(workshop, request, persona, client_for):
    registration, _ = register(workshop, "Lan")
    with pytest.raises(PermissionDenied):
        services.registration_check_in(
            actor=request.getfixturevalue(persona), workshop=workshop, payload=registration.checkin_code
        )
    response = type_code(client_for(request.getfixturevalue(persona)), workshop, registration.checkin_code.lower())
    assert response.status_code in (403, 404)
    assert Registration.objects.get(pk=registration.pk).checked_in_at is None


def test_the_page_takes_the_code_typed_in_lower_case_with_spaces(workshop, lecturer, client_for):
    registration, _ = register(workshop, "Nguyễn Thị Lan")
    client = client_for(lecturer)
    page = client.get(page_url(workshop)).content.decode()
    assert "6 ký tự" in page and "K7Q-M4X" in page  # the field says what to type
    code = registration.checkin_code.lower()
    response = type_code(client, workshop, f"{code[:3]} {code[3:]}")
    assert "Đã điểm danh: Nguyễn Thị Lan" in response.content.decode()
    assert Registration.objects.get(pk=registration.pk).status == "attended"


def test_wrong_codes_are_limited_per_person_and_workshop(workshop, lecturer, coordinator, client_for):
    from ketnoi.events import views_checkin

    registration, _ = register(workshop, "Lan")
    client = client_for(lecturer)
    wrong = "ACDEFG" if registration.checkin_code != "ACDEFG" else "ACDEFH"
    for _n in range(views_checkin.WRONG_CODES_LIMIT):
        assert "không phải vé của hội thảo này" in type_code(client, workshop, wrong).content.decode()
    blocked = type_code(client, workshop, registration.checkin_code).content.decode()
    assert "nhập sai mã quá nhiều lần" in blocked
    assert Registration.objects.get(pk=registration.pk).checked_in_at is None
    # The QR code and the search by name still work; another person at the door is not blocked.
    scan = client.post(
        page_url(workshop, "checkin/scan/"),
        {"payload": services.checkin_payload(registration)},
        content_type="application/json",
    )
    assert scan.json()["result"] == "checked_in"
    found = client.post(
        page_url(workshop, "checkin/scan/"), {"registration": registration.pk}, content_type="application/json"
    )
    assert found.json()["result"] == "already"
    other, _ = register(workshop, "Bình")
    assert "Đã điểm danh: Bình" in type_code(client_for(coordinator), workshop, other.checkin_code).content.decode()


# Where the code is printed ----------------------------------------------------------------------


def test_the_ticket_and_the_e_mail_show_the_code_grouped(workshop, client, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        registration, _ = register(workshop, "Nguyễn Thị Hường")
    shown = registration.checkin_code_display
    assert len(shown) == 7 and shown[3] == "-"
    assert shown in client.get(f"/e/ve/{registration.code}/").content.decode()
    ticket_mail = [m for m in mail.outbox if registration.code in m.body]
    assert ticket_mail and f"Mã điểm danh của anh/chị: {shown}" in ticket_mail[-1].body


def test_the_e_mail_of_someone_waiting_has_no_code(coordinator, prog, django_capture_on_commit_callbacks):
    full = make_workshop_today(coordinator, prog, capacity=1)
    register(full, "Một")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        waiting, _ = register(full, "Hai")
    assert waiting.status == "waiting"
    assert mail.outbox and all("Mã điểm danh của anh/chị" not in m.body for m in mail.outbox)


def test_the_sign_in_sheet_prints_each_code(workshop, coordinator, client_for):
    people = [register(workshop, name)[0] for name in ("Nguyễn Thị Lan", "Trần Văn Minh")]
    pdf = client_for(coordinator).get(page_url(workshop, "documents/signin.pdf")).content
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(BytesIO(pdf)).pages)
    for person in people:
        assert person.checkin_code_display in text
