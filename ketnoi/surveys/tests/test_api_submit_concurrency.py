"""The same UUID sent by 8 clients at once (a phone resending on a flaky network, a proxy
retrying) is stored once: each thread has its own database connection and its own
transaction, and the unique UUID decides. Every sender hears success."""

import threading
import uuid

import pytest
from django.db import connection
from django.test import Client

from ketnoi.surveys import services
from ketnoi.surveys.models import Response
from ketnoi.surveys.ready_forms import ready_form

from .factories import ANSWERS

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8


def _post_together(url: str, bodies: list[dict]) -> list[int]:
    barrier = threading.Barrier(len(bodies))
    statuses: list[int | str] = [0] * len(bodies)

    def send(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            statuses[i] = Client().post(url, bodies[i], content_type="application/json").status_code
        except Exception as error:  # reported in the assertion, not lost in the thread
            statuses[i] = repr(error)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


@pytest.fixture
def collection(coordinator, prog):
    form = services.form_create(actor=coordinator, programme=prog, definition=ready_form("lecture"))
    return services.collection_open(actor=coordinator, form=form, title="Bài giảng – lớp HN01")


def test_concurrent_repeats_of_one_uuid_store_one_row(collection):
    key = str(uuid.uuid4())
    url = f"/api/v1/surveys/{collection.token}/responses"
    statuses = _post_together(url, [{"uuid": key, "answers": ANSWERS}] * THREADS)
    assert sorted(statuses) == [200] * (THREADS - 1) + [201], statuses
    assert Response.objects.filter(uuid=key).count() == 1
    assert Response.objects.count() == 1


def test_concurrent_conflicting_answers_store_one_and_refuse_the_rest(collection):
    key = str(uuid.uuid4())
    url = f"/api/v1/surveys/{collection.token}/responses"
    bodies = [{"uuid": key, "answers": {**ANSWERS, "improve": f"Ý kiến {i}"}} for i in range(THREADS)]
    statuses = _post_together(url, bodies)
    assert sorted(statuses) == [201] + [409] * (THREADS - 1), statuses
    assert Response.objects.filter(uuid=key).count() == 1


def test_concurrent_last_places_are_not_overfilled(coordinator, collection):
    full = services.collection_open(actor=coordinator, form=collection.form, title="Tối đa 3 phiếu", max_responses=3)
    url = f"/api/v1/surveys/{full.token}/responses"
    statuses = _post_together(url, [{"uuid": str(uuid.uuid4()), "answers": ANSWERS} for _ in range(THREADS)])
    assert sorted(statuses) == [201] * 3 + [410] * (THREADS - 3), statuses
    assert Response.objects.filter(collection=full).count() == 3
