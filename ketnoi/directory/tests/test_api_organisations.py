import pytest

from ketnoi.core.models import AuditEntry
from ketnoi.directory.models import Organisation

from .factories import make_organisation, province

pytestmark = pytest.mark.django_db


def test_list_filters_and_paginates(api_client, viewer):
    make_organisation("Trung tâm Đào tạo Phát triển", short_name="TTĐT", province=province("Hà Nội"))
    make_organisation("Sở Nội vụ Cần Thơ", type="state_agency", province=province("Cần Thơ"))
    make_organisation("Hội cũ", province=province("Hậu Giang", scheme="legacy"))
    call = api_client(viewer)
    response = call("get", "/organisations")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3 and len(body["items"]) == 3
    assert call("get", "/organisations?q=dao%20tao").json()["items"][0]["short_name"] == "TTĐT"
    assert [o["name"] for o in call("get", "/organisations?type=state_agency").json()["items"]] == ["Sở Nội vụ Cần Thơ"]
    names = {o["name"] for o in call("get", "/organisations?province=92").json()["items"]}
    assert names == {"Sở Nội vụ Cần Thơ", "Hội cũ"}
    page = call("get", "/organisations?limit=1&offset=1").json()
    assert page["count"] == 3 and len(page["items"]) == 1
    assert call("get", "/organisations?province=99").status_code == 400


def test_detail_shape(api_client, viewer):
    parent = make_organisation("Học viện", short_name="NPA")
    child = make_organisation("Viện", parent=parent, province=province("Hậu Giang", scheme="legacy"))
    body = api_client(viewer)("get", f"/organisations/{child.pk}").json()
    assert body["parent"] == {"id": parent.pk, "name": "Học viện", "short_name": "NPA"}
    assert body["province"] == {"code": "93", "name": "Tỉnh Hậu Giang", "scheme": "legacy"}
    assert body["type"] == "cso" and body["type_label"] == "Tổ chức xã hội"


def test_create_and_patch(api_client, coordinator):
    call = api_client(coordinator)
    response = call(
        "post", "/organisations", {"name": "Hội LHPN TP.HCM", "type": "mass_organisation", "province_code": "79"}
    )
    assert response.status_code == 201
    created = response.json()
    assert created["province"]["name"] == "Thành phố Hồ Chí Minh"
    assert AuditEntry.objects.filter(action="directory.organisation_create").count() == 1
    response = call("patch", f"/organisations/{created['id']}", {"short_name": "Hội LHPN"})
    assert response.status_code == 200 and response.json()["short_name"] == "Hội LHPN"
    assert response.json()["province"]["code"] == "79"  # untouched fields stay


def test_bad_input_is_400_with_field_messages_and_nothing_written(api_client, coordinator):
    call = api_client(coordinator)
    response = call("post", "/organisations", {"name": " ", "type": "cso"})
    assert response.status_code == 400 and "name" in response.json()["errors"]
    assert call("post", "/organisations", {"name": "X", "type": "club"}).status_code == 422
    response = call("post", "/organisations", {"name": "X", "type": "cso", "province_code": "93"})
    assert response.status_code == 400 and "province_code" in response.json()["errors"]
    response = call("post", "/organisations", {"name": "X", "type": "cso", "parent_id": 999})
    assert response.status_code == 400 and "parent_id" in response.json()["errors"]
    assert Organisation.objects.count() == 0


def test_parent_cycle_is_400(api_client, coordinator):
    academy = make_organisation("Học viện")
    institute = make_organisation("Viện", parent=academy)
    response = api_client(coordinator)("patch", f"/organisations/{academy.pk}", {"parent_id": institute.pk})
    assert response.status_code == 400 and "không thể trực thuộc" in response.json()["detail"]


def test_viewer_reads_but_cannot_write(api_client, viewer):
    organisation = make_organisation("Cũ")
    call = api_client(viewer)
    assert call("get", f"/organisations/{organisation.pk}").status_code == 200
    assert call("post", "/organisations", {"name": "X", "type": "cso"}).status_code == 403
    assert call("patch", f"/organisations/{organisation.pk}", {"name": "Mới"}).status_code == 403
    organisation.refresh_from_db()
    assert organisation.name == "Cũ" and Organisation.objects.count() == 1


def test_outsider_sees_nothing(api_client, outsider):
    organisation = make_organisation()
    call = api_client(outsider)
    assert call("get", "/organisations").status_code == 403
    assert call("get", f"/organisations/{organisation.pk}").status_code == 404
    assert call("patch", f"/organisations/{organisation.pk}", {"name": "X"}).status_code == 404
    assert call("post", "/organisations", {"name": "X", "type": "cso"}).status_code == 403
    assert Organisation.objects.count() == 1


def test_anonymous_gets_401(client):
    organisation = make_organisation()
    assert client.get("/api/v1/directory/organisations").status_code == 401
    assert client.get(f"/api/v1/directory/organisations/{organisation.pk}").status_code == 401
    assert client.post("/api/v1/directory/organisations", {}, content_type="application/json").status_code == 401


def test_session_auth_works_too(client_for, viewer):
    make_organisation()
    assert client_for(viewer).get("/api/v1/directory/organisations").status_code == 200


def test_unknown_id_is_404(api_client, coordinator):
    assert api_client(coordinator)("get", "/organisations/999").status_code == 404


def test_patch_null_clears_an_optional_text_and_refuses_a_required_one(api_client, coordinator):
    """null for a text field reached the NOT NULL column: a 500. Now null clears an optional text
    (as "" does) and a required field answers 400 with the service's message."""
    organisation = make_organisation("Trung tâm A", short_name="TTA", website="https://a.example", phone="0912345678")
    call = api_client(coordinator)
    nulls = {"short_name": None, "website": None, "email": None, "phone": None, "province_code": None}
    response = call("patch", f"/organisations/{organisation.pk}", nulls)
    assert response.status_code == 200, response.content
    assert {k: response.json()[k] for k in ("short_name", "website", "email", "phone")} == dict.fromkeys(
        ("short_name", "website", "email", "phone"), ""
    )
    for required in ("name", "type"):
        refused = call("patch", f"/organisations/{organisation.pk}", {required: None})
        assert refused.status_code == 400, (required, refused.content)
        assert refused.json()["errors"][required]
    organisation.refresh_from_db()
    assert organisation.name == "Trung tâm A" and organisation.type
