"""Private calendar links to a programme's workshops (/cal/<key>.ics): a calendar app fetches
them without a cookie, as the link's owner with the owner's access at that moment; revoked,
unknown or out-of-sight links give no data; only the owner's programmes can be linked."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from ketnoi.core.models import AuditEntry, CalendarFeedToken
from ketnoi.programmes.models import ProgrammeRole

from .factories import make_workshop
from .test_calendar import events_of

pytestmark = pytest.mark.django_db
KEY = re.compile(r"https://ketnoi\.example\.org/cal/(kc_[A-Za-z0-9_-]+)\.ics")


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = "https://ketnoi.example.org"
    cache.clear()  # the fetch counters


@pytest.fixture
def workshops(coordinator, prog):
    return [make_workshop(coordinator, prog, title="Hội thảo mở"), make_workshop(coordinator, prog, title="Họp kín")]


def subscribe_url(programme) -> str:
    return f"/cal/subscribe/?feed=events.programme:{programme.pk}"


def make_link(client, programme) -> str:
    response = client.post(subscribe_url(programme), {"create": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    (key,) = set(KEY.findall(page))
    assert f"webcal://ketnoi.example.org/cal/{key}.ics" in page
    assert "no-store" in response["Cache-Control"]
    return f"/cal/{key}.ics"


def test_a_calendar_app_reads_the_feed_without_a_cookie(client_for, lecturer, prog, workshops):
    link = make_link(client_for(lecturer), prog)
    app = Client()  # no session, no CSRF token: what Google, Outlook or Apple calendars send
    response = app.get(link)
    assert set(events_of(response)) == {"Hội thảo mở", "Họp kín"}
    assert "private" in response["Cache-Control"] and "max-age" in response["Cache-Control"]
    assert "sessionid" not in response.cookies
    assert CalendarFeedToken.objects.get().last_used_at is not None
    assert app.head(link).status_code == 200
    assert app.post(link).status_code == 405


def test_the_workshop_list_offers_the_subscription(client_for, lecturer, prog):
    page = client_for(lecturer).get(f"/programmes/{prog.code}/events/").content.decode()
    assert subscribe_url(prog) in page and "Đăng ký lịch" in page


def test_a_revoked_link_is_gone(client_for, lecturer, prog, workshops):
    client = client_for(lecturer)
    link = make_link(client, prog)
    token = CalendarFeedToken.objects.get()
    page = client.get(subscribe_url(prog)).content.decode()
    assert f"kc_{token.prefix}" in page
    assert client.post(subscribe_url(prog), {"revoke": token.pk}).status_code == 302
    response = Client().get(link)
    assert response.status_code in (404, 410) and b"VEVENT" not in response.content
    assert f"kc_{token.prefix}" not in client.get(subscribe_url(prog)).content.decode()


def test_a_link_stops_showing_data_when_its_owner_loses_the_role(client_for, lecturer, prog, workshops):
    link = make_link(client_for(lecturer), prog)
    ProgrammeRole.objects.filter(user=lecturer, programme=prog).delete()
    response = Client().get(link)
    assert response.status_code == 404
    assert b"VEVENT" not in response.content and "Hội thảo".encode() not in response.content


def test_a_link_of_a_deactivated_account_shows_nothing(client_for, lecturer, prog, workshops):
    link = make_link(client_for(lecturer), prog)
    lecturer.is_active = False
    lecturer.save(update_fields=["is_active"])
    assert Client().get(link).status_code == 404


def test_no_link_to_a_programme_out_of_sight(client, client_for, prog, workshops, other_coordinator, outsider):
    for user in (other_coordinator, outsider):
        client = client_for(user)
        assert client.get(subscribe_url(prog)).status_code == 404
        assert client.post(subscribe_url(prog), {"create": "1"}).status_code == 404
    assert not CalendarFeedToken.objects.exists()
    client.logout()
    assert client.get(subscribe_url(prog)).status_code == 302  # to the login page


def test_someone_else_s_link_cannot_be_revoked(client_for, lecturer, coordinator, prog, workshops):
    make_link(client_for(lecturer), prog)
    token = CalendarFeedToken.objects.get()
    assert client_for(coordinator).post(subscribe_url(prog), {"revoke": token.pk}).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize(
    "path",
    [
        "/cal/kc_.ics",
        "/cal/kc_guessed-0123456789abcdefghijklmnopqrstuvwxyzABCDEFG.ics",
        "/cal/nothing.ics",
        "/cal/kc_%00%FF.ics",
        "/cal/kc_%F0%9F%98%80%ED%A0%80.ics",
        "/cal/" + "kc_" + "a" * 5000 + ".ics",
        "/cal/kc_' OR 1=1 --.ics",
    ],
)
def test_a_guessed_or_garbage_link_is_404(client, path):
    # A NUL in the address is refused before any view (core.middleware.RefuseNulCharacters).
    expected = 400 if "%00" in path else 404
    assert Client(raise_request_exception=False).get(path).status_code == expected


@pytest.mark.parametrize("feed", ["events.programme:abc", "events.programme:", "events.programme:-1", "nothing:1", ":"])
def test_a_garbage_subscribe_address_is_404(client_for, coordinator, feed):
    assert client_for(coordinator).get(f"/cal/subscribe/?feed={feed}").status_code == 404


def test_the_audit_has_create_and_revoke_but_never_the_key(client_for, lecturer, prog, workshops):
    client = client_for(lecturer)
    link = make_link(client, prog)
    key = link.removeprefix("/cal/").removesuffix(".ics")
    token = CalendarFeedToken.objects.get()
    client.post(subscribe_url(prog), {"revoke": token.pk})
    entries = list(AuditEntry.objects.filter(action__startswith="core.calendar_link"))
    assert sorted(e.action for e in entries) == ["core.calendar_link_create", "core.calendar_link_revoke"]
    assert all(e.actor == lecturer and e.changes == {"feed": f"events.programme:{prog.pk}"} for e in entries)
    for entry in AuditEntry.objects.all():
        assert key not in f"{entry.object_repr} {entry.changes} {entry.object_id}"
        assert key[3:20] not in f"{entry.object_repr} {entry.changes}"
    assert key not in str(token) and token.key_hash != key
