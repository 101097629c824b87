"""/api/v1/programmes/{code}/objectives."""

import pytest

from ketnoi.directory.models import Organisation, OrganisationType
from ketnoi.programmes import services
from ketnoi.programmes.models import Objective

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(coordinator, prog):
    parties = [
        Organisation.objects.create(name="Trung tâm MSD", type=OrganisationType.CSO),
        Organisation.objects.create(name="Viện ViLEAP", type=OrganisationType.ACADEMIC),
    ]
    return services.agreement_create(actor=coordinator, programme=prog, title="Thoả thuận", parties=parties)


def test_create_numbers_in_turn_and_links_an_agreement(api_client, coordinator, prog, agreement):
    call = api_client(coordinator)
    first = call("post", f"/{prog.code}/objectives", {"title": "Nâng cao năng lực", "agreement_id": agreement.pk})
    assert first.status_code == 201, first.content
    assert first.json()["number"] == 1
    assert first.json()["agreement"] == {"id": agreement.pk, "title": "Thoả thuận"}
    second = call("post", f"/{prog.code}/objectives", {"title": "Kết nối mạng lưới"})
    assert second.json()["number"] == 2 and second.json()["agreement"] is None
    body = call("get", f"/{prog.code}/objectives").json()
    assert [o["number"] for o in body["items"]] == [1, 2]
    assert call("get", f"/{prog.code}/objectives/{first.json()['id']}").json()["title"] == "Nâng cao năng lực"


def test_bad_input_is_400_and_nothing_written(api_client, coordinator, staff_admin, prog, other_prog):
    services.objective_create(actor=coordinator, programme=prog, title="Một", number=1)
    elsewhere = services.agreement_create(
        actor=staff_admin,
        programme=other_prog,
        title="Khác",
        parties=[
            Organisation.objects.create(name="A", type=OrganisationType.CSO),
            Organisation.objects.create(name="B", type=OrganisationType.CSO),
        ],
    )
    call = api_client(coordinator)
    response = call("post", f"/{prog.code}/objectives", {"title": "Trùng số", "number": 1})
    assert response.status_code == 400 and "số 1" in response.json()["errors"]["number"][0]
    response = call("post", f"/{prog.code}/objectives", {"title": "X", "agreement_id": elsewhere.pk})
    assert response.status_code == 400 and "agreement_id" in response.json()["errors"]
    response = call("post", f"/{prog.code}/objectives", {"title": ""})
    assert response.status_code == 400 and "title" in response.json()["errors"]
    assert Objective.objects.count() == 1


def test_patch_sets_and_clears_the_agreement(api_client, coordinator, prog, agreement):
    objective = services.objective_create(actor=coordinator, programme=prog, title="Một")
    call = api_client(coordinator)
    url = f"/{prog.code}/objectives/{objective.pk}"
    assert call("patch", url, {"agreement_id": agreement.pk}).json()["agreement"]["id"] == agreement.pk
    response = call("patch", url, {"agreement_id": None, "description": "Chi tiết"})
    assert response.status_code == 200
    assert response.json()["agreement"] is None and response.json()["title"] == "Một"


def test_objective_of_another_programme_is_404(api_client, coordinator, staff_admin, other_prog, prog):
    elsewhere = services.objective_create(actor=staff_admin, programme=other_prog, title="Khác")
    call = api_client(coordinator)
    assert call("get", f"/{prog.code}/objectives/{elsewhere.pk}").status_code == 404
    assert call("patch", f"/{prog.code}/objectives/{elsewhere.pk}", {"title": "X"}).status_code == 404


@pytest.mark.parametrize("persona", ["outsider", "other_coordinator"])
def test_no_role_on_the_programme_is_404_and_nothing_written(request, api_client, persona, coordinator, prog):
    objective = services.objective_create(actor=coordinator, programme=prog, title="Nâng cao năng lực")
    call = api_client(request.getfixturevalue(persona))
    assert call("get", f"/{prog.code}/objectives").status_code == 404
    assert call("get", f"/{prog.code}/objectives/{objective.pk}").status_code == 404
    assert call("post", f"/{prog.code}/objectives", {"title": "Mục tiêu lạ"}).status_code == 404
    assert call("patch", f"/{prog.code}/objectives/{objective.pk}", {"title": "Đổi tên"}).status_code == 404
    assert list(Objective.objects.values_list("title", flat=True)) == ["Nâng cao năng lực"]
