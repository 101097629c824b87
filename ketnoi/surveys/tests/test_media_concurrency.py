"""Responses with files arriving at the same moment, each thread with its own database
connection: one UUID is stored once with one copy of its files, the losers of a conflict leave no
file behind, and a cap is never overshot (run on SQLite and on PostgreSQL)."""

import threading
import uuid
from pathlib import Path

import pytest
from django.db import connection

from ketnoi.core.tests import media_samples as samples
from ketnoi.surveys.models import Response, ResponseAttachment
from ketnoi.surveys.services import SubmissionRefused, response_submit

from .media_builders import image_bytes, media_form, upload

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 6


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def submit_at_once(collection, submissions: list[tuple[uuid.UUID, bytes]]) -> list[object]:
    """Submit (uuid, photo) from its own thread each, all released together: "created",
    "duplicate" or the refusal's status."""
    start = threading.Barrier(len(submissions))
    outcomes: list[object] = [None] * len(submissions)
    failures: list[BaseException] = []

    def send(index: int, response_uuid: uuid.UUID, photo: bytes) -> None:
        try:
            start.wait(timeout=10)
            _, created = response_submit(
                collection=collection,
                uuid=response_uuid,
                answers={"photo": "a.jpg"},
                files={"a.jpg": upload("a.jpg", photo)},
            )
            outcomes[index] = "created" if created else "duplicate"
        except SubmissionRefused as refused:
            outcomes[index] = refused.status
        except BaseException as error:  # reported below, in the test's thread
            failures.append(error)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=send, args=(i, *s)) for i, s in enumerate(submissions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures
    return outcomes


def test_one_uuid_with_its_photo_sent_at_once_is_stored_once(prog, media_root):
    collection = media_form(prog)
    response_uuid = uuid.uuid4()
    outcomes = submit_at_once(collection, [(response_uuid, samples.JPEG)] * THREADS)
    assert sorted(outcomes) == ["created"] + ["duplicate"] * (THREADS - 1)
    assert Response.objects.count() == 1 and ResponseAttachment.objects.count() == 1
    assert len(stored_files(media_root)) == 1


def test_one_uuid_with_different_photos_keeps_one_and_no_loser_file(prog, media_root):
    collection = media_form(prog)
    response_uuid = uuid.uuid4()
    photos = [image_bytes("PNG", size=(8, 8), colour=(i, 0, 0, 255)) for i in range(THREADS)]
    outcomes = submit_at_once(collection, [(response_uuid, photo) for photo in photos])
    assert sorted(outcomes, key=str) == [409] * (THREADS - 1) + ["created"]
    kept = ResponseAttachment.objects.get()
    assert stored_files(media_root) == [Path(kept.file.path)]


def test_a_cap_is_not_overshot_and_refused_files_are_not_kept(prog, media_root):
    collection = media_form(prog, max_responses=2)
    outcomes = submit_at_once(collection, [(uuid.uuid4(), samples.JPEG) for _ in range(THREADS)])
    assert sorted(outcomes, key=str) == [410] * (THREADS - 2) + ["created"] * 2
    assert ResponseAttachment.objects.count() == 2 and len(stored_files(media_root)) == 2
