"""A person's page asks the apps that hold personal data who holds the person once, not once for
the edit rights and again for the history (issue 14, bench/scale.py)."""

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .factories import make_organisation, make_person

pytestmark = pytest.mark.django_db


def _statements(client, url: str) -> list[str]:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def test_no_statement_runs_twice_on_a_persons_page(client_for, coordinator):
    person = make_person("Trần Văn Bình", organisation=make_organisation("Hội Luật gia"), email="binh@example.org")
    statements = _statements(client_for(coordinator), reverse("directory:person_detail", args=[person.pk]))
    repeated = {sql: n for sql, n in Counter(statements).items() if n > 1}
    assert not repeated


def test_the_page_costs_the_same_for_a_steward_and_a_reader(client_for, coordinator, viewer):
    person = make_person("Lê Thị Hoa")
    url = reverse("directory:person_detail", args=[person.pk])
    assert len(_statements(client_for(viewer), url)) <= len(_statements(client_for(coordinator), url))
