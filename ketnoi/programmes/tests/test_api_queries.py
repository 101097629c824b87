"""The list endpoints read a fixed number of queries however many rows they return."""

from datetime import date
from itertools import count

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ketnoi.directory.models import Organisation, OrganisationType, Province
from ketnoi.programmes import services

pytestmark = pytest.mark.django_db

N = 3
serial = count(1)


@pytest.fixture
def builders(staff_admin, coordinator, lecturer, prog):
    """{endpoint: add(n)} — each builder adds n rows to what its endpoint lists."""
    msd = Organisation.objects.create(name="Trung tâm MSD", type=OrganisationType.CSO)
    vileap = Organisation.objects.create(name="Viện ViLEAP", type=OrganisationType.ACADEMIC)
    places = list(Province.objects.filter(scheme=Province.Scheme.CURRENT, code__in=["01", "92"]))
    component = services.component_create(actor=coordinator, programme=prog, name="Đào tạo")
    agreement = services.agreement_create(
        actor=coordinator, programme=prog, title="Thoả thuận", parties=[msd, vileap], component=component
    )
    objective = services.objective_create(actor=coordinator, programme=prog, title="Năng lực", agreement=agreement)
    activity = services.activity_create(
        actor=coordinator, programme=prog, title="Giảng dạy", objective=objective, places=places, responsible=msd
    )
    indicator = services.indicator_create(
        actor=coordinator, programme=prog, code="CT0", name="Số tiết", unit="tiết", activity=activity
    )
    period = services.indicator_period_create(
        actor=coordinator,
        indicator=indicator,
        label="2026",
        start_date=date(2026, 1, 1),
        end_date=date(2026, 12, 31),
        target=40,
    )

    def programmes(n):
        for _ in range(n):
            i = next(serial)
            services.programme_create(actor=staff_admin, name=f"CT {i}", code=f"ct-{i}", coordinators=[coordinator])

    def components(n):
        for _ in range(n):
            services.component_create(actor=coordinator, programme=prog, name=f"Mảng {next(serial)}")

    def agreements(n):
        for _ in range(n):
            services.agreement_create(
                actor=coordinator,
                programme=prog,
                title=f"TT {next(serial)}",
                parties=[msd, vileap],
                component=component,
            )

    def objectives(n):
        for _ in range(n):
            services.objective_create(
                actor=coordinator, programme=prog, title=f"MT {next(serial)}", agreement=agreement
            )

    def activities(n):
        for _ in range(n):
            services.activity_create(
                actor=coordinator,
                programme=prog,
                title=f"HĐ {next(serial)}",
                objective=objective,
                agreement=agreement,
                places=places,
                responsible=vileap,
            )

    def indicators(n):
        for _ in range(n):
            services.indicator_create(
                actor=coordinator,
                programme=prog,
                code=f"CT{next(serial)}",
                name="Chỉ số",
                unit="người",
                activity=activity,
            )

    def values(n):
        for _ in range(n):
            entry = services.indicator_value_submit(
                actor=lecturer, indicator=indicator, period=period, value=next(serial), evidence="Biên bản"
            )
            services.indicator_value_review(actor=coordinator, value=entry, approve=True)

    return {
        "/": programmes,
        "/{code}/components": components,
        "/{code}/agreements": agreements,
        "/{code}/objectives": objectives,
        "/{code}/activities": activities,
        "/{code}/indicators": indicators,
        "/{code}/values": values,
        "/{code}/progress": lambda n: (indicators(n), values(n)),
    }


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/{code}/components",
        "/{code}/agreements",
        "/{code}/objectives",
        "/{code}/activities",
        "/{code}/indicators",
        "/{code}/values",
        "/{code}/progress",
    ],
)
def test_query_count_does_not_grow_with_rows(api_client, coordinator, prog, builders, path):
    call = api_client(coordinator)
    url = path.format(code=prog.code)
    add = builders[path]
    add(N)
    call("get", url)  # the token's last-use stamp is written on the first call only
    with CaptureQueriesContext(connection) as few:
        first = call("get", url)
    add(2 * N)
    with CaptureQueriesContext(connection) as many:
        second = call("get", url)
    assert first.status_code == second.status_code == 200
    if "count" in second.json():
        assert second.json()["count"] >= 3 * N
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


@pytest.mark.parametrize("persona", ["outsider", "other_coordinator"])
def test_no_role_on_the_programme_gets_404_or_an_empty_list(request, api_client, persona, prog, builders):
    for add in builders.values():
        add(1)
    call = api_client(request.getfixturevalue(persona))
    listed = call("get", "/").json()
    assert prog.code not in {row["code"] for row in listed["items"]}
    for path in builders:
        if path != "/":
            assert call("get", path.format(code=prog.code)).status_code == 404, path
