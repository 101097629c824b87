"""Every programme endpoint tried by every persona: the coordinator works, a viewer reads but
may not write, someone without a role on the programme (an outsider, another programme's
coordinator) gets 404 and an empty list, no token gets 401. A refused write leaves no trace."""

from datetime import date
from types import SimpleNamespace

import pytest

from ketnoi.core.models import AuditEntry
from ketnoi.directory.models import Organisation, OrganisationType, Province
from ketnoi.programmes import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(prog, coordinator, lecturer):
    """A small plan of `prog`, built through the services, with one value waiting for approval."""
    msd = Organisation.objects.create(name="Trung tâm MSD", type=OrganisationType.CSO)
    vileap = Organisation.objects.create(name="Viện ViLEAP", type=OrganisationType.ACADEMIC)
    component = services.component_create(actor=coordinator, programme=prog, name="Đào tạo")
    agreement = services.agreement_create(
        actor=coordinator, programme=prog, title="Thoả thuận MSD – ViLEAP", parties=[msd, vileap], component=component
    )
    objective = services.objective_create(
        actor=coordinator, programme=prog, title="Nâng cao năng lực", agreement=agreement
    )
    activity = services.activity_create(
        actor=coordinator,
        programme=prog,
        title="Đồng giảng dạy",
        objective=objective,
        places=[Province.objects.get(code="92", scheme=Province.Scheme.CURRENT)],
        responsible=msd,
        planned_quantity=40,
        unit="tiết",
    )
    indicator = services.indicator_create(
        actor=coordinator, programme=prog, code="CT1", name="Số tiết đồng giảng dạy", unit="tiết", activity=activity
    )
    period = services.indicator_period_create(
        actor=coordinator,
        indicator=indicator,
        label="2026",
        start_date=date(2026, 1, 1),
        end_date=date(2026, 12, 31),
        target=40,
    )
    value = services.indicator_value_submit(
        actor=lecturer, indicator=indicator, period=period, value=12, evidence="Danh sách điểm danh"
    )
    return SimpleNamespace(
        code=prog.code,
        msd=msd.pk,
        vileap=vileap.pk,
        component=component.pk,
        agreement=agreement.pk,
        objective=objective.pk,
        activity=activity.pk,
        indicator=indicator.pk,
        period=period.pk,
        value=value.pk,
    )


# (method, path, body, status for the programme's coordinator)
ENDPOINTS = [
    ("get", "/", None, 200),
    ("post", "/", lambda p: {"name": "Chương trình mới", "code": "moi"}, 403),  # staff admins only
    ("get", "/{code}", None, 200),
    ("patch", "/{code}", lambda p: {"description": "Mô tả mới"}, 200),
    ("get", "/{code}/components", None, 200),
    ("post", "/{code}/components", lambda p: {"name": "Nghiên cứu"}, 201),
    ("get", "/{code}/components/{component}", None, 200),
    ("patch", "/{code}/components/{component}", lambda p: {"description": "Mảng đào tạo"}, 200),
    ("get", "/{code}/agreements", None, 200),
    ("post", "/{code}/agreements", lambda p: {"title": "Thoả thuận 2", "parties": [p.msd, p.vileap]}, 201),
    ("get", "/{code}/agreements/{agreement}", None, 200),
    ("patch", "/{code}/agreements/{agreement}", lambda p: {"purpose": "Đồng giảng dạy"}, 200),
    ("get", "/{code}/objectives", None, 200),
    ("post", "/{code}/objectives", lambda p: {"title": "Mục tiêu thứ hai"}, 201),
    ("get", "/{code}/objectives/{objective}", None, 200),
    ("patch", "/{code}/objectives/{objective}", lambda p: {"description": "Chi tiết"}, 200),
    ("get", "/{code}/activities", None, 200),
    ("post", "/{code}/activities", lambda p: {"title": "Hội thảo", "places": ["01"]}, 201),
    ("get", "/{code}/activities/{activity}", None, 200),
    ("patch", "/{code}/activities/{activity}", lambda p: {"quantity_basis": "mỗi học kỳ"}, 200),
    ("get", "/{code}/indicators", None, 200),
    ("post", "/{code}/indicators", lambda p: {"code": "CT2", "name": "Số người tham gia", "unit": "người"}, 201),
    ("get", "/{code}/indicators/{indicator}", None, 200),
    ("patch", "/{code}/indicators/{indicator}", lambda p: {"name": "Số tiết đồng giảng"}, 200),
    (
        "post",
        "/{code}/indicators/{indicator}/periods",
        lambda p: {"label": "2027", "start_date": "2027-01-01", "end_date": "2027-12-31", "target": "45"},
        201,
    ),
    ("patch", "/{code}/indicators/{indicator}/periods/{period}", lambda p: {"target": 50}, 200),
    (
        "post",
        "/{code}/indicators/{indicator}/values",
        lambda p: {"period_id": p.period, "value": 8, "evidence": "Biên bản buổi học"},
        201,
    ),
    ("get", "/{code}/values", None, 200),
    ("get", "/{code}/values/{value}", None, 200),
    ("post", "/{code}/values/{value}/review", lambda p: {"approve": True}, 200),
    ("get", "/{code}/progress", None, 200),
]
PERSONAS = ["coordinator", "staff_admin", "viewer", "outsider", "other_coordinator", "anonymous"]


def _expected(persona: str, method: str, path: str, coordinator_status: int) -> int:
    if persona == "anonymous":
        return 401
    if persona == "coordinator":
        return coordinator_status
    if persona == "staff_admin":
        return 201 if (method, path) == ("post", "/") else coordinator_status
    if persona == "viewer":
        return 200 if method == "get" else 403
    # No role on the programme: it does not exist for them.
    if path == "/":
        return 200 if method == "get" else 403
    return 404


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("method", "path", "body", "coordinator_status"), ENDPOINTS, ids=[f"{m} {p}" for m, p, _b, _s in ENDPOINTS]
)
def test_access_matrix(request, client, api_client, plan, persona, method, path, body, coordinator_status):
    url = path.format(**vars(plan))
    data = body(plan) if body else None
    if persona == "anonymous":
        kwargs = {"data": data, "content_type": "application/json"} if data is not None else {}
        call = lambda method, path, data=None: getattr(client, method)(f"/api/v1/programmes{path}", **kwargs)  # noqa: E731
    else:
        call = api_client(request.getfixturevalue(persona))
    audit_before = AuditEntry.objects.count()
    response = call(method, url, data)
    expected = _expected(persona, method, path, coordinator_status)
    assert response.status_code == expected, response.content
    if expected >= 400:
        assert AuditEntry.objects.count() == audit_before, "a refused request wrote something"
        assert "detail" in response.json()


@pytest.mark.parametrize("persona", ["outsider", "other_coordinator"])
def test_programme_list_shows_only_own_programmes(request, api_client, plan, other_prog, persona):
    body = api_client(request.getfixturevalue(persona))("get", "/").json()
    expected = [other_prog.code] if persona == "other_coordinator" else []
    assert [p["code"] for p in body["items"]] == expected and body["count"] == len(expected)


PATCHES = {
    "/{code}": ["name", "code", "description", "start_date", "end_date"],
    "/{code}/components/{component}": ["name", "description", "order"],
    "/{code}/agreements/{agreement}": ["title", "parties", "component_id", "signed_on", "purpose"],
    "/{code}/objectives/{objective}": ["title", "number", "description", "agreement_id"],
    "/{code}/activities/{activity}": [
        "title",
        "number",
        "objective_id",
        "places",
        "responsible_id",
        "planned_quantity",
        "unit",
        "quantity_basis",
        "start_date",
    ],
    "/{code}/indicators/{indicator}": [
        "code",
        "name",
        "unit",
        "activity_id",
        "baseline",
        "baseline_date",
        "frequency",
        "cumulative",
        "disaggregations",
        "source",
        "metric_key",
    ],
    "/{code}/indicators/{indicator}/periods/{period}": ["label", "start_date", "end_date", "target"],
}


@pytest.mark.parametrize(("path", "field"), [(path, field) for path, fields in PATCHES.items() for field in fields])
def test_null_in_a_patch_is_an_answer_never_a_crash(api_client, coordinator, plan, path, field):
    """Null clears an optional field, leaves a list as it is, and is refused for a required one."""
    response = api_client(coordinator)("patch", path.format(**vars(plan)), {field: None})
    assert response.status_code in (200, 400), response.content
    if response.status_code == 400:
        assert response.json()["errors"]
