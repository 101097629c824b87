import pytest
from django.urls import reverse

from ketnoi.directory.models import PersonImport

from .factories import make_organisation, make_person

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["province", "organisation", "person", "personimport", "erasurerequest"])
def test_staff_back_office_pages_load(client_for, staff_admin, model):
    person = make_person("Nguyễn Thị Lan", organisation=make_organisation("Trung tâm Đào tạo"))
    PersonImport.objects.create(filename="a.csv", summary={"total": 0}, created_by=staff_admin)
    client = client_for(staff_admin)
    response = client.get(reverse(f"admin:directory_{model}_changelist"), {"q": "dao tao"})
    assert response.status_code == 200
    if model == "person":
        assert client.get(reverse("admin:directory_person_change", args=[person.pk])).status_code == 200
        assert (
            "Nguyễn Thị Lan"
            in client.get(reverse("admin:directory_person_changelist"), {"q": "nguyen"}).content.decode()
        )


def test_non_staff_cannot_use_the_back_office(client_for, coordinator):
    response = client_for(coordinator).get(reverse("admin:directory_person_changelist"))
    assert response.status_code == 302


@pytest.mark.parametrize("model", ["province", "organisation", "person", "personimport", "erasurerequest"])
def test_outsider_is_sent_to_the_back_office_login(client_for, outsider, model):
    response = client_for(outsider).get(reverse(f"admin:directory_{model}_changelist"))
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
