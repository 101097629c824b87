import json
from datetime import date

import pytest
from django.urls import reverse

from ketnoi.directory.models import Consent

from .factories import make_person

pytestmark = pytest.mark.django_db


def test_consent_is_recorded_from_the_person_page(client_for, coordinator):
    person = make_person(birth_year=1985)
    client = client_for(coordinator)
    url = reverse("directory:consent_create", args=[person.pk])
    assert "dd/mm/yyyy" in client.get(url).content.decode()
    response = client.post(url, {"purpose": "Nhận thư mời", "given_on": "01/03/2025", "method": "written"})
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert consent.given_on == date(2025, 3, 1)
    content = client.get(reverse("directory:person_detail", args=[person.pk])).content.decode()
    assert "Nhận thư mời" in content and "01/03/2025" in content


def test_consent_for_a_child_asks_for_the_guardian(client_for, coordinator):
    child = make_person(birth_year=2015)
    url = reverse("directory:consent_create", args=[child.pk])
    response = client_for(coordinator).post(url, {"purpose": "Chụp ảnh", "given_on": "01/03/2025", "method": "written"})
    content = response.content.decode()
    assert response.status_code == 200 and 'id="id_guardian_name_error"' in content and "16 tuổi" in content
    assert Consent.objects.count() == 0


def test_consent_withdraw(client_for, coordinator, viewer):
    person = make_person()
    consent = Consent.objects.create(person=person, purpose="Bản tin", given_on=date(2025, 1, 1), method="email")
    url = reverse("directory:consent_withdraw", args=[person.pk, consent.pk])
    assert client_for(viewer).post(url).status_code == 403
    assert client_for(coordinator).get(url).status_code == 405
    response = client_for(coordinator).post(url)
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_on is not None
    other = make_person()
    assert (
        client_for(coordinator).post(reverse("directory:consent_withdraw", args=[other.pk, consent.pk])).status_code
        == 404
    )


def test_consent_pages_for_readers_and_outsiders(client_for, viewer, outsider):
    person = make_person()
    url = reverse("directory:consent_create", args=[person.pk])
    assert (
        client_for(viewer).post(url, {"purpose": "X", "given_on": "01/01/2025", "method": "email"}).status_code == 403
    )
    assert (
        client_for(outsider).post(url, {"purpose": "X", "given_on": "01/01/2025", "method": "email"}).status_code == 404
    )
    assert Consent.objects.count() == 0


def test_export_downloads_json_with_vietnamese_intact(client_for, coordinator):
    person = make_person("Nguyễn Thị Lan", email="lan@example.org")
    Consent.objects.create(person=person, purpose="Chụp ảnh", given_on=date(2025, 1, 1), method="email")
    response = client_for(coordinator).get(reverse("directory:person_export", args=[person.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="nguoi-{person.pk}.json"'
    assert "Nguyễn Thị Lan" in response.content.decode()  # ensure_ascii=False
    data = json.loads(response.content)
    assert data["person"]["email"] == "lan@example.org"
    assert data["data"]["directory"]["consents"][0]["purpose"] == "Chụp ảnh"


def test_erase_needs_the_typed_confirmation(client_for, coordinator):
    person = make_person("Nguyễn Thị Lan", email="lan@example.org")
    client = client_for(coordinator)
    url = reverse("directory:person_erase", args=[person.pk])
    assert "Gõ XOÁ để xác nhận" in client.get(url).content.decode()
    response = client.post(url, {"confirmation": "có"})
    assert response.status_code == 200 and "Hãy gõ đúng chữ XOÁ" in response.content.decode()
    person.refresh_from_db()
    assert person.erased_at is None
    response = client.post(url, {"confirmation": "xoá"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.erased_at is not None and person.email == ""
    content = client.get(reverse("directory:person_detail", args=[person.pk])).content.decode()
    assert "đã xoá dữ liệu cá nhân" in content
    assert "Nguyễn Thị Lan" not in client.get(reverse("directory:person_list")).content.decode()
    assert client.get(url).status_code == 302  # already erased: back to the person
