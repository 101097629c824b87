"""The teaching services: set-up, sessions (validation, lecturers, nothing half-written), who may
do what, the lecture evaluation."""

from datetime import date, time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ketnoi.core.models import AuditEntry
from ketnoi.training import services
from ketnoi.training.models import Enrolment, SessionLecturer, TeachingSession, TrainingClass

from .factories import CANCELLED, DELIVERED, PLANNED, record

LEAD = SessionLecturer.Role.LEAD
CO = SessionLecturer.Role.CO_TEACHER


def test_session_recorded_with_lecturers_and_their_organisation(coordinator, klass, lead, co_teacher):
    session = record(coordinator, klass, lecturers=[(lead, LEAD), (co_teacher, CO)])
    rows = {sl.person_id: sl for sl in session.lecturers.all()}
    assert rows[lead.pk].organisation_id == lead.organisation_id
    assert rows[co_teacher.pk].role == CO
    assert AuditEntry.objects.filter(action="training.session_record", object_id=str(session.pk)).exists()
    # the organisation is a snapshot: the lecturer changing employer later changes nothing
    lead.organisation = co_teacher.organisation
    lead.save()
    assert SessionLecturer.objects.get(session=session, person=lead).organisation.name == "Trung tâm MSD"


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"starts_at": time(10, 0), "ends_at": time(9, 0)}, "ends_at"),
        ({"periods": 0}, "periods"),
        ({"periods": 13, "ends_at": time(20, 0)}, "periods"),
        ({"periods": 4}, "periods"),  # 4 × 45 = 180 min in 150 min: more than 15 over
        ({"day": date(2026, 7, 15)}, "date"),  # between the semesters
        ({"status": "done"}, "status"),
    ],
)
def test_bad_session_refused_and_nothing_written(coordinator, klass, lead, changes, field):
    with pytest.raises(ValidationError) as refused:
        record(coordinator, klass, lecturers=[(lead, LEAD)], **changes)
    assert field in refused.value.message_dict
    assert not TeachingSession.objects.exists()
    assert not SessionLecturer.objects.exists()


def test_periods_fit_with_the_break_allowance(coordinator, klass, lead):
    # 3 × 45 = 135 minutes in 7:30–9:30 (120): 15 over, allowed
    assert record(coordinator, klass, lecturers=[(lead, LEAD)], ends_at=time(9, 30)).periods == 3
    with pytest.raises(ValidationError) as refused:
        record(coordinator, klass, lecturers=[(lead, LEAD)], ends_at=time(9, 15))
    assert "135" in refused.value.message_dict["periods"][0]


def test_period_length_is_the_courses(coordinator, klass, course, lead):
    services.course_update(actor=coordinator, course=course, period_minutes=50)
    klass.refresh_from_db()
    with pytest.raises(ValidationError):
        # 3 × 50 = 150 in 7:30–9:30 (120)
        record(coordinator, klass, lecturers=[(lead, LEAD)], ends_at=time(9, 30))


def test_delivered_session_needs_a_lead_lecturer(coordinator, klass, co_teacher):
    with pytest.raises(ValidationError) as refused:
        record(coordinator, klass, lecturers=[(co_teacher, CO)])
    assert "lecturers" in refused.value.message_dict
    planned = record(coordinator, klass, status=PLANNED, lecturers=[(co_teacher, CO)])
    with pytest.raises(ValidationError):
        services.session_update(actor=coordinator, session=planned, status=DELIVERED)
    assert TeachingSession.objects.get(pk=planned.pk).status == PLANNED


def test_same_lecturer_twice_refused(coordinator, klass, lead):
    with pytest.raises(ValidationError):
        record(coordinator, klass, lecturers=[(lead, LEAD), (lead, CO)])


def test_session_update_replaces_lecturers(lecturer, klass, lead, co_teacher):
    session = record(lecturer, klass, status=PLANNED)
    services.session_update(
        actor=lecturer, session=session, status=DELIVERED, lecturers=[(co_teacher, LEAD)], periods=2
    )
    session.refresh_from_db()
    assert session.status == DELIVERED and session.periods == 2
    assert list(session.lecturers.values_list("person_id", "role")) == [(co_teacher.pk, LEAD)]


def test_topic_of_another_course_refused(coordinator, prog, klass, lead):
    other = services.course_create(actor=coordinator, programme=prog, name="Khoá khác")
    topic = services.topic_create(actor=coordinator, course=other, title="Chủ đề khác")
    with pytest.raises(ValidationError) as refused:
        record(coordinator, klass, lecturers=[(lead, LEAD)], topic=topic)
    assert "topic" in refused.value.message_dict


@pytest.mark.parametrize("persona", ["viewer", "outsider", "learner"])
def test_only_reporters_record_sessions(request, persona, klass, lead):
    with pytest.raises(PermissionDenied):
        record(request.getfixturevalue(persona), klass, lecturers=[(lead, LEAD)])


@pytest.mark.parametrize("persona", ["lecturer", "reviewer", "viewer", "outsider"])
def test_only_coordinators_set_up(request, persona, prog, course, campus, semester):
    actor = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.course_create(actor=actor, programme=prog, name="X")
    with pytest.raises(PermissionDenied):
        services.class_create(actor=actor, course=course, campus=campus, semester=semester, code="X1")


def test_class_needs_campus_and_semester_of_the_programme(coordinator, other_prog, staff_admin, course, semester):
    foreign = services.campus_create(actor=staff_admin, programme=other_prog, name="Cơ sở khác")
    with pytest.raises(ValidationError) as refused:
        services.class_create(actor=coordinator, course=course, campus=foreign, semester=semester, code="X1")
    assert "campus" in refused.value.message_dict
    assert not TrainingClass.objects.exists()


def test_class_code_once_per_semester(coordinator, klass, course, campus, semester, semester2):
    with pytest.raises(ValidationError):
        services.class_create(actor=coordinator, course=course, campus=campus, semester=semester, code="HN01")
    assert services.class_create(actor=coordinator, course=course, campus=campus, semester=semester2, code="HN01")


def test_semester_dates_checked(coordinator, prog):
    with pytest.raises(ValidationError) as refused:
        services.semester_create(
            actor=coordinator, programme=prog, name="X", starts_on=date(2026, 5, 1), ends_on=date(2026, 4, 1)
        )
    assert "ends_on" in refused.value.message_dict


def test_enrol_by_ids_all_or_nothing(coordinator, klass, people):
    with pytest.raises(ValidationError):
        services.learners_enrol_ids(actor=coordinator, training_class=klass, person_ids=[people[0].pk, 999999])
    assert not Enrolment.objects.exists()
    created = services.learners_enrol_ids(
        actor=coordinator, training_class=klass, person_ids=[str(p.pk) for p in people]
    )
    assert len(created) == 5
    assert services.learners_enrol(actor=coordinator, training_class=klass, people=people) == []


def test_commitment_on_an_activity_of_the_programme(coordinator, staff_admin, other_prog, course, activity):
    commitment = services.commitment_set(actor=coordinator, activity=activity, course=course)
    assert commitment.periods == 10
    assert services.commitment_set(actor=coordinator, activity=activity, course=course, periods=12).periods == 12
    foreign = other_prog.activities.create(number=1, title="Hoạt động khác")
    with pytest.raises(ValidationError) as refused:
        services.commitment_set(actor=coordinator, activity=foreign, course=course)
    assert "activity" in refused.value.message_dict


def test_lecturer_needs_the_form_made_by_a_coordinator(coordinator, lecturer, klass, lead):
    session = record(lecturer, klass, lecturers=[(lead, LEAD)])
    with pytest.raises(ValidationError) as refused:
        services.session_evaluation_open(actor=lecturer, session=session)
    assert "điều phối viên" in refused.value.message_dict["session"][0]
    first = services.session_evaluation_open(
        actor=coordinator, session=record(coordinator, klass, periods=1, lecturers=[(lead, LEAD)])
    )
    assert services.session_evaluation_open(actor=lecturer, session=session).form_id == first.form_id


def test_evaluation_opened_once(coordinator, lecturer, klass, lead):
    session = record(lecturer, klass, lecturers=[(lead, LEAD)])
    services.session_evaluation_open(actor=coordinator, session=session)
    first = services.session_evaluation_open(actor=lecturer, session=session)
    again = services.session_evaluation_open(actor=lecturer, session=session)
    assert first.pk == again.pk
    session.refresh_from_db()
    assert session.evaluation_collection_id == first.pk
    assert first.context["class"] == "HN01" and first.context["lecturer"] == lead.full_name
    assert first.form.programme_id == klass.course.programme_id


def test_evaluation_not_for_a_cancelled_session(lecturer, klass):
    session = record(lecturer, klass, status=CANCELLED)
    with pytest.raises(ValidationError):
        services.session_evaluation_open(actor=lecturer, session=session)
