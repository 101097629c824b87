"""The workshop list at scale (issue 14, bench/scale.py): past workshops come a page at a time,
counted for that page only, so neither the queries nor the page grow with the years."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ketnoi.core.web import PER_PAGE
from ketnoi.events.models import Workshop
from ketnoi.events.tests.factories import make_workshop, register

# session, user, the user's roles, the programme and the header's reads; the upcoming workshops
# with their counts, how many past ones, a page of them, that page's counts
LIST_QUERIES = 9


def _past(coordinator, prog, n: int, *, registrations: int = 1) -> list[Workshop]:
    """`n` workshops that are over, oldest first; the first three with registrations. Inserted
    at once: what is tested is the reading of many, not their creation."""
    starts = timezone.now() - timedelta(days=400)
    made = Workshop.objects.bulk_create(
        Workshop(
            programme=prog,
            title=f"Hội thảo đã qua số {i + 1}",
            starts_at=starts + timedelta(days=i),
            ends_at=starts + timedelta(days=i, hours=4),
            registration=Workshop.Registration.PUBLIC,
            created_by=coordinator,
        )
        for i in range(n)
    )
    for w in made[:3]:
        for k in range(registrations):
            register(w, f"Nguyễn Văn {w.pk} {k}", actor=coordinator)
    return made


@pytest.mark.parametrize("n", [3, 30])
def test_the_list_costs_the_same_queries_however_many_past_workshops(
    n, client_for, coordinator, prog, django_assert_num_queries
):
    _past(coordinator, prog, n, registrations=2)
    make_workshop(coordinator, prog, title="Hội thảo sắp tới")
    client = client_for(coordinator)
    client.get(f"/programmes/{prog.code}/events/")
    with django_assert_num_queries(LIST_QUERIES):
        page = client.get(f"/programmes/{prog.code}/events/").content.decode()
    assert page.count('class="workshop-card"') == n + 1
    assert "Hội thảo sắp tới" in page and "2 đăng ký" in page


def test_past_workshops_come_a_page_at_a_time_newest_first(client_for, coordinator, prog):
    made = _past(coordinator, prog, PER_PAGE + 3, registrations=0)
    client = client_for(coordinator)
    first = client.get(f"/programmes/{prog.code}/events/").content.decode()
    assert first.count('class="workshop-card"') == PER_PAGE
    assert made[-1].title in first and f"{made[0].title}<" not in first
    assert "Trang 1/2" in first and 'rel="next"' in first
    second = client.get(f"/programmes/{prog.code}/events/?page=2").content.decode()
    assert second.count('class="workshop-card"') == 3
    assert f"{made[0].title}<" in second
    # a page number that is no number shows the first page, never an error
    assert client.get(f"/programmes/{prog.code}/events/?page=x").status_code == 200
