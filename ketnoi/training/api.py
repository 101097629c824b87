"""/api/v1/training/programmes/{code}/…: a programme's classes with their committed, planned and
delivered periods and one class's sessions, for anyone with a role on the programme; recording a
session (POST) for coordinators and lecturers (403 for other roles). Someone without a role gets
404: the programme does not exist for them. A refused session is a 400 with the reason per field,
and nothing is written."""

from datetime import date

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from ketnoi.core.api_pagination import paginated
from ketnoi.core.api_types import DatabaseId, LocalTime
from ketnoi.directory.models import Person
from ketnoi.programmes import access as programme_access

from . import access, queries, services
from .models import SessionLecturer, TeachingSession, Topic

router = Router(tags=["training"])
MAX_LIMIT = 200


class ClassOut(Schema):
    id: int
    code: str
    course: str = Field(..., alias="course.name")
    campus: str = Field(..., alias="campus.name")
    semester: str = Field(..., alias="semester.name")
    semester_starts_on: date = Field(..., alias="semester.starts_on")
    semester_ends_on: date = Field(..., alias="semester.ends_on")
    learners: int = Field(..., description="learners enrolled")
    committed: int | None = Field(..., description="periods the commitment promises; null without one")
    planned: int = Field(..., description="periods of sessions still planned")
    delivered: int = Field(..., description="periods of delivered sessions")
    sessions_held: int


class LecturerOut(Schema):
    person_id: int
    full_name: str = Field(..., alias="person.full_name")
    role: str
    organisation: str | None = None

    @staticmethod
    def resolve_organisation(lecturer: SessionLecturer) -> str | None:
        return lecturer.organisation.name if lecturer.organisation_id else None


class SessionOut(Schema):
    id: int
    class_id: int = Field(..., alias="training_class_id")
    date: date
    starts_at: LocalTime
    ends_at: LocalTime
    periods: int
    status: str
    topic: str | None = None
    note: str
    lecturers: list[LecturerOut]
    marked: int = Field(0, description="learners with an attendance mark")
    attended: int = Field(0, description="learners present or late")
    evaluation_collection_id: int | None

    @staticmethod
    def resolve_topic(session: TeachingSession) -> str | None:
        return session.topic.title if session.topic_id else None

    @staticmethod
    def resolve_lecturers(session: TeachingSession) -> list:
        return list(session.lecturers.all())


class LecturerIn(Schema):
    person_id: DatabaseId
    role: str = SessionLecturer.Role.LEAD


class SessionIn(Schema):
    date: date
    starts_at: LocalTime
    ends_at: LocalTime
    periods: int
    status: str = TeachingSession.Status.PLANNED
    topic_id: DatabaseId | None = None
    lecturers: list[LecturerIn] = []
    note: str = ""


@router.get("/programmes/{code}/classes", response=list[ClassOut])
@paginated(MAX_LIMIT)
def list_classes(request: HttpRequest, code: str):
    """The programme's classes, by semester, campus and code, with their periods."""
    programme = programme_access.get_programme_for_user(request.user, code)
    return queries.classes_for_programme(programme)


@router.get("/programmes/{code}/classes/{int:class_id}/sessions", response=list[SessionOut])
@paginated(MAX_LIMIT)
def list_sessions(request: HttpRequest, code: str, class_id: int):
    """One class's sessions in date order with lecturers and attendance counts."""
    programme = programme_access.get_programme_for_user(request.user, code)
    training_class = access.get_class_for_user(request.user, programme, class_id)
    return queries.sessions_of(training_class)


@router.post("/programmes/{code}/classes/{int:class_id}/sessions", response={201: SessionOut})
def record_session(request: HttpRequest, code: str, class_id: int, payload: SessionIn):
    """Record a session (planned, delivered or cancelled) with its lecturers; the rules of the
    pages apply (periods fit the time, a lead lecturer for a delivered session…)."""
    programme = programme_access.get_programme_for_user(request.user, code)
    training_class = access.get_class_for_user(request.user, programme, class_id)
    topic = None
    if payload.topic_id is not None:
        topic = Topic.objects.filter(pk=payload.topic_id, course=training_class.course).first()
        if topic is None:
            raise ValidationError({"topic_id": _("Hãy chọn một chủ đề của khoá học này.")})
    wanted = [lecturer.person_id for lecturer in payload.lecturers]
    people = Person.objects.in_bulk(wanted)
    missing = [pk for pk in wanted if pk not in people]
    if missing:
        raise ValidationError(
            {"lecturers": _("Không có trong danh bạ: %(ids)s.") % {"ids": ", ".join(map(str, missing))}}
        )
    session = services.session_record(
        actor=request.user,
        training_class=training_class,
        date=payload.date,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        periods=payload.periods,
        topic=topic,
        status=payload.status,
        lecturers=[(people[lecturer.person_id], lecturer.role) for lecturer in payload.lecturers],
        note=payload.note,
    )
    return Status(201, get_object_or_404(queries.sessions_of(training_class), pk=session.pk))
