"""The to-do inbox's events group: registrations awaiting approval, for the coordinators of the
workshop's programme only, each workshop linking to its registrations filtered to those
waiting; urgent when the workshop is near; gone once approved; the page's queries constant."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ketnoi.events import services

from .factories import make_workshop, register

pytestmark = pytest.mark.django_db

TODO = reverse("todo")
GROUP = 'id="todo-events-registrations"'


def _page(client) -> str:
    response = client.get(TODO)
    assert response.status_code == 200
    return response.content.decode()


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(TODO).status_code == 200
    return len(queries)


def _pending_url(workshop) -> str:
    return reverse("events:detail", args=[workshop.programme.code, workshop.pk]) + "?status=pending#registrations"


@pytest.fixture
def approval_workshop(coordinator, prog):
    return make_workshop(coordinator, prog, title="Hội thảo cần duyệt", needs_approval=True)


def test_coordinator_sees_registrations_to_approve_linking_to_the_filtered_list(
    client_for, coordinator, approval_workshop
):
    for name in ("Nguyễn Văn An", "Trần Thị Bình"):
        register(approval_workshop, name)
    client = client_for(coordinator)
    text = _page(client)
    assert GROUP in text and "Đăng ký chờ duyệt" in text and "Hội thảo cần duyệt" in text
    assert _pending_url(approval_workshop) in text
    listed = client.get(_pending_url(approval_workshop)).content.decode()
    assert "Nguyễn Văn An" in listed and "Trần Thị Bình" in listed


def test_approved_registrations_leave_the_inbox(client_for, coordinator, approval_workshop):
    registration, _created = register(approval_workshop, "Nguyễn Văn An")
    client = client_for(coordinator)
    assert GROUP in _page(client)
    services.registration_approve(actor=coordinator, registration=registration)
    text = _page(client)
    assert GROUP not in text and 'id="todo-empty"' in text


def test_only_the_programmes_coordinators_see_them(
    client_for, coordinator, lecturer, viewer, other_coordinator, outsider, approval_workshop, prog
):
    register(approval_workshop, "Nguyễn Văn An")
    for user in (lecturer, viewer, other_coordinator, outsider):
        text = _page(client_for(user))
        assert GROUP not in text and "Hội thảo cần duyệt" not in text, user
    assert client_for(other_coordinator).get(_pending_url(approval_workshop)).status_code == 404


def test_a_workshop_over_asks_nothing_and_a_near_one_is_urgent(client_for, coordinator, prog):
    now = timezone.now()
    over = make_workshop(coordinator, prog, title="Hội thảo đã qua", needs_approval=True)
    register(over, "Nguyễn Văn An")  # then the workshop took place:
    near = make_workshop(
        coordinator,
        prog,
        title="Hội thảo ngày mai",
        needs_approval=True,
        starts_at=now + timedelta(days=1),
        ends_at=now + timedelta(days=1, hours=4),
    )
    register(near, "Trần Thị Bình")
    type(over).objects.filter(pk=over.pk).update(starts_at=now - timedelta(days=3), ends_at=now - timedelta(days=2))
    text = _page(client_for(coordinator))
    assert "Hội thảo ngày mai" in text and "Hội thảo đã qua" not in text
    assert "1 gấp" in text


def test_inbox_queries_do_not_grow_with_registrations(client_for, coordinator, prog):
    workshops = [make_workshop(coordinator, prog, title=f"Hội thảo {i}", needs_approval=True) for i in range(8)]
    for i in range(3):
        register(workshops[i], f"Người {i}", confirm=False)
    client = client_for(coordinator)
    few = _queries(client)
    for i in range(3, 30):
        register(workshops[i % 8], f"Người {i}", confirm=False)
    assert _queries(client) == few
    text = _page(client)
    assert text.count("?status=pending#registrations") == 5  # the five soonest workshops
    assert ">30<" in text
