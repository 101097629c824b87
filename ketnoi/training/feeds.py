"""iCalendar feeds (RFC 5545, written by `icalendar`) of teaching sessions: one class's sessions,
one lecturer's sessions in a programme — for the programme's members (the pages check the role).
Times in UTC; a session's UID is built from its id and the site's host, so a subscribed calendar
moves the event when the session moves. Cancelled sessions stay in the feed as CANCELLED, so a
calendar that had them drops them instead of keeping a stale event."""

from collections.abc import Iterable
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import TeachingSession

PRODID = "-//Ket Noi//training//VI"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def session_uid(session: TeachingSession) -> str:
    return f"teaching-session-{session.pk}@{urlsplit(settings.SITE_URL).hostname or 'ketnoi'}"


def _aware(day, moment) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment)).astimezone(UTC)


def _event(session: TeachingSession) -> Event:
    training_class = session.training_class
    event = Event()
    event.add("uid", session_uid(session))
    stamp = (session.updated_at or timezone.now()).astimezone(UTC)
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    event.add("dtstart", _aware(session.date, session.starts_at))
    event.add("dtend", _aware(session.date, session.ends_at))
    title = f"{training_class.code}: {session.topic.title}" if session.topic_id else training_class.code
    event.add("summary", _("%(title)s (%(n)d tiết)") % {"title": title, "n": session.periods})
    event.add("location", training_class.campus.name)
    lecturers = ", ".join(lecturer.person.full_name for lecturer in session.lecturers.all())
    description = f"{training_class.course.name} · {training_class.semester.name}"
    event.add("description", f"{description}\n{lecturers}" if lecturers else description)
    event.add("status", "CANCELLED" if session.status == TeachingSession.Status.CANCELLED else "CONFIRMED")
    return event


def calendar_response(sessions, *, name: str, filename: str) -> HttpResponse:
    sessions = sessions.select_related(
        "training_class__course", "training_class__campus", "training_class__semester", "topic"
    ).prefetch_related("lecturers__person")
    response = HttpResponse(
        calendar_bytes(sessions.order_by("date", "starts_at", "id"), name=name), content_type=CONTENT_TYPE
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def calendar_bytes(sessions: Iterable[TeachingSession], *, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for session in sessions:
        calendar.add_component(_event(session))
    return calendar.to_ical()
