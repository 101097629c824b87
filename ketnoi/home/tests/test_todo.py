"""The to-do inbox page (/todo/) and the header's figure (/todo/count/): the login it needs,
the empty inbox that says all is done and where to go next, the order of the groups (overdue
first, then by due date), the figure loaded after the page and cached, and the query counts.
Each app's own group is tested in that app (`<app>/tests/test_todo.py`)."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse

from ketnoi.core import registry
from ketnoi.core.registry import TodoGroup, TodoItem
from ketnoi.events import services as events

from .builders import registration, workshop

pytestmark = pytest.mark.django_db

TODO = reverse("todo")
COUNT = reverse("todo_count")


@pytest.fixture
def waiting(coordinator, prog):
    """Two registrations awaiting the coordinator's approval."""
    event = workshop(coordinator, prog, "Hội thảo cần duyệt")
    events.workshop_update(actor=coordinator, workshop=event, needs_approval=True)
    return [registration(event, name) for name in ("Nguyễn Văn An", "Trần Thị Bình")]


def test_the_inbox_needs_a_login_and_the_figure_is_empty_for_a_visitor(client):
    response = client.get(TODO)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    response = client.get(COUNT)
    assert response.status_code == 200 and 'data-count="0"' in response.content.decode()
    assert 'id="nav-todo"' not in client.get("/").content.decode()


def test_an_outsider_sees_an_empty_inbox_and_a_zero(client_for, outsider, waiting):
    client = client_for(outsider)
    text = client.get(TODO).content.decode()
    assert 'id="todo-empty"' in text and "Bạn đã làm hết việc." in text
    assert "Bạn chưa có vai trò trong chương trình nào" in text
    assert "Hội thảo cần duyệt" not in text
    figure = client.get(COUNT).content.decode()
    assert 'data-count="0"' in figure and "badge" not in figure


def test_an_empty_inbox_shows_the_persons_programmes(client_for, viewer, prog, other_prog):
    text = client_for(viewer).get(TODO).content.decode()
    assert 'id="todo-empty"' in text and reverse("programmes:detail", args=[prog.code]) in text
    assert reverse("programmes:detail", args=[other_prog.code]) not in text


def test_every_page_links_to_the_inbox_and_loads_its_figure_after(client_for, coordinator, prog, waiting):
    client = client_for(coordinator)
    page = client.get(reverse("programmes:detail", args=[prog.code])).content.decode()
    assert f'href="{TODO}" id="nav-todo"' in page and f'hx-get="{COUNT}"' in page
    figure = client.get(COUNT)
    assert figure["Cache-Control"] == "private, no-store"
    assert 'data-count="2"' in figure.content.decode() and ">2<" in figure.content.decode()


def test_the_figure_is_cached_and_the_inbox_refreshes_it(client_for, coordinator, waiting):
    client = client_for(coordinator)
    assert 'data-count="2"' in client.get(COUNT).content.decode()
    events.registration_approve(actor=coordinator, registration=waiting[0])
    assert 'data-count="2"' in client.get(COUNT).content.decode()  # cached for a minute
    assert "Hội thảo cần duyệt" in client.get(TODO).content.decode()  # the inbox counts afresh…
    assert 'data-count="1"' in client.get(COUNT).content.decode()  # …and the header follows
    cache.clear()
    events.registration_approve(actor=coordinator, registration=waiting[1])
    assert 'data-count="0"' in client.get(COUNT).content.decode()


def test_groups_are_ordered_overdue_first_then_by_due_date(client_for, coordinator, monkeypatch):
    today = date(2026, 12, 7)

    def provider(user, *, samples):
        item = TodoItem(label="Việc", url="/programmes/")
        return [
            TodoGroup("t.later", "Nhóm hạn sau", 1, items=(item,), due=today + timedelta(days=9)),
            TodoGroup("t.nodate", "Nhóm không hạn", 1, items=(item,)),
            TodoGroup("t.overdue", "Nhóm quá hạn", 2, items=(item,), overdue=1, due=today + timedelta(days=20)),
            TodoGroup("t.sooner", "Nhóm hạn trước", 1, items=(item,), due=today + timedelta(days=1)),
            TodoGroup("t.none", "Nhóm trống", 0),
        ]

    monkeypatch.setattr(registry, "_todo_providers", {"t": provider})
    text = client_for(coordinator).get(TODO).content.decode()
    order = ["Nhóm quá hạn", "Nhóm hạn trước", "Nhóm hạn sau", "Nhóm không hạn"]
    assert [text.index(label) for label in order] == sorted(text.index(label) for label in order)
    assert "Nhóm trống" not in text
    assert "5 việc đang chờ bạn" in text and "1 gấp" in text


def test_query_counts_of_the_inbox_and_the_figure(client_for, coordinator, waiting, django_assert_num_queries):
    client = client_for(coordinator)
    client.get(TODO)
    # session, user, seven providers' counts and samples (events 2, programmes 1, news 1,
    # training 2, surveys 1, library 1), the header's roles
    with django_assert_num_queries(11):
        assert client.get(TODO).status_code == 200
    cache.clear()
    with django_assert_num_queries(9):  # session, user, the seven counts
        assert client.get(COUNT).status_code == 200
    with django_assert_num_queries(2):  # cached: session, user
        assert client.get(COUNT).status_code == 200


def test_the_inbox_takes_no_writes_and_ignores_stray_parameters(client_for, coordinator, waiting):
    client = client_for(coordinator)
    assert client.post(TODO).status_code == 405
    assert client.post(COUNT).status_code == 405
    response = client.get(TODO + "?page=abc&samples=99999")
    assert response.status_code == 200 and response.content.decode().count("?status=pending#registrations") == 2


def test_the_inbox_in_english(client_for, coordinator, waiting):
    client = client_for(coordinator)
    client.cookies["ketnoi_language"] = "en"
    text = client.get(TODO).content.decode()
    assert "<h1>To do</h1>" in text and "Registrations awaiting approval" in text
    assert "2 tasks await you" in text
