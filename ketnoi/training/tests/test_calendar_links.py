"""Private calendar links to a class's and a lecturer's teaching sessions (/cal/<key>.ics): read
without a cookie as the link's owner, with the class pages' checks at each fetch."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from ketnoi.core.models import CalendarFeedToken
from ketnoi.programmes.models import ProgrammeRole
from ketnoi.training.models import SessionLecturer

from .factories import record

pytestmark = pytest.mark.django_db
KEY = re.compile(r"https://ketnoi\.example\.org/cal/(kc_[A-Za-z0-9_-]+)\.ics")


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = "https://ketnoi.example.org"
    cache.clear()


@pytest.fixture
def session(lecturer, klass, lead):
    return record(lecturer, klass, lecturers=[(lead, SessionLecturer.Role.LEAD)])


def subscribe(feed: str) -> str:
    return f"/cal/subscribe/?feed={feed}"


def make_link(client, feed: str) -> str:
    response = client.post(subscribe(feed), {"create": "1"})
    assert response.status_code == 200
    (key,) = set(KEY.findall(response.content.decode()))
    return f"/cal/{key}.ics"


def sessions_in(response) -> list:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content).walk("VEVENT")


def test_class_and_lecturer_links_work_without_a_cookie(client_for, viewer, prog, klass, session, lead):
    client = client_for(viewer)
    class_link = make_link(client, f"training.class:{klass.pk}")
    lecturer_link = make_link(client, f"training.lecturer:{prog.pk}-{lead.pk}")
    app = Client()
    (event,) = sessions_in(app.get(class_link))
    assert str(event["uid"]).startswith(f"teaching-session-{session.pk}@") and "HN01" in str(event["summary"])
    assert len(sessions_in(app.get(lecturer_link))) == 1


def test_the_class_page_offers_the_subscriptions(client_for, viewer, prog, klass, session, lead):
    page = client_for(viewer).get(reverse("training:class_detail", args=[prog.code, klass.pk])).content.decode()
    assert subscribe(f"training.class:{klass.pk}") in page
    assert subscribe(f"training.lecturer:{prog.pk}-{lead.pk}") in page


def test_a_link_stops_when_the_owner_loses_the_role(client_for, viewer, prog, klass, session):
    link = make_link(client_for(viewer), f"training.class:{klass.pk}")
    ProgrammeRole.objects.filter(user=viewer, programme=prog).delete()
    response = Client().get(link)
    assert response.status_code == 404 and b"VEVENT" not in response.content


def test_no_link_to_another_programme_s_class_or_lecturer(
    client_for, prog, klass, session, lead, other_coordinator, outsider, co_teacher, viewer
):
    for user in (other_coordinator, outsider):
        client = client_for(user)
        for feed in (f"training.class:{klass.pk}", f"training.lecturer:{prog.pk}-{lead.pk}"):
            assert client.get(subscribe(feed)).status_code == 404, (user, feed)
            assert client.post(subscribe(feed), {"create": "1"}).status_code == 404, (user, feed)
    # A member of the programme, but a person who teaches nothing in it, or garbage.
    client = client_for(viewer)
    for feed in (f"training.lecturer:{prog.pk}-{co_teacher.pk}", "training.lecturer:1", "training.lecturer:x-y"):
        assert client.post(subscribe(feed), {"create": "1"}).status_code == 404, feed
    assert not CalendarFeedToken.objects.exists()
