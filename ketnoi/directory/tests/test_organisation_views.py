import pytest
from django.urls import reverse

from ketnoi.core.models import AuditEntry
from ketnoi.directory.models import Organisation, OrganisationType

from .factories import make_organisation, make_person, province

pytestmark = pytest.mark.django_db

READERS = ["coordinator", "lecturer", "reviewer", "viewer", "staff_admin"]
NO_ACCESS = ["outsider", "learner"]


def form_data(**extra):
    return {"name": "Hội Bảo vệ quyền trẻ em", "short_name": "TEV", "type": OrganisationType.CSO, **extra}


@pytest.mark.parametrize("persona", READERS)
def test_readers_see_the_list(request, client_for, persona):
    make_organisation("Trung tâm Đào tạo Phát triển")
    response = client_for(request.getfixturevalue(persona)).get(reverse("directory:organisation_list"))
    assert response.status_code == 200
    assert "Trung tâm Đào tạo Phát triển" in response.content.decode()


@pytest.mark.parametrize("persona", NO_ACCESS)
def test_no_access_gets_a_friendly_403_on_list_and_create(request, client_for, persona):
    client = client_for(request.getfixturevalue(persona))
    for url in (reverse("directory:organisation_list"), reverse("directory:organisation_create")):
        response = client.get(url)
        assert response.status_code == 403
        assert "vai trò trong một chương trình" in response.content.decode()


@pytest.mark.parametrize("persona", NO_ACCESS)
def test_no_access_gets_404_on_detail_and_edit(request, client_for, persona):
    organisation = make_organisation()
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("directory:organisation_detail", args=[organisation.pk])).status_code == 404
    assert client.get(reverse("directory:organisation_edit", args=[organisation.pk])).status_code == 404
    assert client.post(reverse("directory:organisation_edit", args=[organisation.pk]), form_data()).status_code == 404


def test_anonymous_is_sent_to_login(client, db):
    organisation = make_organisation()
    for name, args in [
        ("organisation_list", []),
        ("organisation_create", []),
        ("organisation_detail", [organisation.pk]),
        ("organisation_edit", [organisation.pk]),
    ]:
        response = client.get(reverse(f"directory:{name}", args=args))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


def test_empty_list_guides_the_coordinator(client_for, coordinator):
    content = client_for(coordinator).get(reverse("directory:organisation_list")).content.decode()
    assert "Chưa có tổ chức nào. Thêm tổ chức đầu tiên hoặc nhập danh sách." in content
    assert reverse("directory:organisation_create") in content


def test_search_is_folded_and_filters_apply(client_for, viewer):
    make_organisation("Trung tâm Đào tạo Phát triển", province=province("Hà Nội"))
    make_organisation("Sở Nội vụ", type=OrganisationType.STATE_AGENCY, province=province("Cần Thơ"))
    make_organisation("Hội cũ", province=province("Bình Dương", scheme="legacy"))
    client = client_for(viewer)
    url = reverse("directory:organisation_list")
    content = client.get(url, {"q": "dao tao"}).content.decode()
    assert "Trung tâm Đào tạo Phát triển" in content and "Sở Nội vụ" not in content
    content = client.get(url, {"type": "state_agency"}).content.decode()
    assert "Sở Nội vụ" in content and "Trung tâm Đào tạo" not in content
    hcm = province("Hồ Chí Minh")
    content = client.get(url, {"province": hcm.pk}).content.decode()
    assert "Hội cũ" in content and "Sở Nội vụ" not in content  # legacy unit counts under its successor
    content = client.get(url, {"q": "khong co"}).content.decode()
    assert "Không có tổ chức nào khớp với bộ lọc" in content


def test_list_paginates_by_50(client_for, viewer):
    Organisation.objects.bulk_create(
        Organisation(name=f"Tổ chức {i:03d}", name_folded=f"to chuc {i:03d}", type="cso") for i in range(51)
    )
    client = client_for(viewer)
    first = client.get(reverse("directory:organisation_list")).content.decode()
    assert "Tổ chức 049" in first and "Tổ chức 050" not in first and "Trang 1/2" in first
    second = client.get(reverse("directory:organisation_list"), {"page": 2}).content.decode()
    assert "Tổ chức 050" in second


def test_detail_shows_children_people_and_audit_to_editors(client_for, coordinator, viewer):
    academy = make_organisation("Học viện Chính trị Quốc gia Hồ Chí Minh", type=OrganisationType.ACADEMIC)
    make_organisation("Viện Lãnh đạo học và Chính sách công", short_name="ViLEAP", parent=academy)
    make_person("Nguyễn Thị Lan", organisation=academy)
    make_person("Đã xoá #9", organisation=academy, erased_at="2025-01-01T00:00:00Z")
    url = reverse("directory:organisation_detail", args=[academy.pk])
    content = client_for(coordinator).get(url).content.decode()
    assert "Viện Lãnh đạo học và Chính sách công" in content
    assert "Nguyễn Thị Lan" in content and "Đã xoá #9" not in content
    assert "Nhật ký thay đổi" in content and reverse("directory:organisation_edit", args=[academy.pk]) in content
    content = client_for(viewer).get(url).content.decode()
    assert "Nhật ký thay đổi" not in content
    assert reverse("directory:organisation_edit", args=[academy.pk]) not in content


def test_coordinator_creates_an_organisation(client_for, coordinator):
    response = client_for(coordinator).post(
        reverse("directory:organisation_create"), form_data(province=province("Hồ Chí Minh").pk)
    )
    organisation = Organisation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:organisation_detail", args=[organisation.pk])
    assert organisation.short_name == "TEV" and organisation.created_by == coordinator


def test_create_form_offers_only_current_provinces(client_for, coordinator):
    content = client_for(coordinator).get(reverse("directory:organisation_create")).content.decode()
    assert "Cần Thơ" in content and "Hậu Giang" not in content
    assert 'id="id_name"' in content and "Tên tổ chức" in content


def test_bad_input_shows_the_message_next_to_the_field_and_writes_nothing(client_for, coordinator):
    response = client_for(coordinator).post(reverse("directory:organisation_create"), form_data(name="", website="x"))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="id_name_error"' in content and 'id="id_website_error"' in content
    assert Organisation.objects.count() == 0


def test_viewer_gets_403_on_create_and_edit(client_for, viewer):
    organisation = make_organisation()
    client = client_for(viewer)
    response = client.post(reverse("directory:organisation_create"), form_data())
    assert response.status_code == 403 and "Bạn vẫn có thể xem" in response.content.decode()
    assert client.post(reverse("directory:organisation_edit", args=[organisation.pk]), form_data()).status_code == 403
    assert Organisation.objects.count() == 1
    organisation.refresh_from_db()
    assert organisation.name != "Hội Bảo vệ quyền trẻ em"


def test_edit_refuses_a_parent_cycle_with_the_message_on_the_field(client_for, coordinator):
    academy = make_organisation("Học viện")
    institute = make_organisation("Viện", parent=academy)
    url = reverse("directory:organisation_edit", args=[academy.pk])
    response = client_for(coordinator).post(url, form_data(name="Học viện", parent=institute.pk))
    assert response.status_code == 200
    assert "không thể trực thuộc" in response.content.decode()
    academy.refresh_from_db()
    assert academy.parent is None


def test_edit_keeps_a_legacy_province_and_audits(client_for, coordinator):
    legacy = province("Bình Dương", scheme="legacy")
    organisation = make_organisation("Hội", province=legacy)
    client = client_for(coordinator)
    url = reverse("directory:organisation_edit", args=[organisation.pk])
    assert "Bình Dương (cũ)" in client.get(url).content.decode()
    response = client.post(url, form_data(name="Hội mới", province=legacy.pk))
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.province == legacy and organisation.name == "Hội mới"
    assert AuditEntry.objects.filter(action="directory.organisation_update").count() == 1
