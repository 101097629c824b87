"""The to-do inbox's programmes group: indicator values awaiting approval, only those the user
may approve (access.Reviewers): a coordinator sees the others' values, never their own; a second
approver sees what a coordinator entered; another programme's coordinator nothing. Each
programme links to its approval queue; gone once reviewed; the page's queries constant."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ketnoi.core.roles import Role
from ketnoi.programmes import services

from .factories import grant

pytestmark = pytest.mark.django_db

TODO = reverse("todo")
GROUP = 'id="todo-programmes-values"'


def _page(client) -> str:
    response = client.get(TODO)
    assert response.status_code == 200
    return response.content.decode()


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(TODO).status_code == 200
    return len(queries)


@pytest.fixture
def period(coordinator, prog):
    indicator = services.indicator_create(
        actor=coordinator, programme=prog, code="CT3", name="Số hội thảo", unit="hội thảo"
    )
    return services.indicator_period_create(
        actor=coordinator,
        indicator=indicator,
        label="2026",
        start_date=date(2026, 1, 1),
        end_date=date(2026, 12, 31),
        target=3,
    )


def submit(actor, period, value=2):
    return services.indicator_value_submit(
        actor=actor, indicator=period.indicator, period=period, value=value, evidence="Biên bản hội thảo"
    )


def test_coordinator_sees_values_to_approve_but_not_their_own(client_for, coordinator, lecturer, period, prog):
    submit(lecturer, period)
    client = client_for(coordinator)
    text = _page(client)
    assert GROUP in text and reverse("programmes:approvals", args=[prog.code]) in text
    assert "Giá trị chỉ số chờ phê duyệt" in text
    submit(coordinator, period, value=3)
    text = _page(client)
    assert '<span class="badge">1</span>' in text  # the lecturer's value only


def test_a_sole_coordinators_own_value_goes_to_the_second_approver(client_for, coordinator, lecturer, period, prog):
    submit(coordinator, period)
    assert GROUP not in _page(client_for(coordinator))
    assert GROUP not in _page(client_for(lecturer))  # not the second approver (yet)
    services.programme_update(actor=coordinator, programme=prog, second_approver=lecturer)
    assert GROUP in _page(client_for(lecturer))


def test_the_second_approver_sees_nothing_a_non_coordinator_entered(
    client_for, coordinator, lecturer, reviewer, period, prog
):
    services.programme_update(actor=coordinator, programme=prog, second_approver=lecturer)
    submit(reviewer, period)
    assert GROUP not in _page(client_for(lecturer))
    assert GROUP in _page(client_for(coordinator))


def test_reviewed_values_leave_the_inbox(client_for, coordinator, lecturer, period):
    value = submit(lecturer, period)
    client = client_for(coordinator)
    assert GROUP in _page(client)
    services.indicator_value_review(actor=coordinator, value=value, approve=True)
    assert GROUP not in _page(client)


def test_other_programmes_and_no_role_see_none(
    client_for, coordinator, lecturer, viewer, other_coordinator, outsider, period, prog
):
    submit(lecturer, period)
    for user in (lecturer, viewer, other_coordinator, outsider):
        text = _page(client_for(user))
        assert GROUP not in text and reverse("programmes:approvals", args=[prog.code]) not in text, user


def test_inbox_queries_do_not_grow_with_values(client_for, coordinator, lecturer, period, other_prog):
    grant(coordinator, other_prog, Role.COORDINATOR)
    grant(lecturer, other_prog, Role.LECTURER)
    for i in range(3):
        submit(lecturer, period, value=i + 1)
    client = client_for(coordinator)
    few = _queries(client)
    for i in range(27):
        submit(lecturer, period, value=i + 10)
    assert _queries(client) == few
    assert '<span class="badge">30</span>' in _page(client)
