import pytest
from django.urls import reverse
from django.utils import timezone

from ketnoi.core.models import AuditEntry
from ketnoi.directory.models import Person

from .factories import make_organisation, make_person, province

pytestmark = pytest.mark.django_db

READERS = ["coordinator", "lecturer", "reviewer", "viewer", "staff_admin"]
NO_ACCESS = ["outsider", "learner"]


def form_data(**extra):
    return {"full_name": "Nguyễn Thị Lan", "sex": "female", "phone": "+84 912 345 678", **extra}


@pytest.mark.parametrize("persona", READERS)
def test_readers_see_list_and_detail(request, client_for, persona):
    person = make_person("Nguyễn Thị Lan", organisation=make_organisation(short_name="MSD"))
    client = client_for(request.getfixturevalue(persona))
    assert "Nguyễn Thị Lan" in client.get(reverse("directory:person_list")).content.decode()
    assert client.get(reverse("directory:person_detail", args=[person.pk])).status_code == 200


@pytest.mark.parametrize("persona", NO_ACCESS)
def test_no_access_gets_403_on_pages_and_404_on_a_person(request, client_for, persona):
    person = make_person()
    client = client_for(request.getfixturevalue(persona))
    for name in ("person_list", "person_create", "person_duplicates", "people_import"):
        assert client.get(reverse(f"directory:{name}")).status_code == 403, name
    for name in ("person_detail", "person_edit", "person_erase", "person_export", "consent_create"):
        assert client.get(reverse(f"directory:{name}", args=[person.pk])).status_code == 404, name
    merge = reverse("directory:person_merge") + f"?keep={person.pk}&remove={make_person().pk}"
    assert client.get(merge).status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    person = make_person()
    urls = [reverse(f"directory:{n}") for n in ("person_list", "person_create", "person_duplicates", "person_merge")]
    urls += [
        reverse(f"directory:{n}", args=[person.pk])
        for n in ("person_detail", "person_edit", "person_erase", "person_export", "consent_create")
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_viewer_cannot_write(client_for, viewer):
    person = make_person(full_name="Cũ")
    other = make_person(full_name="Cũ")
    client = client_for(viewer)
    assert client.post(reverse("directory:person_create"), form_data()).status_code == 403
    assert client.post(reverse("directory:person_edit", args=[person.pk]), form_data()).status_code == 403
    assert client.post(reverse("directory:person_erase", args=[person.pk]), {"confirmation": "XOÁ"}).status_code == 403
    assert client.get(reverse("directory:person_export", args=[person.pk])).status_code == 403
    merge = {"keep": person.pk, "remove": other.pk}
    assert client.post(reverse("directory:person_merge"), merge).status_code == 403
    assert Person.objects.count() == 2
    person.refresh_from_db()
    assert person.full_name == "Cũ" and person.erased_at is None
    content = client.get(reverse("directory:person_detail", args=[person.pk])).content.decode()
    assert "Nhật ký thay đổi" not in content and "Xoá dữ liệu cá nhân" not in content


def test_list_search_folds_and_filters(client_for, viewer):
    msd = make_organisation("Trung tâm MSD", short_name="MSD")
    make_person("Nguyễn Thị Lan", organisation=msd, province=province("Cần Thơ"))
    make_person("Trần Văn Minh", sex="male", phone="0987654321", province=province("Hậu Giang", scheme="legacy"))
    make_person("Đã xoá #99", erased_at=timezone.now())
    client = client_for(viewer)
    url = reverse("directory:person_list")
    content = client.get(url).content.decode()
    assert "Nguyễn Thị Lan" in content and "Trần Văn Minh" in content and "Đã xoá #99" not in content
    assert "Lan" in client.get(url, {"q": "nguyen lan"}).content.decode()
    assert "Trần Văn Minh" in client.get(url, {"q": "0987 654"}).content.decode()
    content = client.get(url, {"sex": "male"}).content.decode()
    assert "Trần Văn Minh" in content and "Nguyễn Thị Lan" not in content
    content = client.get(url, {"organisation": msd.pk}).content.decode()
    assert "Nguyễn Thị Lan" in content and "Trần Văn Minh" not in content
    content = client.get(url, {"province": province("Cần Thơ").pk}).content.decode()
    assert "Nguyễn Thị Lan" in content and "Trần Văn Minh" in content  # Hậu Giang merged into Cần Thơ


def test_province_breakdown_counts_legacy_units_under_their_successor(client_for, viewer):
    make_person("A", province=province("Cần Thơ"))
    make_person("B", province=province("Hậu Giang", scheme="legacy"))
    make_person("C", province=province("Sóc Trăng", scheme="legacy"))
    response = client_for(viewer).get(reverse("directory:person_list"))
    assert [(row["province"].short_name, row["count"]) for row in response.context["by_province"]] == [("Cần Thơ", 3)]


def test_empty_list_guides(client_for, coordinator):
    content = client_for(coordinator).get(reverse("directory:person_list")).content.decode()
    assert "Chưa có ai trong danh bạ" in content and reverse("directory:people_import") in content


def test_create_with_labels_and_redirect(client_for, coordinator):
    client = client_for(coordinator)
    content = client.get(reverse("directory:person_create")).content.decode()
    for label in ("Họ và tên", "Giới tính", "Năm sinh", "Chức vụ", "Tổ chức", "Email", "Điện thoại", "Tỉnh/thành phố"):
        assert label in content
    response = client.post(reverse("directory:person_create"), form_data(province=province("Hà Nội").pk))
    person = Person.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:person_detail", args=[person.pk])
    assert person.phone_normalised == "0912345678"


def test_create_warns_about_a_duplicate_then_creates_anyway(client_for, coordinator):
    existing = make_person("nguyen thi lan", phone="0912 345 678")
    client = client_for(coordinator)
    response = client.post(reverse("directory:person_create"), form_data())
    content = response.content.decode()
    assert response.status_code == 200
    assert "Có thể người này đã có trong danh bạ" in content
    assert reverse("directory:person_detail", args=[existing.pk]) in content and "Mở người đã có" in content
    assert "Vẫn tạo mới" in content
    assert Person.objects.count() == 1
    response = client.post(reverse("directory:person_create"), form_data(create_anyway="1"))
    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_bad_input_is_shown_next_to_fields(client_for, coordinator):
    response = client_for(coordinator).post(
        reverse("directory:person_create"), form_data(full_name="", birth_year="1800", phone="12", email="x@")
    )
    content = response.content.decode()
    for field in ("full_name", "birth_year", "email"):
        assert f'id="id_{field}_error"' in content
    assert Person.objects.count() == 0
    response = client_for(coordinator).post(reverse("directory:person_create"), form_data(phone="12"))
    assert "8–15 chữ số" in response.content.decode()
    assert Person.objects.count() == 0


def test_edit_person(client_for, coordinator):
    person = make_person(position="Chuyên viên")
    url = reverse("directory:person_edit", args=[person.pk])
    response = client_for(coordinator).post(url, form_data(position="Trưởng phòng"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.position == "Trưởng phòng"
    assert AuditEntry.objects.filter(action="directory.person_update").exists()


def test_detail_for_coordinator_shows_audit_consents_and_privacy(client_for, coordinator):
    person = make_person()
    content = client_for(coordinator).get(reverse("directory:person_detail", args=[person.pk])).content.decode()
    assert "Nhật ký thay đổi" in content and "Ghi nhận sự đồng ý" in content
    assert reverse("directory:person_export", args=[person.pk]) in content


def test_erased_person_detail_says_so_and_cannot_be_edited(client_for, coordinator):
    person = make_person("Đã xoá #1", erased_at=timezone.now())
    client = client_for(coordinator)
    content = client.get(reverse("directory:person_detail", args=[person.pk])).content.decode()
    assert "đã xoá dữ liệu cá nhân" in content
    assert client.get(reverse("directory:person_edit", args=[person.pk])).status_code == 302


def test_duplicates_page_lists_pairs_with_merge_links(client_for, coordinator):
    a = make_person("Nguyễn Thị Lan", phone="0912345678")
    b = make_person("nguyen thi lan", phone="+84 912 345 678")
    content = client_for(coordinator).get(reverse("directory:person_duplicates")).content.decode()
    assert f"?keep={a.pk}&amp;remove={b.pk}" in content


def test_duplicates_page_empty_state(client_for, coordinator):
    assert (
        "Không phát hiện trùng lặp"
        in client_for(coordinator).get(reverse("directory:person_duplicates")).content.decode()
    )


def test_merge_page_compares_then_merges(client_for, coordinator):
    keep = make_person("Nguyễn Thị Lan", phone="0912345678")
    remove = make_person("nguyen thi lan", phone="0912345678", email="lan@example.org")
    client = client_for(coordinator)
    url = reverse("directory:person_merge")
    content = client.get(url, {"keep": keep.pk, "remove": remove.pk}).content.decode()
    assert "lan@example.org" in content and "Xác nhận gộp" in content
    response = client.post(url, {"keep": keep.pk, "remove": remove.pk})
    assert response.status_code == 302 and response["Location"] == reverse("directory:person_detail", args=[keep.pk])
    assert list(Person.objects.values_list("pk", flat=True)) == [keep.pk]
    keep.refresh_from_db()
    assert keep.email == "lan@example.org"


def test_merge_page_refuses_bad_requests(client_for, coordinator):
    person = make_person()
    client = client_for(coordinator)
    url = reverse("directory:person_merge")
    assert client.get(url, {"keep": "x"}).status_code == 404
    assert client.get(url, {"keep": person.pk, "remove": 999999}).status_code == 404
    response = client.post(url, {"keep": person.pk, "remove": person.pk})
    assert response.status_code == 400 and "hai người khác nhau" in response.content.decode()
    assert Person.objects.count() == 1


def test_english_interface(client_for, coordinator, settings):
    client = client_for(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    content = client.get(reverse("directory:person_create")).content.decode()
    assert "Full name" in content and "Birth year" in content and "Add a person" in content
    content = client.get(reverse("directory:organisation_list")).content.decode()
    assert "No organisations yet. Add the first organisation or import a list." in content
