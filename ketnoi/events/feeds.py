"""The workshops' iCalendar feeds: the public workshops at /e/lich.ics, and a programme's
workshops for its members at /programmes/<code>/events/calendar.ics — and, through a private
link, at /cal/<key>.ics (registered as "events.programme:<programme id>", built by the same
`programme_calendar` with the link owner's access). The calendar itself is written by
`ketnoi.core.calendars` (times in UTC, a UID stable while the workshop moves)."""

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ketnoi.core import calendars
from ketnoi.core.registry import CalendarFeed, register_calendar_feed
from ketnoi.programmes.access import programmes_for
from ketnoi.programmes.models import Programme

from . import access
from .models import Workshop

PRODID = "-//Ket Noi//workshops//VI"
# Finished workshops stay in a feed this long, so last month's event does not vanish from a calendar.
KEEP_PAST = timedelta(days=180)


def workshop_uid(workshop: Workshop) -> str:
    return calendars.event_uid("workshop", workshop.pk)


def registration_url(workshop: Workshop) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("events_public:register", args=[workshop.pk])


def _location(workshop: Workshop) -> str:
    return ", ".join(part for part in (workshop.venue, workshop.province.name if workshop.province else "") if part)


def _event(workshop: Workshop) -> calendars.CalendarEvent:
    return calendars.CalendarEvent(
        uid=workshop_uid(workshop),
        stamp=workshop.updated_at or timezone.now(),
        starts_at=workshop.starts_at,
        ends_at=workshop.ends_at,
        summary=workshop.title,
        categories=[str(workshop.get_kind_display())],
        description=workshop.description,
        location=_location(workshop),
        # Only a public workshop has a registration page anyone can open.
        url=registration_url(workshop) if workshop.registration == Workshop.Registration.PUBLIC else "",
    )


def calendar_bytes(workshops: Iterable[Workshop], *, name: str) -> bytes:
    return calendars.calendar_bytes((_event(w) for w in workshops), name=name, prodid=PRODID)


def recent(workshops):
    return (
        workshops.filter(ends_at__gte=timezone.now() - KEEP_PAST).select_related("province").order_by("starts_at", "id")
    )


def calendar_response(workshops: Iterable[Workshop], *, name: str, filename: str) -> HttpResponse:
    return calendars.calendar_response((_event(w) for w in workshops), name=name, prodid=PRODID, filename=filename)


def public_calendar(request: HttpRequest) -> HttpResponse:
    workshops = recent(Workshop.objects.filter(registration=Workshop.Registration.PUBLIC))
    return calendar_response(workshops, name=_("Hội thảo – Kết Nối"), filename="lich.ics")


def programme_calendar(user, programme: Programme) -> CalendarFeed:
    """The programme's recent and coming workshops that `user` may see (the caller has checked
    that they see the programme)."""
    workshops = recent(access.workshops_for(user, programme))
    name = _("Hội thảo – %(programme)s") % {"programme": programme.name}
    return CalendarFeed(
        name=name,
        content=calendar_bytes(workshops, name=name),
        page_url=reverse("events:list", args=[programme.code]),
        filename=f"{programme.code}-hoi-thao.ics",
    )


def linked_programme_calendar(user, object_id: str) -> CalendarFeed:
    """A private link's feed: the programme must be in the owner's sight now (404 otherwise)."""
    programme = get_object_or_404(programmes_for(user), pk=calendars.object_pk(object_id))
    return programme_calendar(user, programme)


FEED_PROGRAMME = "events.programme"
register_calendar_feed(FEED_PROGRAMME, linked_programme_calendar)
