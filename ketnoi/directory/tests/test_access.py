"""Every directory page tried by every kind of visitor: anonymous (login), no role (403 on
pages, 404 on records), reader (reads only), coordinator (everything)."""

from datetime import date

import pytest
from django.urls import reverse

from ketnoi.directory.models import Consent, PersonImport

from .factories import make_organisation, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(coordinator):
    organisation = make_organisation()
    person = make_person(organisation=organisation)
    other = make_person()
    consent = Consent.objects.create(person=person, purpose="Bản tin", given_on=date(2025, 1, 1), method="email")
    person_import = PersonImport.objects.create(filename="a.csv", summary={}, created_by=coordinator)
    return {"organisation": organisation, "person": person, "other": other, "consent": consent, "import": person_import}


# (method, url name, args, expected status for: outsider, viewer, coordinator)
PAGES = [
    ("get", "organisation_list", [], 403, 200, 200),
    ("get", "organisation_create", [], 403, 403, 200),
    ("get", "organisation_detail", ["organisation"], 404, 200, 200),
    ("get", "organisation_edit", ["organisation"], 404, 403, 200),
    ("get", "person_list", [], 403, 200, 200),
    ("get", "person_create", [], 403, 403, 200),
    ("get", "person_detail", ["person"], 404, 200, 200),
    ("get", "person_edit", ["person"], 404, 403, 200),
    ("get", "person_duplicates", [], 403, 403, 200),
    ("get", "consent_create", ["person"], 404, 403, 200),
    ("post", "consent_withdraw", ["person", "consent"], 404, 403, 302),
    ("get", "person_export", ["person"], 404, 403, 200),
    ("get", "person_erase", ["person"], 404, 403, 200),
    ("get", "people_import", [], 403, 403, 200),
    ("get", "people_import_template", [], 403, 403, 200),
    ("get", "people_import_preview", ["import"], 403, 403, 200),
    ("post", "people_import_cancel", ["import"], 403, 403, 302),
    ("post", "people_import_confirm", ["import"], 403, 403, 302),
]


def _url(objects, name, args):
    return reverse(f"directory:{name}", args=[objects[arg].pk for arg in args])


@pytest.mark.parametrize(("method", "name", "args", "outsider_status", "viewer_status", "coordinator_status"), PAGES)
def test_access_matrix(
    request, client, objects, method, name, args, outsider_status, viewer_status, coordinator_status
):
    url = _url(objects, name, args)
    response = getattr(client, method)(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for persona, expected in (("outsider", outsider_status), ("viewer", viewer_status)):
        client.force_login(request.getfixturevalue(persona))
        assert getattr(client, method)(url).status_code == expected, persona
    client.force_login(request.getfixturevalue("coordinator"))
    assert getattr(client, method)(url).status_code == coordinator_status


def test_merge_page_access(client, client_for, objects, outsider, viewer, coordinator):
    url = reverse("directory:person_merge") + f"?keep={objects['person'].pk}&remove={objects['other'].pk}"
    assert "/accounts/login/" in client.get(url)["Location"]
    assert client_for(outsider).get(url).status_code == 403
    assert client_for(viewer).get(url).status_code == 403
    assert client_for(coordinator).get(url).status_code == 200
