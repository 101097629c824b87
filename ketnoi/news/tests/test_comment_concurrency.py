"""Several app processes may take comments at once: the rate limit must hold across them, so it
is counted in the database under a lock, never in memory. Threads stand in for processes."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from ketnoi.news import services
from ketnoi.news.models import Comment

from .factories import make_post

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_comments_from_one_address_stop_at_the_limit(coordinator, prog):
    post = make_post(coordinator, prog)
    barrier = threading.Barrier(6)
    outcomes = []

    def send(n: int) -> None:
        try:
            barrier.wait(timeout=10)
            services.comment_submit(post=post, name="Lan", email="lan@example.org", body=f"Lần {n}", ip=f"10.0.0.{n}")
            outcomes.append("stored")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["refused"] * 3 + ["stored"] * 3
    assert Comment.objects.count() == 3
