"""A programme figure that leaves people out says so (issue 13): an indicator counting workshop
participants by organisation type names those not classified yet ("Chưa rõ loại tổ chức", never a
bare "—") and links to the workshops where they are; that list shows only those workshops, each
linking to its rows to match; once matched, they count under their type."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from ketnoi.directory.models import OrganisationType
from ketnoi.events import services
from ketnoi.events.models import Workshop
from ketnoi.programmes.tests.factories import indicator

from .factories import make_workshop, make_workshop_today

pytestmark = pytest.mark.django_db

LAWYERS = "Hội Luật gia Việt Nam"


@pytest.fixture
def participants_indicator(coordinator, prog):
    today = timezone.localdate()
    period = ("Năm nay", today - timedelta(days=200), today + timedelta(days=200))
    made, _ = indicator(
        coordinator,
        prog,
        "P1",
        periods=((period, 10),),
        source="metric",
        metric_key="events.participants",
        disaggregations=["organisation_type"],
    )
    return made


@pytest.fixture
def walked_in(coordinator, prog):
    workshop = make_workshop_today(
        coordinator, prog, title="Hội thảo kết nối tại Cần Thơ", kind=Workshop.Kind.CONNECTING
    )
    registration = services.registration_walk_in(
        actor=coordinator, workshop=workshop, full_name="Trần Văn Đức", organisation_name=LAWYERS, consent=True
    )
    return workshop, registration


def indicator_page(prog, made):
    return f"/programmes/{prog.code}/indicators/{made.pk}/"


def test_the_indicator_names_the_unclassified_and_links_to_where_they_are(
    client_for, coordinator, prog, participants_indicator, walked_in
):
    workshop, registration = walked_in
    page = client_for(coordinator).get(indicator_page(prog, participants_indicator)).content.decode()
    assert "Chưa rõ loại tổ chức" in page
    assert f'href="/programmes/{prog.code}/events/?organisation=unknown"' in page

    services.registrations_match_organisation(
        actor=coordinator,
        workshop=workshop,
        registrations=[registration],
        new_organisation_name=LAWYERS,
        new_organisation_type=OrganisationType.CSO,
    )
    page = client_for(coordinator).get(indicator_page(prog, participants_indicator)).content.decode()
    assert "Chưa rõ loại tổ chức" not in page and "?organisation=unknown" not in page


def test_the_workshop_list_narrows_to_workshops_with_unclassified_people(client_for, coordinator, prog, walked_in):
    workshop, _ = walked_in
    clear = make_workshop(coordinator, prog, title="Hội thảo không ai chưa rõ")
    client = client_for(coordinator)
    everything = client.get(f"/programmes/{prog.code}/events/").content.decode()
    assert clear.title in everything
    assert f'/events/{workshop.pk}/?organisation=unknown#registrations">1 người chưa rõ loại tổ chức' in everything
    narrowed = client.get(f"/programmes/{prog.code}/events/?organisation=unknown").content.decode()
    assert workshop.title in narrowed and clear.title not in narrowed
    assert 'id="unknown-filter"' in narrowed


def test_when_everyone_is_classified_the_filter_says_so(client_for, coordinator, prog):
    make_workshop(coordinator, prog)
    page = client_for(coordinator).get(f"/programmes/{prog.code}/events/?organisation=unknown").content.decode()
    assert 'id="no-unknown-type"' in page


def test_the_list_costs_the_same_queries_with_unclassified_people(
    client_for, coordinator, prog, django_assert_max_num_queries
):
    for i in range(12):
        w = make_workshop_today(coordinator, prog, title=f"Hội thảo {i}")
        services.registration_walk_in(
            actor=coordinator, workshop=w, full_name=f"Người {i}", organisation_name=f"Tổ chức {i}", consent=True
        )
    client = client_for(coordinator)
    client.get(f"/programmes/{prog.code}/events/")
    with django_assert_max_num_queries(12):
        page = client.get(f"/programmes/{prog.code}/events/?organisation=unknown")
    assert page.content.decode().count("1 người chưa rõ loại tổ chức") == 12


def test_outsiders_see_no_workshop_through_the_filter(client_for, outsider, other_coordinator, prog, walked_in):
    for user in (outsider, other_coordinator):
        assert client_for(user).get(f"/programmes/{prog.code}/events/?organisation=unknown").status_code == 404


def test_the_metric_still_reports_the_unclassified_under_the_empty_category(coordinator, prog, walked_in):
    from ketnoi.core.registry import get_metric

    people = get_metric("events.participants")
    today = timezone.localdate()
    assert people.value(
        programme=prog, start=date(today.year - 1, 1, 1), end=None, disaggregate_by="organisation_type"
    ) == {"": 1}
    assert people.unknown["organisation_type"].label == "Chưa rõ loại tổ chức"
