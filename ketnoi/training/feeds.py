"""iCalendar feeds of teaching sessions: one class's sessions, one lecturer's sessions in a
programme — for the programme's members (the pages check the role). The calendar itself is
written by `ketnoi.core.calendars` (times in UTC, a UID stable while the session moves).
Cancelled sessions stay in the feed as CANCELLED, so a calendar that had them drops them
instead of keeping a stale event."""

from collections.abc import Iterable
from datetime import datetime

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from ketnoi.core import calendars

from .models import TeachingSession

PRODID = "-//Ket Noi//training//VI"


def session_uid(session: TeachingSession) -> str:
    return calendars.event_uid("teaching-session", session.pk)


def _aware(day, moment) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment))


def _event(session: TeachingSession) -> calendars.CalendarEvent:
    training_class = session.training_class
    title = f"{training_class.code}: {session.topic.title}" if session.topic_id else training_class.code
    lecturers = ", ".join(lecturer.person.full_name for lecturer in session.lecturers.all())
    description = f"{training_class.course.name} · {training_class.semester.name}"
    return calendars.CalendarEvent(
        uid=session_uid(session),
        stamp=session.updated_at or timezone.now(),
        starts_at=_aware(session.date, session.starts_at),
        ends_at=_aware(session.date, session.ends_at),
        summary=_("%(title)s (%(n)d tiết)") % {"title": title, "n": session.periods},
        location=training_class.campus.name,
        description=f"{description}\n{lecturers}" if lecturers else description,
        status="CANCELLED" if session.status == TeachingSession.Status.CANCELLED else "CONFIRMED",
    )


def calendar_bytes(sessions: Iterable[TeachingSession], *, name: str) -> bytes:
    return calendars.calendar_bytes((_event(s) for s in sessions), name=name, prodid=PRODID)


def calendar_response(sessions, *, name: str, filename: str) -> HttpResponse:
    sessions = sessions.select_related(
        "training_class__course", "training_class__campus", "training_class__semester", "topic"
    ).prefetch_related("lecturers__person")
    return calendars.calendar_response(
        (_event(s) for s in sessions.order_by("date", "starts_at", "id")), name=name, prodid=PRODID, filename=filename
    )
