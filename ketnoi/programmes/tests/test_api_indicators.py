"""/api/v1/programmes/{code}/indicators and their periods with targets."""

from datetime import date

import pytest

from ketnoi.core.models import AuditEntry
from ketnoi.programmes import services
from ketnoi.programmes.models import Indicator, IndicatorPeriod

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator(coordinator, prog):
    return services.indicator_create(
        actor=coordinator, programme=prog, code="CT1", name="Số tiết đồng giảng dạy", unit="tiết"
    )


@pytest.fixture
def period(coordinator, indicator):
    return services.indicator_period_create(
        actor=coordinator,
        indicator=indicator,
        label="2026",
        start_date=date(2026, 1, 1),
        end_date=date(2026, 12, 31),
        target=40,
    )


def test_create_list_and_detail_with_periods(api_client, coordinator, prog):
    activity = services.activity_create(
        actor=coordinator,
        programme=prog,
        title="Đồng giảng dạy",
        objective=services.objective_create(actor=coordinator, programme=prog, title="Năng lực"),
    )
    call = api_client(coordinator)
    response = call(
        "post",
        f"/{prog.code}/indicators",
        {
            "code": "CT1",
            "name": "Số học viên",
            "unit": "người",
            "kind": "amount",
            "activity_id": activity.pk,
            "baseline": "12.5",
            "frequency": "semester",
            "disaggregations": ["sex", "province"],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["activity"]["id"] == activity.pk
    assert body["objective"]["id"] == activity.objective_id  # taken from the activity
    assert body["baseline"] == "12.50" and body["frequency"] == "semester" and body["source"] == "manual"
    assert body["kind"] == "amount"
    assert body["disaggregations"] == ["sex", "province"] and body["periods"] == []
    indicator_id = body["id"]
    response = call(
        "post",
        f"/{prog.code}/indicators/{indicator_id}/periods",
        {"label": "HK1 2026", "start_date": "2026-01-01", "end_date": "2026-06-30", "target": 20},
    )
    assert response.status_code == 201, response.content
    assert response.json()["target"] == "20.00" and response.json()["start_date"] == "2026-01-01"
    detail = call("get", f"/{prog.code}/indicators/{indicator_id}").json()
    assert [(p["label"], p["target"]) for p in detail["periods"]] == [("HK1 2026", "20.00")]
    listed = call("get", f"/{prog.code}/indicators").json()
    assert listed["count"] == 1 and "periods" not in listed["items"][0]


def test_metric_indicator(api_client, coordinator, prog):
    call = api_client(coordinator)
    payload = {"code": "M1", "name": "Số thoả thuận", "unit": "thoả thuận", "source": "metric"}
    response = call("post", f"/{prog.code}/indicators", {**payload, "metric_key": "khong.co"})
    assert response.status_code == 400 and "khong.co" in response.json()["errors"]["metric_key"][0]
    response = call("post", f"/{prog.code}/indicators", {**payload, "metric_key": "programmes.agreements_signed"})
    assert response.status_code == 201 and response.json()["metric_key"] == "programmes.agreements_signed"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"code": "ct1"}, "code"),  # taken, whatever the case
        ({"name": " "}, "name"),
        ({"unit": ""}, "unit"),
        ({"objective_id": 999999}, "objective_id"),
        ({"activity_id": 999999}, "activity_id"),
    ],
)
def test_bad_indicator_is_400_and_nothing_written(api_client, coordinator, prog, indicator, change, field):
    payload = {"code": "CT2", "name": "Số người", "unit": "người", **change}
    response = api_client(coordinator)("post", f"/{prog.code}/indicators", payload)
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert Indicator.objects.count() == 1


def test_unknown_choice_is_a_schema_error(api_client, coordinator, prog):
    call = api_client(coordinator)
    payload = {"code": "CT2", "name": "Số người", "unit": "người"}
    assert call("post", f"/{prog.code}/indicators", {**payload, "disaggregations": ["age"]}).status_code == 422
    assert call("post", f"/{prog.code}/indicators", {**payload, "frequency": "weekly"}).status_code == 422
    assert not Indicator.objects.exists()


def test_patch_indicator(api_client, coordinator, prog, indicator, period):
    call = api_client(coordinator)
    url = f"/{prog.code}/indicators/{indicator.pk}"
    response = call("patch", url, {"cumulative": False, "disaggregations": ["sex"]})
    assert response.status_code == 200
    body = response.json()
    assert body["cumulative"] is False and body["disaggregations"] == ["sex"] and body["code"] == "CT1"
    assert [p["id"] for p in body["periods"]] == [period.pk]
    response = call("patch", url, {"name": ""})
    assert response.status_code == 400 and "name" in response.json()["errors"]


@pytest.mark.parametrize(
    ("payload", "field", "words"),
    [
        ({"label": "2027", "start_date": "2027-01-01", "end_date": "2027-12-31", "target": -1}, "target", "không âm"),
        (
            {"label": "2027", "start_date": "2027-12-31", "end_date": "2027-01-01", "target": 5},
            "end_date",
            "01/01/2027",
        ),
        ({"label": "2026", "start_date": "2027-01-01", "end_date": "2027-12-31", "target": 5}, "label", "2026"),
        ({"label": "2026b", "start_date": "2026-06-01", "end_date": "2027-05-31", "target": 5}, "start_date", "trùng"),
    ],
)
def test_bad_period_is_400_and_nothing_written(api_client, coordinator, prog, indicator, period, payload, field, words):
    call = api_client(coordinator)
    audit_before = AuditEntry.objects.count()
    response = call("post", f"/{prog.code}/indicators/{indicator.pk}/periods", payload)
    assert response.status_code == 400, response.content
    assert words in response.json()["errors"][field][0]
    assert IndicatorPeriod.objects.count() == 1 and AuditEntry.objects.count() == audit_before


def test_patch_period(api_client, coordinator, prog, indicator, period):
    call = api_client(coordinator)
    url = f"/{prog.code}/indicators/{indicator.pk}/periods/{period.pk}"
    response = call("patch", url, {"target": "45"})
    assert response.status_code == 200 and response.json()["target"] == "45.00"
    assert response.json()["label"] == "2026"
    response = call("patch", url, {"target": -3})
    assert response.status_code == 400 and "target" in response.json()["errors"]
    period.refresh_from_db()
    assert period.target == 45


def test_period_of_another_indicator_is_404(api_client, coordinator, prog, indicator, period):
    other = services.indicator_create(actor=coordinator, programme=prog, code="CT2", name="Khác", unit="người")
    response = api_client(coordinator)(
        "patch", f"/{prog.code}/indicators/{other.pk}/periods/{period.pk}", {"target": 1}
    )
    assert response.status_code == 404


def test_viewer_cannot_add_a_period(api_client, viewer, prog, indicator):
    payload = {"label": "2027", "start_date": "2027-01-01", "end_date": "2027-12-31", "target": 5}
    response = api_client(viewer)("post", f"/{prog.code}/indicators/{indicator.pk}/periods", payload)
    assert response.status_code == 403 and not IndicatorPeriod.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "other_coordinator"])
def test_no_role_on_the_programme_is_404_and_nothing_written(request, api_client, persona, prog, indicator, period):
    call = api_client(request.getfixturevalue(persona))
    base = f"/{prog.code}/indicators"
    assert call("get", base).status_code == 404
    assert call("get", f"{base}/{indicator.pk}").status_code == 404
    assert call("post", base, {"code": "CT9", "name": "Chỉ số lạ", "unit": "người"}).status_code == 404
    assert call("patch", f"{base}/{indicator.pk}", {"name": "Đổi tên"}).status_code == 404
    new_period = {"label": "2027", "start_date": "2027-01-01", "end_date": "2027-12-31", "target": 10}
    assert call("post", f"{base}/{indicator.pk}/periods", new_period).status_code == 404
    assert call("patch", f"{base}/{indicator.pk}/periods/{period.pk}", {"target": 1}).status_code == 404
    assert list(Indicator.objects.values_list("name", flat=True)) == ["Số tiết đồng giảng dạy"]
    assert list(IndicatorPeriod.objects.values_list("label", "target")) == [("2026", 40)]
