"""Submissions arriving at the same moment, each thread with its own database connection: a
UUID sent eight times at once is stored once, and a cap is never overshot."""

import json
import threading
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from ketnoi.surveys import services
from ketnoi.surveys.models import Response
from ketnoi.surveys.ready_forms import ready_form

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 8
ANSWERS = {"participant_type": "cso", "useful": 4, "met_new_partners": "yes", "partners_count": 3}


@pytest.fixture
def workshop(coordinator, prog):
    def make(**options):
        form = services.form_create(actor=coordinator, programme=prog, definition=ready_form("workshop"))
        return services.collection_open(actor=coordinator, form=form, title="Hội thảo Đà Nẵng", **options)

    return make


def post_at_once(collection, payloads: list[dict]) -> list[int]:
    """POST every payload from its own thread, all released together; the status codes."""
    url = reverse("respond:submit", args=[collection.token])
    start = threading.Barrier(len(payloads))
    statuses: list[int | None] = [None] * len(payloads)
    failures: list[BaseException] = []

    def send(index: int, payload: dict) -> None:
        try:
            client = Client()
            start.wait(timeout=10)
            response = client.post(url, json.dumps(payload), content_type="application/json")
            statuses[index] = response.status_code
        except BaseException as error:  # reported below, in the test's thread
            failures.append(error)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=send, args=(i, p)) for i, p in enumerate(payloads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures
    return statuses


def test_one_uuid_sent_eight_times_at_once_is_stored_once(workshop):
    collection = workshop()
    payload = {"uuid": str(uuid.uuid4()), "answers": ANSWERS, "version": 1}
    statuses = post_at_once(collection, [payload] * THREADS)
    assert sorted(statuses) == [200] * (THREADS - 1) + [201]
    assert Response.objects.filter(uuid=payload["uuid"]).count() == 1
    assert Response.objects.count() == 1


def test_a_cap_is_not_overshot_by_simultaneous_answers(workshop):
    collection = workshop(max_responses=3)
    payloads = [{"uuid": str(uuid.uuid4()), "answers": ANSWERS} for _ in range(THREADS)]
    statuses = post_at_once(collection, payloads)
    assert sorted(statuses) == [201] * 3 + [410] * (THREADS - 3)
    assert Response.objects.filter(collection=collection).count() == 3
