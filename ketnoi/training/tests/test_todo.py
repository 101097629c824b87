"""The to-do inbox's training groups: the reviews asked of the user (overdue once past their due
date) and the delivered sessions still without attendance — all of a programme's for its
coordinator, a lecturer's own otherwise; gone once done; the page's queries do not grow."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ketnoi.training import services
from ketnoi.training.models import SessionLecturer

from .factories import CANCELLED, ask, make_class, make_material, record

pytestmark = pytest.mark.django_db

LEAD = SessionLecturer.Role.LEAD
TODO = reverse("todo")


def _page(client) -> str:
    response = client.get(TODO)
    assert response.status_code == 200
    return response.content.decode()


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(TODO).status_code == 200
    return len(queries)


# Reviews ----------------------------------------------------------------------------------------


def test_a_reviewer_sees_the_reviews_due_overdue_first_and_each_links_to_the_review(
    client_for, reviewer, lecturer, coordinator, prog
):
    soon = ask(coordinator, make_material(lecturer, prog, title="Đề cương khoá học"), [reviewer], days=5)
    late = ask(coordinator, make_material(lecturer, prog, title="Bài giảng quá hạn"), [reviewer], days=1)
    type(late).objects.filter(pk=late.pk).update(due_on=timezone.localdate() - timedelta(days=2))  # time passed
    text = _page(client_for(reviewer))
    assert 'id="todo-training-reviews"' in text
    assert text.index("Bài giảng quá hạn") < text.index("Đề cương khoá học")
    for request in (soon, late):
        assignment = request.assignments.get()
        assert reverse("training:review_assignment", args=[prog.code, assignment.pk]) in text
    assert "quá hạn từ" in text and "1 gấp" in text


def test_a_review_given_leaves_the_inbox(client_for, reviewer, lecturer, coordinator, prog):
    request = ask(coordinator, make_material(lecturer, prog), [reviewer])
    client = client_for(reviewer)
    assert 'id="todo-training-reviews"' in _page(client)
    services.review_decide(actor=reviewer, assignment=request.assignments.get(), decision="approved")
    text = _page(client)
    assert 'id="todo-training-reviews"' not in text and 'id="todo-empty"' in text


def test_reviews_asked_of_someone_else_are_not_shown(client_for, reviewer, lecturer, coordinator, expert, prog):
    ask(coordinator, make_material(lecturer, prog), [expert])
    for user in (reviewer, coordinator, lecturer):
        assert 'id="todo-training-reviews"' not in _page(client_for(user)), user


# Sessions without attendance ------------------------------------------------------------------


@pytest.fixture
def own_lead(lecturer, lead):
    """The lecturer's directory record is the lead of the sessions below."""
    lead.user = lecturer
    lead.save()
    return lead


def test_lecturer_sees_own_delivered_sessions_without_attendance(
    client_for, lecturer, coordinator, klass, enrolled, own_lead, co_teacher
):
    mine = record(lecturer, klass, day=date(2026, 3, 2), lecturers=[(own_lead, LEAD)])
    theirs = record(coordinator, klass, day=date(2026, 3, 9), lecturers=[(co_teacher, LEAD)])
    record(lecturer, klass, day=date(2026, 3, 16), status=CANCELLED, lecturers=[(own_lead, LEAD)])
    text = _page(client_for(lecturer))
    assert 'id="todo-training-attendance"' in text
    assert reverse("training:session_detail", args=[klass.course.programme.code, mine.pk]) + "#attendance" in text
    assert reverse("training:session_detail", args=[klass.course.programme.code, theirs.pk]) not in text
    assert "16/03/2026" not in text  # cancelled: nothing to mark
    # The coordinator marks any of the programme's sessions.
    coordinator_text = _page(client_for(coordinator))
    assert reverse("training:session_detail", args=[klass.course.programme.code, theirs.pk]) in coordinator_text
    assert reverse("training:session_detail", args=[klass.course.programme.code, mine.pk]) in coordinator_text


def test_attendance_taken_removes_the_session(client_for, lecturer, klass, enrolled, own_lead):
    session = record(lecturer, klass, lecturers=[(own_lead, LEAD)])
    client = client_for(lecturer)
    assert 'id="todo-training-attendance"' in _page(client)
    services.attendance_record(actor=lecturer, session=session, marks={enrolled[0].pk: "present"})
    assert 'id="todo-training-attendance"' not in _page(client)


def test_a_class_without_learners_asks_for_no_attendance(client_for, coordinator, course, campus, semester, lead):
    empty = make_class(coordinator, course, campus, semester, code="RONG")
    record(coordinator, empty, lecturers=[(lead, LEAD)])
    assert 'id="todo-training-attendance"' not in _page(client_for(coordinator))


def test_other_programmes_and_no_role_see_none_of_it(
    client_for, lecturer, reviewer, coordinator, other_coordinator, outsider, klass, enrolled, own_lead, prog
):
    record(lecturer, klass, lecturers=[(own_lead, LEAD)])
    ask(coordinator, make_material(lecturer, prog), [reviewer])
    for user in (other_coordinator, outsider):
        text = _page(client_for(user))
        assert 'id="todo-empty"' in text and prog.code not in text, user


def test_inbox_queries_do_not_grow_with_sessions_and_reviews(
    client_for, lecturer, coordinator, reviewer, klass, enrolled, own_lead, prog
):
    def add(n, start):
        for i in range(start, start + n):
            record(lecturer, klass, day=date(2026, 2, 1) + timedelta(days=i), lecturers=[(own_lead, LEAD)])
            ask(coordinator, make_material(lecturer, prog, title=f"Tài liệu {i}"), [reviewer, coordinator])

    add(3, 0)
    client = client_for(coordinator)
    few = _queries(client)
    add(27, 3)
    assert _queries(client) == few
    text = _page(client)
    assert text.count('href="/programmes/thu-nghiem/training/sessions/') == 5  # a few samples, not all 30
