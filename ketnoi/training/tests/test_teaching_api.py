"""/api/v1/training/…: every endpoint tried by every persona (any role reads; coordinators and
lecturers record, 403 for other roles; no role 404; no token 401), what they return, bad input
refused with nothing written, query counts that do not grow."""

from datetime import date, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ketnoi.training import services
from ketnoi.training.models import SessionLecturer, TeachingSession

from .factories import PLANNED, record

PREFIX = "/api/v1/training"
LEAD = SessionLecturer.Role.LEAD
PERSONAS = ["coordinator", "lecturer", "reviewer", "viewer", "staff_admin", "learner", "outsider", "other_coordinator"]


@pytest.fixture
def api_client(api_client_under):
    return api_client_under(PREFIX)


@pytest.fixture
def committed(coordinator, activity, course):
    return services.commitment_set(actor=coordinator, activity=activity, course=course, periods=10)


@pytest.fixture
def sessions(coordinator, klass, lead, co_teacher, enrolled):
    delivered = record(coordinator, klass, periods=3, lecturers=[(lead, LEAD), (co_teacher, "co_teacher")])
    services.attendance_record(
        actor=coordinator, session=delivered, marks={enrolled[0].pk: "present", enrolled[1].pk: "absent"}
    )
    record(coordinator, klass, periods=2, day=date(2026, 4, 1), status=PLANNED, ends_at=time(9, 0))
    return delivered


def session_payload(lead, **extra):
    return {
        "date": "2026-03-09",
        "starts_at": "07:30",
        "ends_at": "10:00",
        "periods": 3,
        "status": "delivered",
        "lecturers": [{"person_id": lead.pk, "role": "lead"}],
        **extra,
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_reads_by_persona(request, api_client, persona, prog, committed, klass, sessions):
    call = api_client(request.getfixturevalue(persona))
    expected = 404 if persona in ("learner", "outsider", "other_coordinator") else 200
    assert call("get", f"/programmes/{prog.code}/classes").status_code == expected
    assert call("get", f"/programmes/{prog.code}/classes/{klass.pk}/sessions").status_code == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_record_by_persona(request, api_client, persona, prog, klass, lead):
    response = api_client(request.getfixturevalue(persona))(
        "post", f"/programmes/{prog.code}/classes/{klass.pk}/sessions", session_payload(lead)
    )
    if persona in ("learner", "outsider", "other_coordinator"):
        assert response.status_code == 404
    elif persona == "viewer":
        assert response.status_code == 403
    else:
        assert response.status_code == 201, response.content
    assert TeachingSession.objects.count() == (1 if response.status_code == 201 else 0)


def test_no_token_is_401(client, prog):
    assert client.get(f"{PREFIX}/programmes/{prog.code}/classes").status_code == 401


def test_classes_with_periods(api_client, viewer, prog, committed, klass, sessions):
    (row,) = api_client(viewer)("get", f"/programmes/{prog.code}/classes").json()["items"]
    assert row["code"] == "HN01" and row["campus"] == "Hà Nội"
    assert (row["committed"], row["planned"], row["delivered"], row["sessions_held"], row["learners"]) == (
        10,
        2,
        3,
        1,
        5,
    )


def test_sessions_of_a_class(api_client, viewer, prog, klass, sessions, lead):
    items = api_client(viewer)("get", f"/programmes/{prog.code}/classes/{klass.pk}/sessions").json()["items"]
    assert [s["status"] for s in items] == ["delivered", "planned"]
    first = items[0]
    assert (first["marked"], first["attended"]) == (2, 1)
    assert first["lecturers"][0] == {
        "person_id": lead.pk,
        "full_name": lead.full_name,
        "role": "lead",
        "organisation": "Trung tâm MSD",
    }


def test_class_of_another_programme_is_404(api_client, other_coordinator, other_prog, klass):
    response = api_client(other_coordinator)("get", f"/programmes/{other_prog.code}/classes/{klass.pk}/sessions")
    assert response.status_code == 404


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"ends_at": "07:00"}, "ends_at"),
        ({"periods": 5}, "periods"),
        ({"lecturers": []}, "lecturers"),
        ({"lecturers": [{"person_id": 999999, "role": "lead"}]}, "lecturers"),
        ({"topic_id": 999999}, "topic_id"),
        ({"date": "2027-01-01"}, "date"),
    ],
)
def test_bad_session_is_400_and_nothing_written(api_client, lecturer, prog, klass, lead, extra, field):
    response = api_client(lecturer)(
        "post", f"/programmes/{prog.code}/classes/{klass.pk}/sessions", session_payload(lead, **extra)
    )
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not TeachingSession.objects.exists()


def test_query_counts_do_not_grow(
    api_client, viewer, coordinator, prog, committed, klass, lead, django_assert_max_num_queries
):
    call = api_client(viewer)
    record(coordinator, klass, lecturers=[(lead, LEAD)])
    counts = {}
    paths = [f"/programmes/{prog.code}/classes", f"/programmes/{prog.code}/classes/{klass.pk}/sessions"]
    for path in paths:
        with CaptureQueriesContext(connection) as few:
            assert call("get", path).status_code == 200
        counts[path] = len(few)
    for day in range(10, 20):
        record(coordinator, klass, day=date(2026, 3, day), periods=1, lecturers=[(lead, LEAD)])
    for path in paths:
        with django_assert_max_num_queries(counts[path]):
            call("get", path)


def test_times_are_local_with_their_offset(api_client, lecturer, prog, klass, lead):
    """Times are written "07:30:00+07:00" (RFC 3339 full-time, as the schema's format says) and
    read with or without the local offset; a time with the offset was a 500 (an aware time
    reached the database) and one with another offset is refused, not shifted."""
    call = api_client(lecturer)
    path = f"/programmes/{prog.code}/classes/{klass.pk}/sessions"
    created = call("post", path, session_payload(lead, starts_at="07:30:00+07:00", ends_at="10:00+07:00"))
    assert created.status_code == 201, created.content
    assert (created.json()["starts_at"], created.json()["ends_at"]) == ("07:30:00+07:00", "10:00:00+07:00")
    assert TeachingSession.objects.get().starts_at == time(7, 30)
    refused = call("post", path, session_payload(lead, date="2026-03-10", starts_at="00:30:00Z"))
    assert refused.status_code == 422
    assert "giờ địa phương" in refused.json()["detail"][0]["msg"]
    assert TeachingSession.objects.count() == 1
