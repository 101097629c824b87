"""/api/v1/programmes/{code}/activities: places go in as current province codes."""

import pytest

from ketnoi.directory.models import Organisation, OrganisationType, Province
from ketnoi.programmes import services
from ketnoi.programmes.models import Activity

pytestmark = pytest.mark.django_db


def _current(code: str) -> Province:
    return Province.objects.get(code=code, scheme=Province.Scheme.CURRENT)


@pytest.fixture
def msd():
    return Organisation.objects.create(name="Trung tâm MSD", short_name="MSD", type=OrganisationType.CSO)


@pytest.fixture
def objective(coordinator, prog):
    return services.objective_create(actor=coordinator, programme=prog, title="Nâng cao năng lực")


def test_create_with_places_responsible_and_quantity(api_client, coordinator, prog, objective, msd):
    response = api_client(coordinator)(
        "post",
        f"/{prog.code}/activities",
        {
            "title": "Đồng giảng dạy",
            "objective_id": objective.pk,
            "places": ["92", "01"],
            "responsible_id": msd.pk,
            "planned_quantity": "40",
            "unit": "tiết",
            "quantity_basis": "mỗi học kỳ",
            "start_date": "2026-09-01",
            "end_date": "2027-01-31",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"] == 1
    assert body["objective"] == {"id": objective.pk, "number": 1, "title": "Nâng cao năng lực"}
    assert sorted(p["code"] for p in body["places"]) == ["01", "92"]
    assert {p["scheme"] for p in body["places"]} == {"2025"}
    assert body["responsible"] == {"id": msd.pk, "name": "Trung tâm MSD", "short_name": "MSD"}
    assert body["planned_quantity"] == "40.00"
    assert body["start_date"] == "2026-09-01"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"places": ["93"]}, "places"),  # Hậu Giang: a legacy unit only
        ({"places": ["99"]}, "places"),
        ({"responsible_id": 999999}, "responsible_id"),
        ({"objective_id": 999999}, "objective_id"),
        ({"start_date": "2026-09-01", "end_date": "2026-08-31"}, "end_date"),
        ({"planned_quantity": -5, "unit": "tiết"}, "planned_quantity"),
        ({"planned_quantity": 5}, "unit"),
    ],
)
def test_bad_input_is_400_and_nothing_written(api_client, coordinator, prog, change, field):
    response = api_client(coordinator)("post", f"/{prog.code}/activities", {"title": "Hội thảo", **change})
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert not Activity.objects.exists()


def test_patch_keeps_a_legacy_place_the_activity_already_has(api_client, coordinator, prog):
    activity = services.activity_create(actor=coordinator, programme=prog, title="Khảo sát", places=[_current("92")])
    legacy = Province.objects.get(code="93", scheme=Province.Scheme.LEGACY)
    activity.places.add(legacy)  # recorded before the 2025 merger
    call = api_client(coordinator)
    url = f"/{prog.code}/activities/{activity.pk}"
    response = call("patch", url, {"title": "Khảo sát nhu cầu"})
    assert response.status_code == 200
    assert sorted((p["code"], p["scheme"]) for p in response.json()["places"]) == [("92", "2025"), ("93", "legacy")]
    response = call("patch", url, {"places": ["93", "01"]})
    assert response.status_code == 200
    assert sorted(p["code"] for p in response.json()["places"]) == ["01", "93"]
    response = call("patch", url, {"places": ["01"]})
    assert [p["code"] for p in response.json()["places"]] == ["01"]
    # Once dropped, the legacy unit cannot come back.
    response = call("patch", url, {"places": ["93"]})
    assert response.status_code == 400 and "93" in response.json()["errors"]["places"][0]


def test_activity_of_another_programme_is_404(api_client, coordinator, staff_admin, other_prog, prog):
    elsewhere = services.activity_create(actor=staff_admin, programme=other_prog, title="Khác")
    call = api_client(coordinator)
    assert call("get", f"/{prog.code}/activities/{elsewhere.pk}").status_code == 404
    assert call("patch", f"/{prog.code}/activities/{elsewhere.pk}", {"title": "X"}).status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.title == "Khác"


@pytest.mark.parametrize("persona", ["outsider", "other_coordinator"])
def test_no_role_on_the_programme_is_404_and_nothing_written(
    request, api_client, persona, coordinator, prog, objective
):
    activity = services.activity_create(actor=coordinator, programme=prog, title="Đồng giảng dạy", objective=objective)
    call = api_client(request.getfixturevalue(persona))
    assert call("get", f"/{prog.code}/activities").status_code == 404
    assert call("get", f"/{prog.code}/activities/{activity.pk}").status_code == 404
    assert call("post", f"/{prog.code}/activities", {"title": "Hoạt động lạ"}).status_code == 404
    assert call("patch", f"/{prog.code}/activities/{activity.pk}", {"title": "Đổi tên"}).status_code == 404
    assert list(Activity.objects.values_list("title", flat=True)) == ["Đồng giảng dạy"]
