"""iCalendar feeds: the public workshops at /e/lich.ics and a programme's workshops for its
members; read back with the icalendar library (times in UTC, stable UIDs, location, link)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from ketnoi.directory.models import Province
from ketnoi.events import services
from ketnoi.events.models import Workshop

from .factories import make_workshop

pytestmark = pytest.mark.django_db
PROGRAMME_FEED = "/programmes/{code}/events/calendar.ics"


def events_of(response) -> dict[str, dict]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


@pytest.fixture
def can_tho():
    return Province.objects.get(scheme=Province.Scheme.CURRENT, short_name="Cần Thơ")


@pytest.fixture
def workshops(coordinator, prog, can_tho):
    return {
        "public": make_workshop(
            coordinator, prog, title="Công khai", venue="Khách sạn Ninh Kiều", province=can_tho, description="Mô tả"
        ),
        "invited": make_workshop(
            coordinator, prog, title="Theo thư mời", registration=Workshop.Registration.INVITATION
        ),
        "old": make_workshop(
            coordinator,
            prog,
            title="Đã xa",
            starts_at=timezone.now() - timedelta(days=400),
            ends_at=timezone.now() - timedelta(days=400) + timedelta(hours=3),
        ),
    }


def test_the_public_feed_has_public_workshops_in_utc_with_place_and_link(client, workshops, settings):
    settings.SITE_URL = "https://ketnoi.example.org"
    events = events_of(client.get("/e/lich.ics"))
    assert set(events) == {"Công khai"}
    event = events["Công khai"]
    public = workshops["public"]
    # 08:00 in Ho Chi Minh City is 01:00 UTC.
    assert event.decoded("DTSTART") == datetime(2037, 12, 10, 1, 0, tzinfo=UTC)
    assert "DTSTART:20371210T010000Z" in client.get("/e/lich.ics").content.decode()
    assert event.decoded("DTEND") == datetime(2037, 12, 10, 9, 0, tzinfo=UTC)
    assert str(event["UID"]) == f"workshop-{public.pk}@ketnoi.example.org"
    assert str(event["LOCATION"]) == "Khách sạn Ninh Kiều, Thành phố Cần Thơ"
    assert str(event["URL"]) == f"https://ketnoi.example.org/e/w/{public.pk}/"
    assert str(event["DESCRIPTION"]) == "Mô tả"


def test_the_uid_stays_when_the_workshop_moves(client, coordinator, workshops):
    before = str(events_of(client.get("/e/lich.ics"))["Công khai"]["UID"])
    public = workshops["public"]
    services.workshop_update(
        actor=coordinator,
        workshop=public,
        starts_at=public.starts_at + timedelta(days=1),
        ends_at=public.ends_at + timedelta(days=1),
    )
    event = events_of(client.get("/e/lich.ics"))["Công khai"]
    assert str(event["UID"]) == before and event.decoded("DTSTART").day == 11


def test_the_programme_feed_is_for_its_members(client_for, client, prog, workshops, lecturer, outsider, other_prog):
    url = PROGRAMME_FEED.format(code=prog.code)
    events = events_of(client_for(lecturer).get(url))
    assert set(events) == {"Công khai", "Theo thư mời"}
    assert "URL" not in events["Theo thư mời"]  # no public page to link to
    assert client_for(outsider).get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
    assert client_for(outsider).get(PROGRAMME_FEED.format(code="khong-co")).status_code == 404


def test_the_programme_feed_is_404_for_another_programme_s_coordinator(client_for, prog, workshops, other_coordinator):
    assert client_for(other_coordinator).get(PROGRAMME_FEED.format(code=prog.code)).status_code == 404


def test_the_feeds_read_a_fixed_number_of_queries(client, client_for, coordinator, prog, django_assert_max_num_queries):
    for n in range(3):
        make_workshop(coordinator, prog, title=f"Hội thảo {n}")
    client_for(coordinator)
    with django_assert_max_num_queries(8) as few:
        client.get(PROGRAMME_FEED.format(code=prog.code))
    for n in range(3, 15):
        make_workshop(coordinator, prog, title=f"Hội thảo {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        events = events_of(client.get(PROGRAMME_FEED.format(code=prog.code)))
    assert len(events) == 15
    with django_assert_max_num_queries(3):
        assert len(events_of(client.get("/e/lich.ics"))) == 15
