import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from ketnoi.directory.models import Person, PersonImport

from .factories import make_person, run_tasks

pytestmark = pytest.mark.django_db

CSV = "\ufeffHọ và tên;Giới tính;Điện thoại\nTrần Văn Minh;Nam;0901234567\n;Nữ;\nnguyen thi lan;Nữ;+84 912 345 678\n"


def upload(content: str = CSV, name: str = "danh-sach.csv"):
    return SimpleUploadedFile(name, content.encode("utf-8"), content_type="text/csv")


def test_upload_preview_confirm(client_for, coordinator):
    existing = make_person("Nguyễn Thị Lan", phone="0912345678")
    client = client_for(coordinator)
    assert "Tải tệp mẫu" in client.get(reverse("directory:people_import")).content.decode()
    with run_tasks():
        response = client.post(reverse("directory:people_import"), {"file": upload()})
    person_import = PersonImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:people_import_preview", args=[person_import.pk])
    assert Person.objects.count() == 1

    content = client.get(response["Location"]).content.decode()
    assert "Dòng 3: thiếu họ tên" in content
    assert "Trùng với người đã có" in content and reverse("directory:person_detail", args=[existing.pk]) in content
    assert "Xác nhận nhập 1 người" in content

    with run_tasks():
        response = client.post(reverse("directory:people_import_confirm", args=[person_import.pk]))
    assert response.status_code == 302
    assert Person.objects.filter(full_name="Trần Văn Minh").exists() and Person.objects.count() == 2
    content = client.get(response["Location"]).content.decode()
    assert "Đang thêm những người mới" in content and "Đã thêm: 1" in content

    response = client.post(reverse("directory:people_import_confirm", args=[person_import.pk]), follow=True)
    assert "đã được xác nhận trước đó" in response.content.decode()
    assert Person.objects.count() == 2


def test_cancel(client_for, coordinator):
    client = client_for(coordinator)
    with run_tasks():
        client.post(reverse("directory:people_import"), {"file": upload()})
    person_import = PersonImport.objects.get()
    response = client.post(reverse("directory:people_import_cancel", args=[person_import.pk]))
    assert response.status_code == 302
    person_import.refresh_from_db()
    assert person_import.status == "cancelled"
    client.post(reverse("directory:people_import_confirm", args=[person_import.pk]))
    assert Person.objects.count() == 0


def test_fake_xlsx_is_refused_next_to_the_file_field(client_for, coordinator):
    fake = SimpleUploadedFile("danh-sach.xlsx", b"Ho va ten\nLan\n")
    response = client_for(coordinator).post(reverse("directory:people_import"), {"file": fake})
    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_file_error"' in content and "không phải bảng tính Excel" in content
    assert PersonImport.objects.count() == 0 and Person.objects.count() == 0


def test_template_download(client_for, coordinator):
    response = client_for(coordinator).get(reverse("directory:people_import_template"))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet["A1"].value == "Họ và tên"


def test_imports_are_private_to_their_author(client_for, coordinator, other_coordinator, staff_admin):
    # Another coordinator may import too (the directory is not scoped by programme), yet does
    # not see this one.
    with run_tasks():
        client_for(coordinator).post(reverse("directory:people_import"), {"file": upload()})
    person_import = PersonImport.objects.get()
    other = other_coordinator
    assert client_for(other).get(reverse("directory:people_import")).status_code == 200
    url = reverse("directory:people_import_preview", args=[person_import.pk])
    assert client_for(other).get(url).status_code == 404
    assert (
        client_for(other).post(reverse("directory:people_import_confirm", args=[person_import.pk])).status_code == 404
    )
    assert client_for(staff_admin).get(url).status_code == 200


@pytest.mark.parametrize("persona", ["viewer", "outsider"])
def test_readers_and_outsiders_cannot_import(request, client_for, persona, coordinator):
    with run_tasks():
        client_for(coordinator).post(reverse("directory:people_import"), {"file": upload()})
    person_import = PersonImport.objects.get()
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("directory:people_import")).status_code == 403
    assert client.post(reverse("directory:people_import"), {"file": upload()}).status_code == 403
    assert client.get(reverse("directory:people_import_template")).status_code == 403
    assert client.get(reverse("directory:people_import_preview", args=[person_import.pk])).status_code == 403
    assert client.post(reverse("directory:people_import_confirm", args=[person_import.pk])).status_code == 403
    assert PersonImport.objects.count() == 1 and Person.objects.count() == 0


def test_anonymous_is_sent_to_login(client):
    for url in (reverse("directory:people_import"), reverse("directory:people_import_template")):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
