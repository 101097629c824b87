"""The agreements list, the approvals queue and the members page: their query count does not
grow with their rows."""

import pytest
from django.urls import reverse

from ketnoi.programmes import services
from ketnoi.programmes.models import ProgrammeRole

from .factories import Y2017, indicator, organisation
from .query_counts import page_queries

pytestmark = pytest.mark.django_db


def _assert_constant(client, url: str, add, last: str) -> None:
    """Two rows, then six: the page makes as many queries and shows the last one added."""
    add(0, 2)
    small = page_queries(client, url)
    add(2, 4)
    assert page_queries(client, url) == small
    assert last in client.get(url).content.decode()


def test_agreement_list(client_for, coordinator, prog):
    def add(first: int, n: int) -> None:
        for k in range(first, first + n):
            parties = [organisation(f"Bên A {k}"), organisation(f"Bên B {k}")]
            services.agreement_create(actor=coordinator, programme=prog, title=f"Thoả thuận {k}", parties=parties)

    url = reverse("programmes:agreement_list", args=[prog.code])
    _assert_constant(client_for(coordinator), url, add, "Thoả thuận 5")


def test_approvals_queue(client_for, coordinator, lecturer, prog):
    made, periods = indicator(coordinator, prog, "CT1", periods=((Y2017, 40),))

    def add(first: int, n: int) -> None:
        for k in range(first, first + n):
            services.indicator_value_submit(
                actor=lecturer, indicator=made, period=periods[0], value=k + 1, evidence=f"Biên bản số {k}"
            )

    url = reverse("programmes:approvals", args=[prog.code])
    _assert_constant(client_for(coordinator), url, add, "Biên bản số 5")


def test_members_page(client_for, coordinator, prog, make_user):
    def add(first: int, n: int) -> None:
        for k in range(first, first + n):
            ProgrammeRole.objects.create(programme=prog, user=make_user(f"thanhvien{k}"), role="viewer")

    url = reverse("programmes:members", args=[prog.code])
    _assert_constant(client_for(coordinator), url, add, "thanhvien5")


@pytest.mark.parametrize("persona", ["outsider", "other_coordinator"])
def test_no_role_on_the_programme_gets_404(request, client_for, prog, persona):
    client = client_for(request.getfixturevalue(persona))
    for name in ("agreement_list", "approvals", "members"):
        assert client.get(reverse(f"programmes:{name}", args=[prog.code])).status_code == 404, name
