"""The agreements list, the approvals queue and the members page: their query count does not
grow with their rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ketnoi.programmes import services
from ketnoi.programmes.models import ProgrammeRole

from .factories import Y2017, indicator, organisation

pytestmark = pytest.mark.django_db


def _count(client, url: str) -> int:
    client.get(url)  # warm up: content types and sessions cached
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_agreement_list(client_for, coordinator, prog):
    def add(first: int, n: int) -> None:
        for k in range(first, first + n):
            parties = [organisation(f"Bên A {k}"), organisation(f"Bên B {k}")]
            services.agreement_create(actor=coordinator, programme=prog, title=f"Thỏa thuận {k}", parties=parties)

    client = client_for(coordinator)
    url = reverse("programmes:agreement_list", args=[prog.code])
    add(0, 2)
    small = _count(client, url)
    add(2, 4)
    assert _count(client, url) == small
    assert "Thỏa thuận 5" in client.get(url).content.decode()


def test_approvals_queue(client_for, coordinator, lecturer, prog):
    made, periods = indicator(coordinator, prog, "CT1", periods=((Y2017, 40),))

    def add(first: int, n: int) -> None:
        for k in range(first, first + n):
            services.indicator_value_submit(
                actor=lecturer, indicator=made, period=periods[0], value=k + 1, evidence=f"Biên bản số {k}"
            )

    client = client_for(coordinator)
    url = reverse("programmes:approvals", args=[prog.code])
    add(0, 2)
    small = _count(client, url)
    add(2, 4)
    assert _count(client, url) == small
    assert "Biên bản số 5" in client.get(url).content.decode()


def test_members_page(client_for, coordinator, prog, make_user):
    def add(first: int, n: int) -> None:
        for k in range(first, first + n):
            ProgrammeRole.objects.create(programme=prog, user=make_user(f"thanhvien{k}"), role="viewer")

    client = client_for(coordinator)
    url = reverse("programmes:members", args=[prog.code])
    add(0, 2)
    small = _count(client, url)
    add(2, 4)
    assert _count(client, url) == small
    assert "thanhvien5" in client.get(url).content.decode()
