"""iCalendar feeds of teaching sessions: one class's sessions, one lecturer's sessions in a
programme — for the programme's members (the pages check the role). The calendar itself is
written by `ketnoi.core.calendars` (times in UTC, a UID stable while the session moves).
Cancelled sessions stay in the feed as CANCELLED, so a calendar that had them drops them
instead of keeping a stale event.

Both are also served through private links (/cal/<key>.ics), registered as
"training.class:<class id>" and "training.lecturer:<programme id>-<person id>" and built by the
same functions as the logged-in pages, with the link owner's access at each fetch."""

from collections.abc import Iterable
from datetime import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ketnoi.core import calendars
from ketnoi.core.registry import CalendarFeed, register_calendar_feed
from ketnoi.directory.models import Person
from ketnoi.programmes.access import programmes_for
from ketnoi.programmes.models import Programme

from . import access
from .models import SessionLecturer, TeachingSession, TrainingClass

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


def _ordered_bytes(sessions, *, name: str) -> bytes:
    sessions = sessions.select_related(
        "training_class__course", "training_class__campus", "training_class__semester", "topic"
    ).prefetch_related("lecturers__person")
    return calendar_bytes(sessions.order_by("date", "starts_at", "id"), name=name)


def class_calendar(user, programme: Programme, training_class: TrainingClass) -> CalendarFeed:
    """One class's sessions that `user` may see (the caller fetched the class through access)."""
    name = _("Lớp %(code)s – %(course)s") % {"code": training_class.code, "course": training_class.course.name}
    sessions = access.sessions_for(user, programme).filter(training_class=training_class)
    return CalendarFeed(
        name=name,
        content=_ordered_bytes(sessions, name=name),
        page_url=reverse("training:class_detail", args=[programme.code, training_class.pk]),
        filename=f"lop-{training_class.pk}.ics",
    )


def lecturer_calendar(user, programme: Programme, person_pk: int) -> CalendarFeed:
    """One lecturer's sessions in the programme that `user` may see; 404 for a person who never
    taught in it."""
    person = get_object_or_404(
        Person.objects.filter(
            pk=person_pk,
            pk__in=SessionLecturer.objects.filter(session__training_class__course__programme=programme).values(
                "person_id"
            ),
        )
    )
    sessions = access.sessions_for(user, programme).filter(lecturers__person_id=person.pk).distinct()
    name = _("Lịch giảng – %(name)s") % {"name": person.full_name}
    return CalendarFeed(
        name=name,
        content=_ordered_bytes(sessions, name=name),
        page_url=reverse("training:overview", args=[programme.code]),
        filename=f"giang-vien-{person.pk}.ics",
    )


FEED_CLASS = "training.class"
FEED_LECTURER = "training.lecturer"


def linked_class_calendar(user, object_id: str) -> CalendarFeed:
    training_class = get_object_or_404(access.classes_for(user), pk=calendars.object_pk(object_id))
    return class_calendar(user, training_class.course.programme, training_class)


def linked_lecturer_calendar(user, object_id: str) -> CalendarFeed:
    programme_id, dash, person_id = object_id.partition("-")
    if not dash:
        raise Http404("calendar feed")
    programme = get_object_or_404(programmes_for(user), pk=calendars.object_pk(programme_id))
    return lecturer_calendar(user, programme, calendars.object_pk(person_id))


register_calendar_feed(FEED_CLASS, linked_class_calendar)
register_calendar_feed(FEED_LECTURER, linked_lecturer_calendar)
