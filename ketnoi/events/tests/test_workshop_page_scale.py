"""The workshop's page at scale (issue 14, bench/scale.py: a workshop with 500 registrations):
the registrations list comes a page at a time, its filters, the ticked rows and the #registrations
anchor kept in the page links; the figures above it count the whole workshop in one aggregate;
the rows' buttons share one form; the queries do not grow with the registrations."""

import re

import pytest

from ketnoi.core.text import fold
from ketnoi.core.web import PER_PAGE
from ketnoi.events.models import Registration
from ketnoi.events.registrations_match import GROUPS_SHOWN

from .factories import make_workshop

pytestmark = pytest.mark.django_db

Status = Registration.Status

# session, user, roles, programme, workshop, the header; the figures (one aggregate), how many
# rows and a page of them, organisations, agenda, questions, materials, the typed groups, the
# breakdown, the audit: the same for 3 rows as for a page and more
QUERIES = 20
TICKED = re.compile(r'id="select-\d+" checked>')


def url(workshop, query=""):
    return f"/programmes/{workshop.programme.code}/events/{workshop.pk}/{query}"


def _rows(workshop, n: int, *, status=Status.PENDING, typed: str = "", start: int = 0) -> list[Registration]:
    """`n` registrations inserted at once (what is tested is the reading of many, not their
    creation), named so that they sort in the order made."""
    made = Registration.objects.bulk_create(
        Registration(
            workshop=workshop,
            full_name=f"Người số {start + i:04d}",
            name_folded=fold(f"Người số {start + i:04d}"),
            organisation_name=typed,
            status=status,
            checkin_code=f"{start + i:06d}",
        )
        for i in range(n)
    )
    return list(Registration.objects.filter(pk__in=[r.pk for r in made]).order_by("pk"))


@pytest.fixture
def workshop(coordinator, prog):
    return make_workshop(coordinator, prog, needs_approval=True)


@pytest.mark.parametrize("n", [3, PER_PAGE + 10])
def test_the_page_costs_the_same_queries_however_many_registrations(
    n, client_for, coordinator, workshop, django_assert_num_queries
):
    _rows(workshop, n)
    client = client_for(coordinator)
    client.get(url(workshop))  # the session and the language settle
    with django_assert_num_queries(QUERIES):
        html = client.get(url(workshop)).content.decode()
    assert html.count('type="checkbox" name="registration"') == min(n, PER_PAGE)
    # Every row's buttons belong to one form: no form (nor token) per row.
    assert html.count('form="registration-row-form"') == 2 * min(n, PER_PAGE)
    assert html.count('id="registration-row-form"') == 1 and "Duyệt</button></form>" not in html
    assert f"{n} chờ duyệt" in html


def test_the_list_comes_a_page_at_a_time_keeping_the_filter_and_the_anchor(client_for, coordinator, workshop):
    pending = _rows(workshop, PER_PAGE + 5)
    _rows(workshop, 7, status=Status.CONFIRMED, start=1000)
    client = client_for(coordinator)
    first = client.get(url(workshop, "?status=pending&select=all")).content.decode()
    assert first.count('type="checkbox" name="registration"') == PER_PAGE
    assert len(TICKED.findall(first)) == PER_PAGE  # "select all" ticks this page's rows
    assert "Trang 1/2" in first
    next_link = re.search(r'<a href="([^"]+)" rel="next"', first).group(1)
    assert next_link == "?status=pending&amp;page=2#registrations"  # the filter kept, "select all" not
    second = client.get(url(workshop, "?status=pending&page=2")).content.decode()
    assert second.count('type="checkbox" name="registration"') == 5
    assert f'id="select-{pending[-1].pk}"' in second and f'id="select-{pending[0].pk}"' not in second
    # The figures and the filter's counts are the whole workshop's, whatever the page.
    assert f"{PER_PAGE + 5} chờ duyệt" in second and "7 đã xác nhận" in second
    assert f"Chờ duyệt ({PER_PAGE + 5})</option>" in second and "Đã xác nhận (7)</option>" in second
    # The noscript "select all on this page" link stays on this page with its filter.
    assert 'href="?status=pending&amp;select=all&amp;page=2#registrations"' in second
    # A page past the end shows the last one, never an error.
    assert client.get(url(workshop, "?status=pending&page=99")).status_code == 200


def test_a_ticked_group_larger_than_a_page_is_matched_whole(client_for, coordinator, workshop):
    group = _rows(workshop, PER_PAGE + 4, typed="Hội Luật gia Việt Nam")
    _rows(workshop, 3, status=Status.CONFIRMED, start=1000)
    client = client_for(coordinator)
    html = client.get(url(workshop)).content.decode()
    link = re.search(r'href="([^"]*)">Chọn cả nhóm để gắn tổ chức', html).group(1).replace("&amp;", "&")
    ticked = client.get(link).content.decode()
    # The ticked rows come first; those beyond the page go with the form as hidden fields.
    assert len(TICKED.findall(ticked)) == PER_PAGE
    assert "Đã chọn thêm 4 người ở trang khác của danh sách." in ticked
    hidden = re.findall(r'type="hidden" name="registration" value="(\d+)" form="organisation-match-form">', ticked)
    shown = re.findall(
        r'name="registration" value="(\d+)" form="organisation-match-form" id="select-\d+" checked', ticked
    )
    assert sorted(int(pk) for pk in hidden + shown) == [r.pk for r in group]


def test_the_largest_typed_groups_are_offered_and_the_rest_are_in_the_filtered_list(client_for, coordinator, workshop):
    for k in range(GROUPS_SHOWN + 3):
        _rows(workshop, 2 if k < GROUPS_SHOWN else 1, typed=f"Tổ chức số {k:02d}", start=100 * k)
    html = client_for(coordinator).get(url(workshop)).content.decode()
    assert html.count("Chọn cả nhóm để gắn tổ chức") == GROUPS_SHOWN
    assert "Còn 3 tên khác, mỗi tên ít người hơn:" in html and "Tổ chức số 00" in html
    assert f"Tổ chức số {GROUPS_SHOWN:02d}" not in html.split('id="typed-groups-more"')[0].split('id="typed-groups"')[1]


def test_the_row_buttons_still_approve_and_cancel_one_row(client_for, coordinator, workshop):
    first, second = _rows(workshop, 2)
    client = client_for(coordinator)
    html = client.get(url(workshop)).content.decode()
    assert f'formaction="{url(workshop, f"registrations/{first.pk}/")}" name="action" value="approve"' in html
    client.post(url(workshop, f"registrations/{first.pk}/"), {"action": "approve"})
    client.post(url(workshop, f"registrations/{second.pk}/"), {"action": "cancel"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Status.CONFIRMED and second.status == Status.CANCELLED


@pytest.mark.parametrize("persona", ["outsider", "other_coordinator"])
def test_others_get_no_page_of_the_list(request, client_for, workshop, persona):
    _rows(workshop, PER_PAGE + 1)
    response = client_for(request.getfixturevalue(persona)).get(url(workshop, "?page=2&status=pending"))
    assert response.status_code in (403, 404) and "Người số" not in response.content.decode()


def test_a_bad_page_or_status_shows_the_list_not_an_error(client_for, coordinator, workshop):
    _rows(workshop, 3)
    client = client_for(coordinator)
    for query in ("?page=abc", "?page=-1", "?status=xoa", "?organisation=x&page=0"):
        response = client.get(url(workshop, query))
        assert response.status_code == 200 and response.content.decode().count('name="registration" value=') == 3
