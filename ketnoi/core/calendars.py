"""iCalendar feeds (RFC 5545, written by the `icalendar` library), for any app: the app turns its
rows into `CalendarEvent`s, this module writes the calendar and the HTTP response.

Times are written in UTC ("…Z"), which every calendar shows in its own time zone. An event's UID
is built from the app's kind of row, its id and the site's host (`event_uid`), so a calendar that
subscribed updates the event in place when the row moves, instead of adding a second one.

(Not "calendar.py": in an app directory that name hides the standard library's `calendar`, which
`email` imports, when a command such as makemessages runs from there.)
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpResponse
from icalendar import Calendar, Event

from .registry import CalendarFeed

CONTENT_TYPE = "text/calendar; charset=utf-8"


@dataclass(frozen=True)
class CalendarEvent:
    """One VEVENT. `stamp` is when the row last changed (DTSTAMP and LAST-MODIFIED); an empty
    description, location or url, or no categories, leaves that property out."""

    uid: str
    starts_at: datetime
    ends_at: datetime
    summary: str
    stamp: datetime
    description: str = ""
    location: str = ""
    url: str = ""
    categories: Sequence[str] = ()
    status: str = "CONFIRMED"


def event_uid(kind: str, pk: object) -> str:
    """`<kind>-<pk>@<the site's host>`: stable for as long as the row lives."""
    return f"{kind}-{pk}@{urlsplit(settings.SITE_URL).hostname or 'ketnoi'}"


def _vevent(item: CalendarEvent) -> Event:
    event = Event()
    event.add("uid", item.uid)
    event.add("dtstamp", item.stamp.astimezone(UTC))
    event.add("last-modified", item.stamp.astimezone(UTC))
    event.add("dtstart", item.starts_at.astimezone(UTC))
    event.add("dtend", item.ends_at.astimezone(UTC))
    event.add("summary", item.summary)
    if item.categories:
        event.add("categories", list(item.categories))
    if item.description:
        event.add("description", item.description)
    if item.location:
        event.add("location", item.location)
    if item.url:
        event.add("url", item.url)
    event.add("status", item.status)
    return event


def calendar_bytes(events: Iterable[CalendarEvent], *, name: str, prodid: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(_vevent(event))
    return calendar.to_ical()


def calendar_response(events: Iterable[CalendarEvent], *, name: str, prodid: str, filename: str) -> HttpResponse:
    response = HttpResponse(calendar_bytes(events, name=name, prodid=prodid), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def feed_response(feed: CalendarFeed) -> HttpResponse:
    """A registered feed (see `core.registry.register_calendar_feed`) as the logged-in page sends it."""
    response = HttpResponse(feed.content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{feed.filename}"'
    return response


def object_pk(object_id: str) -> int:
    """The row id a private calendar link names; Http404 for anything but a plain positive number."""
    if not object_id.isascii() or not object_id.isdigit() or len(object_id) > 12 or int(object_id) == 0:
        raise Http404("calendar feed")
    return int(object_id)
