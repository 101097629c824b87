"""The results' tallies follow the responses in the background: every TALLY_EVERY-th response
asks for its collection's tally to be brought up to date, so the results page finds at most a
few hundred responses to count when it opens."""

import uuid

import pytest

from ketnoi.surveys import services, tasks
from ketnoi.surveys.models import CollectionTally, Response

from .factories import GOOD_LECTURE, lecture_form, open_collection

pytestmark = pytest.mark.django_db


def test_every_nth_response_brings_the_tally_up_to_date(
    coordinator, prog, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(tasks, "TALLY_EVERY", 3)
    collection = open_collection(coordinator, lecture_form(coordinator, prog))
    for _ in range(7):
        with django_capture_on_commit_callbacks(execute=True):
            services.response_submit(collection=collection, uuid=uuid.uuid4(), answers=GOOD_LECTURE)
    ids = list(Response.objects.order_by("id").values_list("id", flat=True))
    last_due = max(i for i in ids if i % 3 == 0)
    tally = CollectionTally.objects.get(collection=collection)
    # Counted through the last response that asked (the tests' task backend runs at once).
    assert tally.through_id == last_due and tally.responses == ids.index(last_due) + 1
    assert tally.counts  # the answers were counted, not only the responses


def test_the_task_on_a_collection_without_responses_does_nothing(coordinator, prog):
    collection = open_collection(coordinator, lecture_form(coordinator, prog))
    assert tasks.collection_tally_refresh.call(collection.pk) == "no responses"
    assert not CollectionTally.objects.exists()
