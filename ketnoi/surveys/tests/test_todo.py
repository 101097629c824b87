"""The to-do inbox's surveys group: collections closing within a few days — every one of the
programmes a user coordinates, the ones a lecturer opened — each linking to its page (share link,
closing date); not those closing later or already closed; queries constant."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ketnoi.core.roles import Role
from ketnoi.programmes.tests.factories import grant

from .factories import lecture_form, open_collection

pytestmark = pytest.mark.django_db

TODO = reverse("todo")
GROUP = 'id="todo-surveys-closing"'


def _page(client) -> str:
    response = client.get(TODO)
    assert response.status_code == 200
    return response.content.decode()


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(TODO).status_code == 200
    return len(queries)


@pytest.fixture
def form(coordinator, prog):
    return lecture_form(coordinator, prog)


def _closing_in(actor, form, days, title):
    return open_collection(actor, form, title=title, closes_at=timezone.now() + timedelta(days=days))


def test_collections_closing_soon_show_to_the_coordinator_and_to_who_opened_them(
    client_for, coordinator, lecturer, make_user, form, prog
):
    soon = _closing_in(lecturer, form, 2, "Đợt đánh giá sắp đóng")
    _closing_in(coordinator, form, 10, "Đợt đánh giá còn lâu")
    url = reverse("surveys:collection_detail", args=[prog.code, form.pk, soon.pk])
    for user in (coordinator, lecturer):
        text = _page(client_for(user))
        assert GROUP in text and url in text and "Đợt đánh giá còn lâu" not in text, user
    another = grant(make_user("lecturer-2"), prog, Role.LECTURER)
    assert GROUP not in _page(client_for(another))  # not theirs
    assert client_for(coordinator).get(url).status_code == 200


def test_a_closed_collection_leaves_the_inbox_and_others_see_nothing(
    client_for, coordinator, viewer, other_coordinator, outsider, form
):
    soon = _closing_in(coordinator, form, 2, "Đợt đánh giá sắp đóng")
    for user in (viewer, other_coordinator, outsider):
        assert GROUP not in _page(client_for(user)), user
    client = client_for(coordinator)
    assert GROUP in _page(client)
    past = timezone.now() - timedelta(minutes=1)  # the closing time has passed
    type(soon).objects.filter(pk=soon.pk).update(opens_at=past - timedelta(days=7), closes_at=past)
    assert GROUP not in _page(client)


def test_inbox_queries_do_not_grow_with_collections(client_for, coordinator, form):
    for i in range(3):
        _closing_in(coordinator, form, 2, f"Đợt {i}")
    client = client_for(coordinator)
    few = _queries(client)
    for i in range(3, 30):
        _closing_in(coordinator, form, 2, f"Đợt {i}")
    assert _queries(client) == few
    assert '<span class="badge">30</span>' in _page(client)
