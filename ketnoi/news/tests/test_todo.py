"""The to-do inbox's news group: comments awaiting moderation, for the programme's coordinators
only (who moderate), linking to the moderation queue; gone once moderated; queries constant."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ketnoi.news import services
from ketnoi.news.models import Comment

from .factories import make_comments, make_post

pytestmark = pytest.mark.django_db

TODO = reverse("todo")
GROUP = 'id="todo-news-comments"'
PENDING = Comment.Status.PENDING


def _page(client) -> str:
    response = client.get(TODO)
    assert response.status_code == 200
    return response.content.decode()


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(TODO).status_code == 200
    return len(queries)


@pytest.fixture
def post(coordinator, prog):
    return make_post(coordinator, prog, title="Tập huấn vận động chính sách")


def test_coordinator_sees_comments_to_moderate_and_the_link_opens_them(client_for, coordinator, post, prog):
    make_comments(post, 2, status=PENDING)
    client = client_for(coordinator)
    text = _page(client)
    assert GROUP in text and "Bình luận chờ kiểm duyệt" in text
    queue = reverse("news:comment_queue", args=[prog.code])
    assert queue in text
    assert "Bình luận số 0" in client.get(queue).content.decode()


def test_moderated_comments_leave_the_inbox(client_for, coordinator, post):
    make_comments(post, 1, status=PENDING)
    client = client_for(coordinator)
    assert GROUP in _page(client)
    services.comment_moderate(actor=coordinator, comment=post.comments.get(), status=Comment.Status.APPROVED)
    assert GROUP not in _page(client)


def test_no_one_else_sees_them(client_for, lecturer, viewer, other_coordinator, outsider, post, prog):
    make_comments(post, 2, status=PENDING)
    for user in (lecturer, viewer, other_coordinator, outsider):
        text = _page(client_for(user))
        assert GROUP not in text and reverse("news:comment_queue", args=[prog.code]) not in text, user


def test_inbox_queries_do_not_grow_with_comments(client_for, coordinator, post):
    make_comments(post, 3, status=PENDING)
    make_comments(post, 5, status=Comment.Status.APPROVED, start=100)
    client = client_for(coordinator)
    few = _queries(client)
    make_comments(post, 27, status=PENDING, start=3)
    assert _queries(client) == few
    assert '<span class="badge">30</span>' in _page(client)
