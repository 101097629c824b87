"""iCalendar feeds (RFC 5545, written by the `icalendar` library): the public workshops at
/e/lich.ics, and a programme's workshops for its members at /programmes/<code>/events/calendar.ics.

Times are written in UTC ("…Z"), which every calendar shows in its own time zone. A workshop's UID
is built from its id and the site's host, so a calendar that subscribed updates the event in
place when the workshop moves, instead of adding a second one.
"""

from collections.abc import Iterable
from datetime import UTC, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import Workshop

PRODID = "-//Ket Noi//workshops//VI"
# Finished workshops stay in a feed this long, so last month's event does not vanish from a calendar.
KEEP_PAST = timedelta(days=180)
CONTENT_TYPE = "text/calendar; charset=utf-8"


def _site() -> str:
    return settings.SITE_URL.rstrip("/")


def workshop_uid(workshop: Workshop) -> str:
    return f"workshop-{workshop.pk}@{urlsplit(_site()).hostname or 'ketnoi'}"


def registration_url(workshop: Workshop) -> str:
    return _site() + reverse("events_public:register", args=[workshop.pk])


def _location(workshop: Workshop) -> str:
    return ", ".join(part for part in (workshop.venue, workshop.province.name if workshop.province else "") if part)


def _event(workshop: Workshop) -> Event:
    event = Event()
    event.add("uid", workshop_uid(workshop))
    event.add("dtstamp", (workshop.updated_at or timezone.now()).astimezone(UTC))
    event.add("last-modified", (workshop.updated_at or timezone.now()).astimezone(UTC))
    event.add("dtstart", workshop.starts_at.astimezone(UTC))
    event.add("dtend", workshop.ends_at.astimezone(UTC))
    event.add("summary", workshop.title)
    event.add("categories", [str(workshop.get_kind_display())])
    if workshop.description:
        event.add("description", workshop.description)
    if location := _location(workshop):
        event.add("location", location)
    if workshop.registration == Workshop.Registration.PUBLIC:
        # Only a public workshop has a registration page anyone can open.
        event.add("url", registration_url(workshop))
    event.add("status", "CONFIRMED")
    return event


def calendar_bytes(workshops: Iterable[Workshop], *, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for workshop in workshops:
        calendar.add_component(_event(workshop))
    return calendar.to_ical()


def recent(workshops):
    return (
        workshops.filter(ends_at__gte=timezone.now() - KEEP_PAST).select_related("province").order_by("starts_at", "id")
    )


def calendar_response(workshops: Iterable[Workshop], *, name: str, filename: str) -> HttpResponse:
    response = HttpResponse(calendar_bytes(workshops, name=name), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def public_calendar(request: HttpRequest) -> HttpResponse:
    workshops = recent(Workshop.objects.filter(registration=Workshop.Registration.PUBLIC))
    return calendar_response(workshops, name=_("Hội thảo – Kết Nối"), filename="lich.ics")
