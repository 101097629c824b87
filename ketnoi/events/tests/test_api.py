"""GET /api/v1/events/programmes/{code}/workshops…: every endpoint tried by every persona (any
role reads workshops; registrations are for coordinators, 403 for other roles; no role 404; no
token 401), what they return, and query counts that do not grow with the number of rows."""

import pytest

from ketnoi.directory.models import OrganisationType, Province
from ketnoi.directory.services import organisation_create
from ketnoi.events import services
from ketnoi.events.models import AgendaItem, DiscussionQuestion, Workshop

from .factories import make_workshop, register

pytestmark = pytest.mark.django_db
PREFIX = "/api/v1/events"


@pytest.fixture
def api_client(api_client_under):
    return api_client_under(PREFIX)


@pytest.fixture
def workshop(coordinator, prog, staff_admin):
    msd = organisation_create(actor=staff_admin, name="Trung tâm MSD", short_name="MSD", type=OrganisationType.CSO)
    hanoi = Province.objects.get(scheme=Province.Scheme.CURRENT, short_name="Hà Nội")
    workshop = make_workshop(coordinator, prog, capacity=2, province=hanoi, venue="Hội trường", organisers=[msd])
    AgendaItem.objects.create(workshop=workshop, starts_at="08:00", title="Khai mạc")
    DiscussionQuestion.objects.create(workshop=workshop, text="Câu hỏi?", conclusions="Kết luận.")
    an, _ = register(workshop, "An", organisation=msd)
    cancelled, _ = register(workshop, "Bình")
    register(workshop, "Chi")
    register(workshop, "Dũng")
    services.registration_cancel(actor=None, registration=cancelled)  # Chi moves up, Dũng waits
    services.registration_check_in(actor=coordinator, workshop=workshop, registration=an, confirm_early=True)
    return workshop


READS = {
    "/programmes/{code}/workshops": "any",
    "/programmes/{code}/workshops/{pk}": "any",
    "/programmes/{code}/workshops/{pk}/registrations": "coordinator",
}
PERSONAS = ["coordinator", "lecturer", "reviewer", "viewer", "staff_admin", "learner", "outsider", "other_coordinator"]


def expected_status(persona: str, who: str) -> int:
    if persona in ("learner", "outsider", "other_coordinator"):
        return 404
    if who == "coordinator" and persona not in ("coordinator", "staff_admin"):
        return 403
    return 200


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("path", "who"), READS.items())
def test_access_matrix(request, api_client, prog, workshop, persona, path, who):
    response = api_client(request.getfixturevalue(persona))("get", path.format(code=prog.code, pk=workshop.pk))
    expected = expected_status(persona, who)
    assert response.status_code == expected, response.content
    if expected != 200:
        assert "detail" in response.json() and "example.org" not in response.content.decode()


@pytest.mark.parametrize("path", READS)
def test_no_token_is_401(client, prog, workshop, path):
    assert client.get(PREFIX + path.format(code=prog.code, pk=workshop.pk)).status_code == 401


def test_the_list_and_the_detail(api_client, coordinator, prog, workshop, settings):
    settings.SITE_URL = "https://ketnoi.example.org"
    call = api_client(coordinator)
    body = call("get", f"/programmes/{prog.code}/workshops").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["id"] == workshop.pk and item["kind"] == "connecting" and item["province"] == "01"
    assert (item["registered"], item["places_taken"], item["attended"]) == (3, 2, 1)
    assert item["registration_url"] == f"https://ketnoi.example.org/e/w/{workshop.pk}/"
    assert item["starts_at"] == "2037-12-10T01:00:00Z"
    detail = call("get", f"/programmes/{prog.code}/workshops/{workshop.pk}").json()
    assert detail["counts"] == {"pending": 0, "confirmed": 1, "waiting": 1, "cancelled": 1, "attended": 1}
    assert [o["name"] for o in detail["organisers"]] == ["Trung tâm MSD"] and detail["partners"] == []
    assert detail["agenda"] == [{"starts_at": "08:00:00+07:00", "title": "Khai mạc", "speakers": ""}]
    assert detail["questions"] == [{"position": 0, "text": "Câu hỏi?", "conclusions": "Kết luận."}]
    assert call("get", f"/programmes/{prog.code}/workshops/999999").status_code == 404
    assert call("get", f"/programmes/{prog.code}/workshops/abc").status_code in (404, 422)


def test_the_registrations(api_client, coordinator, prog, workshop):
    body = api_client(coordinator)("get", f"/programmes/{prog.code}/workshops/{workshop.pk}/registrations").json()
    assert [(r["full_name"], r["status"]) for r in body["items"]] == [
        ("An", "attended"),
        ("Bình", "cancelled"),
        ("Chi", "confirmed"),
        ("Dũng", "waiting"),
    ]
    first = body["items"][0]
    assert first["organisation"]["name"] == "Trung tâm MSD" and first["checked_in_at"] and first["email"]
    assert "code" not in first  # the ticket's key never leaves the pages it belongs to


def test_a_workshop_of_another_programme_is_not_found(api_client, coordinator, prog, other_prog, other_coordinator):
    foreign = make_workshop(other_coordinator, other_prog)
    call = api_client(coordinator)
    assert call("get", f"/programmes/{prog.code}/workshops/{foreign.pk}").status_code == 404
    assert call("get", f"/programmes/{prog.code}/workshops/{foreign.pk}/registrations").status_code == 404


def test_bad_paging_is_a_clear_error(api_client, coordinator, prog, workshop):
    response = api_client(coordinator)("get", f"/programmes/{prog.code}/workshops?limit=-1")
    assert response.status_code == 422


def test_query_counts_do_not_grow(api_client, coordinator, prog, workshop, django_assert_max_num_queries):
    call = api_client(coordinator)
    with django_assert_max_num_queries(20) as first:
        call("get", f"/programmes/{prog.code}/workshops")
    with django_assert_max_num_queries(20) as first_registrations:
        call("get", f"/programmes/{prog.code}/workshops/{workshop.pk}/registrations")
    for n in range(12):
        extra = make_workshop(coordinator, prog, title=f"Hội thảo {n}", registration=Workshop.Registration.PUBLIC)
        register(extra, f"Người {n}")
        register(workshop, f"Người {n}")
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert call("get", f"/programmes/{prog.code}/workshops").json()["count"] == 13
    with django_assert_max_num_queries(len(first_registrations.captured_queries)):
        assert call("get", f"/programmes/{prog.code}/workshops/{workshop.pk}/registrations").json()["count"] == 16
