"""/api/v1/programmes/{code}/progress: the dashboard tree as JSON."""

from datetime import date

import pytest

from ketnoi.programmes import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(coordinator, lecturer, prog):
    objective = services.objective_create(actor=coordinator, programme=prog, title="Nâng cao năng lực")
    activity = services.activity_create(actor=coordinator, programme=prog, title="Đồng giảng dạy", objective=objective)
    taught = services.indicator_create(
        actor=coordinator, programme=prog, code="CT1", name="Số tiết", unit="tiết", activity=activity
    )
    learners = services.indicator_create(
        actor=coordinator,
        programme=prog,
        code="CT2",
        name="Số học viên",
        unit="người",
        objective=objective,
        disaggregations=["sex"],
    )
    loose = services.indicator_create(actor=coordinator, programme=prog, code="CT3", name="Số bài báo", unit="bài")
    periods = {}
    for indicator, target in [(taught, 40), (learners, 100), (loose, 2)]:
        periods[indicator.code] = services.indicator_period_create(
            actor=coordinator,
            indicator=indicator,
            label="2025",
            start_date=date(2025, 1, 1),
            end_date=date(2025, 12, 31),
            target=target,
        )

    def approved(indicator, value, **extra):
        entry = services.indicator_value_submit(
            actor=lecturer,
            indicator=indicator,
            period=periods[indicator.code],
            value=value,
            evidence="Biên bản",
            **extra,
        )
        return services.indicator_value_review(actor=coordinator, value=entry, approve=True)

    approved(taught, 30)
    approved(learners, 50)
    approved(learners, 30, disaggregation="sex", category="female")
    approved(learners, 20, disaggregation="sex", category="male")
    services.indicator_value_submit(
        actor=lecturer, indicator=taught, period=periods["CT1"], value=10, evidence="Chờ duyệt"
    )
    return objective, activity


def test_progress_tree(api_client, viewer, prog, plan):
    objective, activity = plan
    response = api_client(viewer)("get", f"/{prog.code}/progress")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["programme"]["code"] == prog.code and body["pending"] == 1
    assert body["percent"] == "62.5"  # mean of 75 % and 50 %; CT3 has no actual yet
    first, rest = body["objectives"]
    assert first["objective"] == {"id": objective.pk, "number": 1, "title": "Nâng cao năng lực"}
    assert first["percent"] == "62.5"
    [learners] = first["indicators"]
    assert (learners["code"], learners["target"], learners["actual"], learners["percent"]) == (
        "CT2",
        "100.00",
        "50.00",
        "50.0",
    )
    assert learners["breakdowns"]["sex"] == [
        {"category": "female", "label": "Nữ", "value": "30.00", "share": "60.0"},
        {"category": "male", "label": "Nam", "value": "20.00", "share": "40.0"},
    ]
    [branch] = first["activities"]
    assert branch["activity"]["id"] == activity.pk and branch["percent"] == "75.0"
    [taught] = branch["indicators"]
    assert taught["pending"] == 1 and taught["actual"] == "30.00"
    [year] = taught["periods"]
    assert year["label"] == "2025" and year["start_date"] == "2025-01-01"
    assert (year["target"], year["actual"], year["cumulative_actual"], year["percent"]) == (
        "40.00",
        "30.00",
        "30.00",
        "75.0",
    )
    assert rest["objective"] is None and [i["code"] for i in rest["indicators"]] == ["CT3"]
    assert rest["indicators"][0]["actual"] is None and rest["indicators"][0]["percent"] is None


def test_empty_programme(api_client, coordinator, prog):
    body = api_client(coordinator)("get", f"/{prog.code}/progress").json()
    assert body == {"programme": body["programme"], "percent": None, "pending": 0, "objectives": []}


@pytest.mark.parametrize("persona", ["outsider", "other_coordinator"])
def test_no_role_on_the_programme_is_404(request, api_client, persona, prog, plan):
    assert api_client(request.getfixturevalue(persona))("get", f"/{prog.code}/progress").status_code == 404
