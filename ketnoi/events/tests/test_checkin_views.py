"""The check-in page and its scan endpoint: a first and a second scan, forged codes, another
workshop's ticket, the waiting list; the same through the plain forms without JavaScript; the
search by a name typed without diacritics; walk-ins with and without consent; who may; bad
input that never becomes a 500; and a page whose query count does not grow with the list."""

import json
from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from ketnoi.core.models import AuditEntry
from ketnoi.core.roles import Role
from ketnoi.directory.models import Consent, Organisation, OrganisationType, Person
from ketnoi.events import services
from ketnoi.events.models import Registration
from ketnoi.programmes.models import ProgrammeRole

from .factories import make_workshop_today, register

pytestmark = pytest.mark.django_db
Status = Registration.Status


@pytest.fixture
def workshop(coordinator, prog):
    return make_workshop_today(coordinator, prog, capacity=3)


def page_url(workshop) -> str:
    return reverse("events:checkin", kwargs={"code": workshop.programme.code, "pk": workshop.pk})


def scan_url(workshop) -> str:
    return reverse("events:checkin_scan", kwargs={"code": workshop.programme.code, "pk": workshop.pk})


def scan(client, workshop, body, **extra):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(scan_url(workshop), data=data, content_type="application/json", **extra)


def at_door(moment: datetime) -> str:
    return timezone.localtime(moment, timezone.get_default_timezone()).strftime("%H:%M")


# The scan endpoint ------------------------------------------------------------------------------


def test_a_first_scan_checks_in_and_a_second_says_when(workshop, lecturer, client_for):
    lan, _ = register(workshop, "Nguyễn Thị Lan")
    register(workshop, "Trần Văn Bình")
    client = client_for(lecturer)
    payload = services.checkin_payload(lan)

    first = scan(client, workshop, {"payload": payload})
    assert first.status_code == 200
    lan.refresh_from_db()
    assert lan.status == Status.ATTENDED and lan.checked_in_by == lecturer
    assert first.json() == {
        "result": "checked_in",
        "message": "Đã điểm danh: Nguyễn Thị Lan",
        "name": "Nguyễn Thị Lan",
        "at": at_door(lan.checked_in_at),
        "present": 1,
        "confirmed": 2,
    }

    second = scan(client, workshop, {"payload": payload}).json()
    assert second["result"] == "already"
    assert second["message"] == f"Nguyễn Thị Lan đã điểm danh lúc {at_door(lan.checked_in_at)}."
    assert (second["present"], second["confirmed"]) == (1, 2)
    assert AuditEntry.objects.filter(action="events.checkin").count() == 1


def test_the_time_is_the_door_s_clock_in_ho_chi_minh_city(workshop, coordinator, client_for, monkeypatch):
    lan, _ = register(workshop, "Lan")
    eight_forty_two = datetime(2037, 12, 10, 1, 42, tzinfo=UTC)  # 08:42 in Asia/Ho_Chi_Minh
    monkeypatch.setattr(timezone, "now", lambda: eight_forty_two)  # django.utils.timezone, as the services read it
    answer = scan(client_for(coordinator), workshop, {"payload": services.checkin_payload(lan)}).json()
    assert answer["at"] == "08:42"
    again = scan(client_for(coordinator), workshop, {"payload": services.checkin_payload(lan)}).json()
    assert again["message"] == "Lan đã điểm danh lúc 08:42."


@pytest.mark.parametrize(
    "tamper",
    [
        lambda p: p + "x",
        lambda p: ("B" if p[0] == "A" else "A") + p[1:],  # always a different first character
        lambda p: p.split(":")[0][:-1],  # the ticket's token, cut short
        lambda p: "https://example.org/not-a-ticket",
    ],
    ids=["appended", "altered", "token-cut", "other-qr"],
)
def test_a_forged_code_is_refused_and_writes_nothing(workshop, coordinator, client_for, tamper):
    lan, _ = register(workshop, "Lan")
    response = scan(client_for(coordinator), workshop, {"payload": tamper(services.checkin_payload(lan))})
    assert response.status_code == 200
    answer = response.json()
    assert answer["result"] == "refused" and answer["name"] == ""
    assert "không phải vé của hội thảo này" in answer["message"]
    lan.refresh_from_db()
    assert lan.checked_in_at is None and lan.status == Status.CONFIRMED


def test_another_workshop_s_ticket_is_refused(workshop, coordinator, prog, client_for):
    other = make_workshop_today(coordinator, prog, title="Toạ đàm khác")
    elsewhere, _ = register(other, "Lan")
    answer = scan(client_for(coordinator), workshop, {"payload": services.checkin_payload(elsewhere)}).json()
    assert answer["result"] == "refused"
    assert "không phải vé của hội thảo này" in answer["message"]
    elsewhere.refresh_from_db()
    assert elsewhere.checked_in_at is None
    # Nor by its id, from a search list of another workshop.
    answer = scan(client_for(coordinator), workshop, {"registration": elsewhere.pk})
    assert answer.status_code == 400 and answer.json()["result"] == "refused"


def test_someone_on_the_waiting_list_is_refused_by_name(workshop, coordinator, client_for):
    for name in ("An", "Bình", "Chi"):
        register(workshop, name)
    dung, _ = register(workshop, "Dũng")
    assert dung.status == Status.WAITING
    answer = scan(client_for(coordinator), workshop, {"payload": services.checkin_payload(dung)}).json()
    assert answer["result"] == "refused" and answer["name"] == "Dũng"
    assert answer["message"] == "Đăng ký của Dũng đang ở trạng thái “Danh sách chờ”: chưa điểm danh được."
    assert (answer["present"], answer["confirmed"]) == (0, 3)
    dung.refresh_from_db()
    assert dung.status == Status.WAITING and dung.checked_in_at is None


def test_the_search_list_checks_in_by_registration(workshop, lecturer, client_for):
    lan, _ = register(workshop, "Lan")
    answer = scan(client_for(lecturer), workshop, {"registration": lan.pk}).json()
    assert answer["result"] == "checked_in" and answer["present"] == 1


@pytest.mark.parametrize(
    "body",
    [
        "{not json",
        b"\xff\xfe",
        "[]",
        "42",
        '"payload"',
        "{}",
        '{"payload": 12}',
        '{"payload": null}',
        '{"payload": "   "}',
        '{"registration": "abc"}',
        '{"registration": true}',
        '{"registration": 999999}',
    ],
)
def test_bad_json_is_a_400_with_a_message_never_a_500(workshop, coordinator, client_for, body):
    response = scan(client_for(coordinator), workshop, body)
    assert response.status_code == 400
    answer = response.json()
    assert answer["result"] == "refused" and answer["message"]


def test_the_endpoint_takes_only_post_and_gives_the_counter_on_get(workshop, coordinator, client_for):
    register(workshop, "Lan")
    client = client_for(coordinator)
    assert client.get(scan_url(workshop)).json() == {"present": 0, "confirmed": 1}
    assert client.put(scan_url(workshop), data="{}", content_type="application/json").status_code == 405


def test_the_endpoint_wants_the_csrf_header(workshop, coordinator, client):
    from django.test import Client

    lan, _ = register(workshop, "Lan")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(coordinator)
    body = {"payload": services.checkin_payload(lan)}
    assert scan(strict, workshop, body).status_code == 403
    page = strict.get(page_url(workshop))
    token = page.cookies["csrftoken"].value
    assert scan(strict, workshop, body, HTTP_X_CSRFTOKEN=token).json()["result"] == "checked_in"


# The page without JavaScript -----------------------------------------------------------------


def test_the_page_shows_the_workshop_the_counter_and_the_three_ways_in(workshop, lecturer, client_for):
    lan, _ = register(workshop, "Lan")
    register(workshop, "Bình")
    services.registration_check_in(actor=lecturer, workshop=workshop, registration=lan)
    response = client_for(lecturer).get(page_url(workshop))
    assert response.status_code == 200
    html = response.content.decode()
    assert workshop.title in html
    assert "đã điểm danh 1 / 2 đã xác nhận" in html
    for anchor in ('id="scan"', 'id="checkin-code"', 'id="search"', 'id="walkin-form"'):
        assert anchor in html
    assert "vendor/jsqr/jsQR" in html and "events/checkin" in html
    assert scan_url(workshop) in html


def test_a_typed_code_without_javascript_comes_back_as_a_message(workshop, coordinator, client_for):
    lan, _ = register(workshop, "Lan")
    client = client_for(coordinator)
    data = {"action": "code", "payload": services.checkin_payload(lan)}
    response = client.post(page_url(workshop), data, follow=True)
    assert response.redirect_chain[-1][0].endswith("#scan")
    assert "Đã điểm danh: Lan" in response.content.decode()
    response = client.post(page_url(workshop), data, follow=True)
    assert "Lan đã điểm danh lúc" in response.content.decode()
    response = client.post(page_url(workshop), {"action": "code", "payload": "rubbish"}, follow=True)
    assert "không phải vé của hội thảo này" in response.content.decode()
    assert client.post(page_url(workshop), {"action": "dance"}).status_code == 400


def test_search_finds_names_typed_without_diacritics(workshop, coordinator, client_for):
    register(workshop, "Nguyễn Thị Lan")
    register(workshop, "Nguyễn Thị Hoa", phone="0912 345 678", email="")
    register(workshop, "Nguyễn Văn Đức")
    register(workshop, "Trần Thị Lan Anh")
    client = client_for(coordinator)

    def found(q: str) -> list[str]:
        response = client.get(page_url(workshop), {"q": q})
        assert response.status_code == 200
        return [r.delegate.full_name for r in response.context["matches"]]

    assert found("nguyen thi") == ["Nguyễn Thị Hoa", "Nguyễn Thị Lan"]
    assert found("NGUYEN THI LAN") == ["Nguyễn Thị Lan"]
    assert found("lan nguyen") == ["Nguyễn Thị Lan"]  # every word, in any order
    assert found("duc") == ["Nguyễn Văn Đức"]  # đ is d
    assert found("Đức") == ["Nguyễn Văn Đức"]
    assert found("345678") == ["Nguyễn Thị Hoa"]  # digits also match the phone
    assert found("lan") == ["Nguyễn Thị Lan", "Trần Thị Lan Anh"]
    assert found("xyz") == []
    assert "Không có ai tên “xyz”" in client.get(page_url(workshop), {"q": "xyz"}).content.decode()


def test_search_lists_status_and_checks_in_with_a_plain_form(workshop, coordinator, client_for):
    lan, _ = register(workshop, "Nguyễn Thị Lan")
    for name in ("An", "Bình"):
        register(workshop, name)
    waiting, _ = register(workshop, "Nguyễn Thị Chờ")
    client = client_for(coordinator)
    html = client.get(page_url(workshop), {"q": "nguyen thi"}).content.decode()
    assert f'id="registration-{lan.pk}"' in html and f'data-registration="{lan.pk}"' in html
    assert "Danh sách chờ" in html and f'data-registration="{waiting.pk}"' not in html  # no button to refuse

    response = client.post(
        page_url(workshop), {"action": "registration", "registration": lan.pk, "q": "nguyen thi"}, follow=True
    )
    assert response.redirect_chain[-1][0].endswith("?q=nguyen+thi#search")
    html = response.content.decode()
    assert "Đã điểm danh: Nguyễn Thị Lan" in html and "đã điểm danh 1 / 3 đã xác nhận" in html
    lan.refresh_from_db()
    assert lan.status == Status.ATTENDED
    assert f'data-registration="{lan.pk}"' not in html  # checked in: no button any more
    response = client.post(page_url(workshop), {"action": "registration", "registration": "x"}, follow=True)
    assert "Không tìm thấy đăng ký này" in response.content.decode()


# Walk-ins --------------------------------------------------------------------------------------


def walk_in(client, workshop, **fields):
    data = {"action": "walkin", "full_name": "Lê Thị Mai", "phone": "0987 654 321", "sex": "female", "consent": "on"}
    data.update(fields)
    return client.post(page_url(workshop), {k: v for k, v in data.items() if v is not None})


def test_a_walk_in_is_registered_checked_in_and_linked_to_an_existing_organisation(workshop, lecturer, client_for):
    centre = Organisation.objects.create(
        name="Trung tâm Hỗ trợ Phát triển", short_name="CSDC", type=OrganisationType.CSO
    )
    client = client_for(lecturer)
    response = walk_in(client, workshop, organisation_name="csdc")
    assert response.status_code == 302 and response.url.endswith("#walkin")
    registration = workshop.registrations.get(person__full_name="Lê Thị Mai")
    assert registration.walk_in and registration.status == Status.ATTENDED and registration.checked_in_by == lecturer
    assert registration.person.organisation == centre and registration.person.sex == "female"
    assert Consent.objects.filter(person=registration.person).count() == 1
    html = client.get(response.url).content.decode()
    assert "Đã đăng ký tại chỗ và điểm danh: Lê Thị Mai" in html
    assert "đã điểm danh 1 / 1 đã xác nhận" in html

    # The same person again: already in, nothing new.
    again = walk_in(client, workshop)
    assert again.status_code == 302
    assert "Lê Thị Mai đã điểm danh lúc" in client.get(again.url).content.decode()
    assert workshop.registrations.count() == 1


def test_an_organisation_not_in_the_directory_is_left_empty_and_said_so(workshop, coordinator, client_for):
    client = client_for(coordinator)
    response = walk_in(client, workshop, organisation_name="Hội chưa có trong danh bạ")
    assert response.status_code == 302
    registration = workshop.registrations.get()
    assert registration.person.organisation is None
    assert "Không tìm thấy đúng một tổ chức “Hội chưa có trong danh bạ”" in client.get(response.url).content.decode()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"consent": None}, "Hãy hỏi và đánh dấu sự đồng ý của người tham dự trước khi lưu thông tin."),
        ({"full_name": "   "}, "Hãy nhập họ và tên."),
        ({"email": "not-an-address"}, None),
    ],
    ids=["without-consent", "without-name", "bad-email"],
)
def test_a_walk_in_refused_shows_why_and_writes_nothing(workshop, coordinator, client_for, fields, message):
    people, consents = Person.objects.count(), Consent.objects.count()
    response = walk_in(client_for(coordinator), workshop, **fields)
    assert response.status_code == 400
    html = response.content.decode()
    assert "errorlist" in html and "<details open>" in html
    if message:
        assert message in html
    assert 'value="Lê Thị Mai"' in html or fields.get("full_name")  # what was typed stays
    assert workshop.registrations.count() == 0
    assert (Person.objects.count(), Consent.objects.count()) == (people, consents)


# Who may ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["coordinator", "lecturer", "reviewer", "staff_admin"])
def test_those_who_report_may_check_people_in(workshop, client_for, request, persona):
    lan, _ = register(workshop, "Lan")
    client = client_for(request.getfixturevalue(persona))
    assert client.get(page_url(workshop)).status_code == 200
    assert scan(client, workshop, {"payload": services.checkin_payload(lan)}).json()["result"] == "checked_in"


def test_a_viewer_gets_a_403_page_and_a_json_refusal(workshop, viewer, client_for):
    lan, _ = register(workshop, "Lan")
    client = client_for(viewer)
    response = client.get(page_url(workshop))
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()
    assert client.post(page_url(workshop), {"action": "code", "payload": "x"}).status_code == 403
    refused = scan(client, workshop, {"payload": services.checkin_payload(lan)})
    assert refused.status_code == 403 and refused.json()["result"] == "refused"
    lan.refresh_from_db()
    assert lan.checked_in_at is None


def test_without_a_role_it_does_not_exist(workshop, outsider, learner, other_prog, make_user, client_for):
    lan, _ = register(workshop, "Lan")
    elsewhere = make_user("other-coordinator")
    ProgrammeRole.objects.create(user=elsewhere, programme=other_prog, role=Role.COORDINATOR)
    for user in (outsider, learner, elsewhere):
        client = client_for(user)
        assert client.get(page_url(workshop)).status_code == 404
        assert scan(client, workshop, {"payload": services.checkin_payload(lan)}).status_code == 404
        # Nor under the other programme's own address.
        url = reverse("events:checkin", kwargs={"code": other_prog.code, "pk": workshop.pk})
        assert client.get(url).status_code == 404
    lan.refresh_from_db()
    assert lan.checked_in_at is None


def test_a_workshop_of_another_programme_is_404_under_this_one(workshop, coordinator, other_prog, client_for):
    coordinator_of_both = coordinator
    ProgrammeRole.objects.create(user=coordinator_of_both, programme=other_prog, role=Role.COORDINATOR)
    url = reverse("events:checkin", kwargs={"code": other_prog.code, "pk": workshop.pk})
    assert client_for(coordinator_of_both).get(url).status_code == 404


def test_anonymous_visitors_go_to_the_login_page(workshop, client):
    for response in (client.get(page_url(workshop)), scan(client, workshop, {"payload": "x"})):
        assert response.status_code == 302 and "/accounts/login/" in response.url


# Cost -----------------------------------------------------------------------------------------


def _registrations(workshop, count: int) -> None:
    """`count` confirmed registrations named Nguyễn …, half with an organisation, some in."""
    organisation = Organisation.objects.create(name="Hội Luật gia", type=OrganisationType.MASS_ORGANISATION)
    people = Person.objects.bulk_create(
        [
            Person(
                full_name=f"Nguyễn Văn Số {n}",
                name_folded=f"nguyen van so {n}",
                email=f"so{n}@example.org",
                organisation=organisation if n % 2 else None,
            )
            for n in range(count)
        ]
    )
    now = timezone.now()
    Registration.objects.bulk_create(
        [
            Registration(
                workshop=workshop,
                person=person,
                status=Status.ATTENDED if n % 3 == 0 else Status.CONFIRMED,
                checked_in_at=now if n % 3 == 0 else None,
            )
            for n, person in enumerate(people)
        ]
    )


@pytest.mark.parametrize("count", [5, 50])
def test_the_page_s_queries_do_not_grow_with_the_registrations(
    coordinator, prog, client_for, django_assert_num_queries, count
):
    workshop = make_workshop_today(coordinator, prog)
    _registrations(workshop, count)
    client = client_for(coordinator)
    client.get(page_url(workshop), {"q": "nguyen van"})  # the session and the language settle
    # session, user, programme, roles, workshop, counter, search, organisations, names typed,
    # and the header's roles anywhere (which main pages the person may open)
    with django_assert_num_queries(10):
        response = client.get(page_url(workshop), {"q": "nguyen van"})
    assert len(response.context["matches"]) == min(count, 25)
    assert response.context["counts"]["confirmed"] == count


def test_the_list_shows_the_door_s_clock_across_midnight_utc(workshop, coordinator, client_for):
    """The door's clock, not UTC: 23:30 on the 9th in UTC is 06:30 on the 10th in Hà Nội."""
    lan, _ = register(workshop, "Lan")
    Registration.objects.filter(pk=lan.pk).update(
        status=Status.ATTENDED, checked_in_at=datetime(2037, 12, 9, 23, 30, tzinfo=UTC)
    )
    html = client_for(coordinator).get(page_url(workshop), {"q": "lan"}).content.decode()
    assert "điểm danh lúc 06:30" in html


def test_nobody_is_checked_in_twice_by_two_doors(workshop, coordinator, lecturer, client_for):
    """Two phones scan the same ticket: one checks in, the other hears when."""
    lan, _ = register(workshop, "Lan")
    payload = {"payload": services.checkin_payload(lan)}
    first = scan(client_for(coordinator), workshop, payload).json()
    second = scan(client_for(lecturer), workshop, payload).json()
    assert [first["result"], second["result"]] == ["checked_in", "already"]
    assert get_user_model().objects.get(pk=Registration.objects.get(pk=lan.pk).checked_in_by_id) == coordinator


def test_a_scan_nested_too_deep_is_a_400_not_a_crash(workshop, lecturer, client_for):
    response = scan(client_for(lecturer), workshop, '{"payload": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert response.status_code == 400
    assert response.json()["result"] == "refused"
