import pytest
from django.utils import timezone

from ketnoi.directory.models import Person

from .factories import make_organisation, make_person, province

pytestmark = pytest.mark.django_db


def test_list_and_filters(api_client, viewer):
    msd = make_organisation("MSD")
    make_person("Nguyễn Thị Lan", organisation=msd, province=province("Cần Thơ"))
    make_person("Trần Văn Minh", sex="male")
    make_person("Đã xoá #3", erased_at=timezone.now())
    call = api_client(viewer)
    body = call("get", "/people").json()
    assert body["count"] == 2
    assert [p["full_name"] for p in call("get", "/people?q=nguyen%20lan").json()["items"]] == ["Nguyễn Thị Lan"]
    assert [p["full_name"] for p in call("get", "/people?sex=male").json()["items"]] == ["Trần Văn Minh"]
    assert call("get", f"/people?organisation_id={msd.pk}").json()["count"] == 1
    assert call("get", "/people?province=92").json()["items"][0]["province"]["code"] == "92"


def test_detail_including_erased(api_client, viewer):
    erased = make_person("Đã xoá #1", erased_at=timezone.now())
    body = api_client(viewer)("get", f"/people/{erased.pk}").json()
    assert body["erased"] is True and body["full_name"] == "Đã xoá #1"


def test_create_patch_and_duplicate_rule(api_client, coordinator):
    msd = make_organisation("MSD")
    call = api_client(coordinator)
    payload = {"full_name": "Nguyễn Thị Lan", "sex": "female", "phone": "0912345678", "organisation_id": msd.pk}
    response = call("post", "/people", payload)
    assert response.status_code == 201
    created = response.json()
    assert created["organisation"]["id"] == msd.pk and created["sex"] == "female"
    response = call("post", "/people", {**payload, "full_name": "nguyen thi lan", "phone": "+84 912 345 678"})
    assert response.status_code == 400 and "Vẫn tạo mới" in response.json()["detail"]
    assert Person.objects.count() == 1
    assert call("post", "/people", {**payload, "allow_duplicate": True}).status_code == 201
    response = call("patch", f"/people/{created['id']}", {"position": "Giám đốc", "province_code": "01"})
    assert response.status_code == 200
    assert response.json()["position"] == "Giám đốc" and response.json()["phone"] == "0912345678"


def test_bad_input_is_400_and_nothing_written(api_client, coordinator):
    call = api_client(coordinator)
    response = call("post", "/people", {"full_name": "Lan", "birth_year": 1800})
    assert response.status_code == 400 and "birth_year" in response.json()["errors"]
    response = call("post", "/people", {"full_name": "Lan", "organisation_id": 12345})
    assert response.status_code == 400 and "organisation_id" in response.json()["errors"]
    assert Person.objects.count() == 0
    person = make_person(erased_at=timezone.now())
    assert call("patch", f"/people/{person.pk}", {"position": "X"}).status_code == 400


def test_viewer_reads_but_cannot_write(api_client, viewer):
    person = make_person()
    call = api_client(viewer)
    assert call("get", f"/people/{person.pk}").status_code == 200
    assert call("post", "/people", {"full_name": "X"}).status_code == 403
    assert call("patch", f"/people/{person.pk}", {"full_name": "X"}).status_code == 403
    assert Person.objects.count() == 1


def test_outsider_sees_nothing(api_client, outsider):
    person = make_person()
    call = api_client(outsider)
    assert call("get", "/people").status_code == 403
    assert call("get", f"/people/{person.pk}").status_code == 404
    assert call("patch", f"/people/{person.pk}", {"full_name": "X"}).status_code == 404
    assert call("post", "/people", {"full_name": "X"}).status_code == 403


def test_anonymous_gets_401(client):
    person = make_person()
    assert client.get("/api/v1/directory/people").status_code == 401
    assert client.get(f"/api/v1/directory/people/{person.pk}").status_code == 401
    assert client.patch(f"/api/v1/directory/people/{person.pk}", {}, content_type="application/json").status_code == 401


def test_patch_null_clears_an_optional_text_and_refuses_a_required_one(api_client, coordinator):
    person = make_person("Trần Văn Bình", position="Cán bộ", email="binh@example.org", phone="0912345678")
    call = api_client(coordinator)
    nulls = {"position": None, "email": None, "phone": None, "birth_year": None, "sex": None}
    response = call("patch", f"/people/{person.pk}", nulls)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["position"], body["email"], body["phone"], body["birth_year"]) == ("", "", "", None)
    refused = call("patch", f"/people/{person.pk}", {"full_name": None})
    assert refused.status_code == 400 and refused.json()["errors"]["full_name"]
    person.refresh_from_db()
    assert person.full_name == "Trần Văn Bình"


def test_an_organisation_id_no_database_holds_is_a_400(api_client, coordinator):
    person = make_person("Trần Văn Bình")
    call = api_client(coordinator)
    huge = 10**20
    assert call("patch", f"/people/{person.pk}", {"organisation_id": huge}).status_code == 400
    assert call("post", "/people", {"full_name": "Lê Thị C", "organisation_id": huge}).status_code == 400
    listed = call("get", f"/people?organisation_id={huge}")
    assert listed.status_code == 400 and str(huge) in listed.json()["detail"]
