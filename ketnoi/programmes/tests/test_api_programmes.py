"""/api/v1/programmes/: programmes and their components, and the published schema."""

from datetime import date

import pytest

from ketnoi.core.models import AuditEntry
from ketnoi.core.roles import Role
from ketnoi.programmes import services
from ketnoi.programmes.models import Component, Programme, ProgrammeRole

pytestmark = pytest.mark.django_db


def test_list_paginates_and_shows_dates_as_iso(api_client, staff_admin, prog, other_prog):
    services.programme_update(
        actor=staff_admin, programme=prog, start_date=date(2026, 1, 1), end_date=date(2027, 12, 31)
    )
    call = api_client(staff_admin)
    body = call("get", "/").json()
    assert body["count"] == 2
    assert [p["code"] for p in body["items"]] == ["khac", "thu-nghiem"]
    assert body["items"][1]["start_date"] == "2026-01-01" and body["items"][1]["end_date"] == "2027-12-31"
    page = call("get", "/?limit=1&offset=1").json()
    assert page["count"] == 2 and [p["code"] for p in page["items"]] == ["thu-nghiem"]


def test_detail_includes_components(api_client, coordinator, prog):
    services.component_create(actor=coordinator, programme=prog, name="Nghiên cứu", order=2)
    services.component_create(actor=coordinator, programme=prog, name="Đào tạo", order=1)
    body = api_client(coordinator)("get", f"/{prog.code}").json()
    assert body["name"] == "Chương trình thử nghiệm"
    assert [(c["order"], c["name"]) for c in body["components"]] == [(1, "Đào tạo"), (2, "Nghiên cứu")]


def test_staff_creates_a_programme_with_its_first_coordinators(api_client, staff_admin, outsider):
    response = api_client(staff_admin)(
        "post",
        "/",
        {"name": "Kết Nối 2026", "code": "Ket-Noi-2026", "start_date": "2026-01-01", "coordinators": ["outsider"]},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"] == "ket-noi-2026" and body["components"] == []
    assert ProgrammeRole.objects.filter(programme__code="ket-noi-2026", user=outsider, role=Role.COORDINATOR).exists()
    # The new coordinator now sees it.
    assert api_client(outsider)("get", "/ket-noi-2026").status_code == 200


def test_create_refuses_bad_input_and_writes_nothing(api_client, staff_admin, prog):
    call = api_client(staff_admin)
    response = call("post", "/", {"name": "X", "code": "x", "coordinators": ["ai-do"]})
    assert response.status_code == 400 and "ai-do" in response.json()["errors"]["coordinators"][0]
    response = call("post", "/", {"name": "X", "code": "x", "start_date": "2026-12-31", "end_date": "2026-01-01"})
    assert response.status_code == 400
    assert "31/12/2026" in response.json()["errors"]["end_date"][0]
    response = call("post", "/", {"name": "Trùng", "code": prog.code})
    assert response.status_code == 400 and "code" in response.json()["errors"]
    response = call("post", "/", {"name": " ", "code": "y"})
    assert response.status_code == 400 and response.json()["errors"]["name"] == ["Hãy nhập tên chương trình."]
    assert call("post", "/", {"name": "Thiếu mã"}).status_code == 422  # schema errors stay ninja's 422
    assert Programme.objects.count() == 1 and not ProgrammeRole.objects.exists()


def test_coordinator_updates_only_the_fields_sent(api_client, coordinator, prog):
    call = api_client(coordinator)
    response = call("patch", f"/{prog.code}", {"description": "Hợp tác đào tạo", "start_date": "2026-01-01"})
    assert response.status_code == 200
    assert response.json()["description"] == "Hợp tác đào tạo" and response.json()["name"] == prog.name
    response = call("patch", f"/{prog.code}", {"end_date": "2025-06-30"})
    assert response.status_code == 400 and "end_date" in response.json()["errors"]
    prog.refresh_from_db()
    assert prog.end_date is None and prog.description == "Hợp tác đào tạo"
    assert AuditEntry.objects.filter(action="programmes.programme_update").count() == 1


def test_viewer_cannot_change_the_programme(api_client, viewer, prog):
    response = api_client(viewer)("patch", f"/{prog.code}", {"name": "Đổi tên"})
    assert response.status_code == 403 and "điều phối viên" in response.json()["detail"]
    prog.refresh_from_db()
    assert prog.name == "Chương trình thử nghiệm"


def test_components_create_order_and_update(api_client, coordinator, prog):
    call = api_client(coordinator)
    first = call("post", f"/{prog.code}/components", {"name": "Đào tạo"})
    second = call("post", f"/{prog.code}/components", {"name": "Nghiên cứu", "description": "Khảo sát"})
    assert first.status_code == second.status_code == 201
    assert (first.json()["order"], second.json()["order"]) == (1, 2)
    response = call("patch", f"/{prog.code}/components/{first.json()['id']}", {"name": "  "})
    assert response.status_code == 400 and "name" in response.json()["errors"]
    response = call("patch", f"/{prog.code}/components/{first.json()['id']}", {"order": 3})
    assert response.status_code == 200
    assert [c["name"] for c in call("get", f"/{prog.code}/components").json()["items"]] == ["Nghiên cứu", "Đào tạo"]


def test_a_component_of_another_programme_is_404(api_client, coordinator, staff_admin, prog, other_prog):
    elsewhere = services.component_create(actor=staff_admin, programme=other_prog, name="Khác")
    call = api_client(coordinator)
    assert call("get", f"/{prog.code}/components/{elsewhere.pk}").status_code == 404
    assert call("patch", f"/{prog.code}/components/{elsewhere.pk}", {"name": "X"}).status_code == 404
    assert Component.objects.get(pk=elsewhere.pk).name == "Khác"


def test_unknown_programme_is_404(api_client, coordinator):
    assert api_client(coordinator)("get", "/khong-co").status_code == 404


def test_openapi_schema_lists_the_programme_paths(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/api/v1/programmes/",
        "/api/v1/programmes/{code}",
        "/api/v1/programmes/{code}/agreements",
        "/api/v1/programmes/{code}/agreements/{agreement_id}",
        "/api/v1/programmes/{code}/objectives",
        "/api/v1/programmes/{code}/activities/{activity_id}",
        "/api/v1/programmes/{code}/indicators/{indicator_id}",
        "/api/v1/programmes/{code}/indicators/{indicator_id}/periods",
        "/api/v1/programmes/{code}/indicators/{indicator_id}/periods/{period_id}",
        "/api/v1/programmes/{code}/indicators/{indicator_id}/values",
        "/api/v1/programmes/{code}/values",
        "/api/v1/programmes/{code}/values/{value_id}/review",
        "/api/v1/programmes/{code}/progress",
    ]:
        assert path in paths, path
    assert set(paths["/api/v1/programmes/{code}/agreements"]) == {"get", "post"}


def test_a_new_code_is_stored_in_lower_case_like_on_creation(api_client, coordinator, prog):
    call = api_client(coordinator)
    response = call("patch", f"/{prog.code}", {"code": "Ket-Noi"})
    assert response.status_code == 200 and response.json()["code"] == "ket-noi"
    assert call("get", "/ket-noi").status_code == 200
