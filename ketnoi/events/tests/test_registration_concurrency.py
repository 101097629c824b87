"""Registrations arriving at the same moment, each thread with its own database connection:
the last places are never given twice, the rest join the waiting list in order."""

import threading

import pytest
from django.db import connection

from ketnoi.events import services
from ketnoi.events.models import Registration

from .factories import make_workshop

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 8


def test_eight_people_for_three_places_at_once(coordinator, prog):
    workshop = make_workshop(coordinator, prog, capacity=3)
    start = threading.Barrier(THREADS)
    failures: list[BaseException] = []

    def register(index: int) -> None:
        try:
            start.wait(timeout=10)
            services.registration_submit(
                actor=None,
                workshop=workshop,
                full_name=f"Đại biểu {index}",
                email=f"d{index}@example.org",
                consent=True,
            )
        except BaseException as error:  # reported below, in the test's thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures
    statuses = list(Registration.objects.filter(workshop=workshop).values_list("status", flat=True))
    assert sorted(statuses) == ["confirmed"] * 3 + ["waiting"] * 5
    assert Registration.objects.filter(workshop=workshop, status="waiting", waiting_since__isnull=True).count() == 0
