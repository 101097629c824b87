"""/api/v1/programmes/{code}/agreements: cooperation agreements between organisations."""

from datetime import date

import pytest

from ketnoi.core.models import AuditEntry
from ketnoi.directory.models import Organisation, OrganisationType
from ketnoi.programmes import services
from ketnoi.programmes.models import Agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def msd():
    return Organisation.objects.create(name="Trung tâm MSD", short_name="MSD", type=OrganisationType.CSO)


@pytest.fixture
def vileap():
    return Organisation.objects.create(name="Viện ViLEAP", type=OrganisationType.ACADEMIC)


@pytest.fixture
def academy():
    return Organisation.objects.create(name="Học viện Hành chính", type=OrganisationType.STATE_AGENCY)


@pytest.fixture
def agreement(coordinator, prog, msd, vileap):
    return services.agreement_create(
        actor=coordinator, programme=prog, title="Thoả thuận MSD – ViLEAP", parties=[msd, vileap]
    )


def test_create_answers_with_parties_component_and_iso_dates(api_client, coordinator, prog, msd, vileap):
    component = services.component_create(actor=coordinator, programme=prog, name="Đào tạo")
    response = api_client(coordinator)(
        "post",
        f"/{prog.code}/agreements",
        {
            "title": "Thoả thuận đồng giảng dạy",
            "parties": [msd.pk, vileap.pk],
            "component_id": component.pk,
            "signed_on": "2026-03-15",
            "start_date": "2026-04-01",
            "end_date": "2028-03-31",
            "purpose": "Đồng giảng dạy môn Kỹ năng lãnh đạo",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert {p["id"] for p in body["parties"]} == {msd.pk, vileap.pk}
    assert {"id": msd.pk, "name": "Trung tâm MSD", "short_name": "MSD"} in body["parties"]
    assert body["component"] == {"id": component.pk, "name": "Đào tạo"}
    assert body["signed_on"] == "2026-03-15" and body["end_date"] == "2028-03-31"
    assert body["document"] is None
    assert AuditEntry.objects.filter(action="programmes.agreement_create").count() == 1
    detail = api_client(coordinator)("get", f"/{prog.code}/agreements/{body['id']}").json()
    assert detail == body


def test_list(api_client, viewer, prog, agreement):
    body = api_client(viewer)("get", f"/{prog.code}/agreements").json()
    assert body["count"] == 1 and body["items"][0]["title"] == "Thoả thuận MSD – ViLEAP"
    assert len(body["items"][0]["parties"]) == 2


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"start_date": "2026-12-31", "end_date": "2026-01-01"}, "end_date", "01/01/2026"),
        ({"parties": "one"}, "parties", "ít nhất hai bên"),
        ({"parties": "unknown"}, "parties", "999999"),
        ({"title": "  "}, "title", "Hãy nhập tên thoả thuận"),
        ({"component_id": "elsewhere"}, "component_id", "không có mảng"),
    ],
)
def test_bad_input_is_400_with_the_fields_message_and_nothing_written(
    api_client, coordinator, staff_admin, prog, other_prog, msd, vileap, change, field, words
):
    payload = {"title": "Thoả thuận", "parties": [msd.pk, vileap.pk], **change}
    if change.get("parties") == "one":
        payload["parties"] = [msd.pk, msd.pk]
    elif change.get("parties") == "unknown":
        payload["parties"] = [msd.pk, 999999]
    if change.get("component_id") == "elsewhere":
        payload["component_id"] = services.component_create(actor=staff_admin, programme=other_prog, name="X").pk
    call = api_client(coordinator)
    audit_before = AuditEntry.objects.count()
    response = call("post", f"/{prog.code}/agreements", payload)
    assert response.status_code == 400, response.content
    assert words in " ".join(response.json()["errors"][field])
    assert Agreement.objects.count() == 0 and AuditEntry.objects.count() == audit_before


def test_patch_replaces_parties_only_when_sent(api_client, coordinator, prog, agreement, msd, academy):
    call = api_client(coordinator)
    url = f"/{prog.code}/agreements/{agreement.pk}"
    response = call("patch", url, {"purpose": "Nghiên cứu chung"})
    assert response.status_code == 200 and len(response.json()["parties"]) == 2
    response = call("patch", url, {"parties": [msd.pk, academy.pk]})
    assert response.status_code == 200
    assert {p["name"] for p in response.json()["parties"]} == {"Trung tâm MSD", "Học viện Hành chính"}
    assert response.json()["purpose"] == "Nghiên cứu chung"


def test_patch_refused_leaves_the_agreement_as_it_was(api_client, coordinator, prog, agreement, msd):
    call = api_client(coordinator)
    url = f"/{prog.code}/agreements/{agreement.pk}"
    response = call("patch", url, {"title": "Mới", "parties": [msd.pk]})
    assert response.status_code == 400 and "parties" in response.json()["errors"]
    response = call("patch", url, {"title": "Mới", "parties": [msd.pk, 424242]})
    assert response.status_code == 400 and "424242" in response.json()["errors"]["parties"][0]
    agreement.refresh_from_db()
    assert agreement.title == "Thoả thuận MSD – ViLEAP" and agreement.parties.count() == 2


def test_viewer_gets_403_before_ids_are_checked(api_client, viewer, prog, agreement):
    call = api_client(viewer)
    assert call("post", f"/{prog.code}/agreements", {"title": "X", "parties": [1, 999999]}).status_code == 403
    assert call("patch", f"/{prog.code}/agreements/{agreement.pk}", {"component_id": 999999}).status_code == 403


def test_agreement_of_another_programme_is_404(api_client, coordinator, staff_admin, prog, other_prog, msd, vileap):
    elsewhere = services.agreement_create(
        actor=staff_admin, programme=other_prog, title="Khác", parties=[msd, vileap], start_date=date(2026, 1, 1)
    )
    call = api_client(coordinator)
    assert call("get", f"/{prog.code}/agreements/{elsewhere.pk}").status_code == 404
    assert call("patch", f"/{prog.code}/agreements/{elsewhere.pk}", {"title": "X"}).status_code == 404
    assert call("get", f"/{other_prog.code}/agreements/{elsewhere.pk}").status_code == 404


def test_schema_says_documents_are_uploaded_on_the_web_page(client):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert "web page" in schemas["AgreementIn"]["description"]
    assert "document" not in schemas["AgreementIn"]["properties"]


@pytest.mark.parametrize("persona", ["outsider", "other_coordinator"])
def test_no_role_on_the_programme_is_404_and_nothing_written(
    request, api_client, persona, prog, agreement, msd, vileap
):
    call = api_client(request.getfixturevalue(persona))
    assert call("get", f"/{prog.code}/agreements").status_code == 404
    assert call("get", f"/{prog.code}/agreements/{agreement.pk}").status_code == 404
    payload = {"title": "Thoả thuận lạ", "parties": [msd.pk, vileap.pk]}
    assert call("post", f"/{prog.code}/agreements", payload).status_code == 404
    assert call("patch", f"/{prog.code}/agreements/{agreement.pk}", {"purpose": "Khác"}).status_code == 404
    assert list(Agreement.objects.values_list("title", "purpose")) == [("Thoả thuận MSD – ViLEAP", "")]


@pytest.mark.parametrize("huge", [10**19, 2**63, -(2**63) - 1])
def test_an_id_no_database_holds_is_a_400_naming_it(api_client, coordinator, prog, msd, agreement, huge):
    """A 20-digit id in `parties` reached the database: OverflowError, a 500."""
    call = api_client(coordinator)
    for method, path in (("post", "/agreements"), ("patch", f"/agreements/{agreement.pk}")):
        for body in (
            {"title": "Thoả thuận mới", "parties": [msd.pk, huge]},
            {"title": "Thoả thuận mới", "parties": [msd.pk], "component_id": huge},
        ):
            response = call(method, f"/{prog.code}{path}", body)
            assert response.status_code == 400, (method, body, response.content)
            assert str(huge) in response.json()["detail"]
    assert Agreement.objects.count() == 1
