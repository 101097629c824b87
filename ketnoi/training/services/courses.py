"""Courses (coordinators): a course of the programme with its period length, and its topics."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ketnoi.core.audit import audit_record, diff, snapshot
from ketnoi.core.writes import apply_fields, locked
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
    course.save()
    audit_record(
        actor=actor, action=TrainingAction.COURSE_CREATE, obj=course, changes=snapshot(course, list(COURSE_FIELDS))
    )
    return course


@transaction.atomic
def course_update(*, actor, course: Course, **changes) -> Course:
    _require_plan(actor, course.programme)
    course = locked(course)
    before = snapshot(course, [name for name in changes if name in COURSE_FIELDS])
    apply_fields(course, COURSE_FIELDS, changes)
    course.updated_by = actor
    _validate_course(course)
    course.save()
    audit_record(actor=actor, action=TrainingAction.COURSE_UPDATE, obj=course, changes=diff(before, course))
    return course


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
    topic.save()
    audit_record(
        actor=actor, action=TrainingAction.TOPIC_CREATE, obj=topic, changes=snapshot(topic, list(TOPIC_FIELDS))
    )
    return topic


@transaction.atomic
def topic_update(*, actor, topic: Topic, **changes) -> Topic:
    _require_plan(actor, topic.course.programme)
    before = snapshot(topic, [name for name in changes if name in TOPIC_FIELDS])
    apply_fields(topic, TOPIC_FIELDS, changes)
    _validate_topic(topic)
    topic.save()
    audit_record(actor=actor, action=TrainingAction.TOPIC_UPDATE, obj=topic, changes=diff(before, topic))
    return topic
