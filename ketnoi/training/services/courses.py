"""Courses (coordinators): a course of the programme with its period length, and its topics."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ketnoi.core.writes import locked, save_changed, save_created
from ketnoi.programmes.models import Programme

from ..models import Course, Topic
from .actions import TrainingAction
from .common import _full_clean, _require_plan

COURSE_FIELDS = ("name", "code", "host", "period_minutes")
TOPIC_FIELDS = ("title", "position")


def _validate_course(course: Course) -> None:
    course.name = (course.name or "").strip()
    course.code = (course.code or "").strip()
    if not course.name:
        raise ValidationError({"name": _("Hãy đặt tên cho khoá học.")})
    _full_clean(course, ["programme", "host", "created_by", "updated_by"])


@transaction.atomic
def course_create(
    *, actor, programme: Programme, name: str, code: str = "", host=None, period_minutes: int = 45
) -> Course:
    _require_plan(actor, programme)
    course = Course(
        programme=programme, name=name, code=code, host=host, period_minutes=period_minutes, created_by=actor
    )
    course.updated_by = actor
    _validate_course(course)
    return save_created(course, actor=actor, action=TrainingAction.COURSE_CREATE, fields=COURSE_FIELDS)


@transaction.atomic
def course_update(*, actor, course: Course, **changes) -> Course:
    _require_plan(actor, course.programme)
    course = locked(course)
    course.updated_by = actor
    return save_changed(
        course,
        changes,
        actor=actor,
        action=TrainingAction.COURSE_UPDATE,
        allowed=COURSE_FIELDS,
        validate=_validate_course,
        audit="given",
    )


def _validate_topic(topic: Topic) -> None:
    topic.title = (topic.title or "").strip()
    if not topic.title:
        raise ValidationError({"title": _("Hãy nhập tên chủ đề.")})
    _full_clean(topic, ["course"])


@transaction.atomic
def topic_create(*, actor, course: Course, title: str, position: int = 0) -> Topic:
    _require_plan(actor, course.programme)
    topic = Topic(course=course, title=title, position=position)
    _validate_topic(topic)
    return save_created(topic, actor=actor, action=TrainingAction.TOPIC_CREATE, fields=TOPIC_FIELDS)


@transaction.atomic
def topic_update(*, actor, topic: Topic, **changes) -> Topic:
    _require_plan(actor, topic.course.programme)
    return save_changed(
        topic,
        changes,
        actor=actor,
        action=TrainingAction.TOPIC_UPDATE,
        allowed=TOPIC_FIELDS,
        validate=_validate_topic,
        audit="given",
    )
