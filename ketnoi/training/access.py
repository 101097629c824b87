"""Who may do what with co-teaching. Classes belong to a programme (through their course), so
programme roles decide:

- see courses, classes, sessions, attendance, the compliance table: anyone with a role on it;
- set up courses, campuses, semesters, topics, classes and their learners, the commitment:
  coordinators (`can_plan`);
- record and change teaching sessions, take attendance, open a session's lecture evaluation:
  coordinators and those who report on the programme (`can_report`: lecturer, reviewer, curator).
A user with no role on the programme gets 404 for all of it.
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from ketnoi.programmes import access as programme_access
from ketnoi.programmes.models import Programme

from .models import TeachingSession, TrainingClass


def classes_for(user, programme: Programme | None = None) -> QuerySet[TrainingClass]:
    classes = TrainingClass.objects.select_related("course__programme", "campus", "semester")
    return programme_access.within_sight(classes, user, programme, via="course__programme")


def get_class_for_user(user, programme: Programme, pk: int) -> TrainingClass:
    return get_object_or_404(classes_for(user, programme), pk=pk)


def sessions_for(user, programme: Programme | None = None) -> QuerySet[TeachingSession]:
    sessions = TeachingSession.objects.select_related(
        "training_class__course__programme", "training_class__campus", "training_class__semester", "topic"
    )
    return programme_access.within_sight(sessions, user, programme, via="training_class__course__programme")


def get_session_for_user(user, programme: Programme, pk: int) -> TeachingSession:
    return get_object_or_404(sessions_for(user, programme), pk=pk)


def can_set_up(user, programme: Programme) -> bool:
    return programme_access.can_plan(user, programme)


def can_record(user, programme: Programme) -> bool:
    return programme_access.can_report(user, programme)
