"""Pages of the plan: components, agreements (with their document), objectives, activities.
Bad input comes back as the form with the service's message beside the field, nothing written."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ketnoi.core.models import AuditEntry
from ketnoi.directory.models import Province
from ketnoi.programmes import services
from ketnoi.programmes.models import Activity, Agreement, Component, Objective

from .factories import PDF_BYTES, build_plan, current_province, organisation

pytestmark = pytest.mark.django_db


def url(name, prog, *args):
    return reverse(f"programmes:{name}", args=[prog.code, *args])


# Components ----------------------------------------------------------------------------------


def test_coordinator_adds_and_edits_a_component(client_for, coordinator, prog):
    client = client_for(coordinator)
    response = client.post(url("component_create", prog), {"name": "Môi trường thuận lợi cho TCXH"})
    component = Component.objects.get(programme=prog)
    assert response.status_code == 302 and response["Location"].endswith("#components")
    response = client.post(url("component_edit", prog, component.pk), {"name": "Mảng đổi tên", "order": ""})
    component.refresh_from_db()
    assert response.status_code == 302 and (component.name, component.order) == ("Mảng đổi tên", 1)
    assert "Mảng đổi tên" in client.get(url("detail", prog)).content.decode()


def test_component_without_a_name_is_refused(client_for, coordinator, prog):
    response = client_for(coordinator).post(url("component_create", prog), {"name": "   "})
    assert response.status_code == 200 and not Component.objects.exists()


# Agreements ----------------------------------------------------------------------------------


@pytest.fixture
def parties(db):
    return organisation("Trung tâm MSD", short_name="MSD"), organisation("Viện ViLEAP", short_name="ViLEAP")


def agreement_data(parties, **extra):
    return {
        "title": "Thoả thuận hợp tác 2017",
        "parties": [p.pk for p in parties],
        "signed_on": "15/03/2017",
        "start_date": "01/04/2017",
        "end_date": "31/12/2019",
        "purpose": "Nâng cao năng lực vận động chính sách.",
        **extra,
    }


def test_coordinator_adds_an_agreement_with_its_document(client_for, coordinator, prog, parties):
    document = SimpleUploadedFile("thoa-thuan.pdf", PDF_BYTES, content_type="application/pdf")
    response = client_for(coordinator).post(url("agreement_create", prog), agreement_data(parties, document=document))
    agreement = Agreement.objects.get(programme=prog)
    assert response.status_code == 302 and response["Location"] == url("agreement_detail", prog, agreement.pk)
    assert agreement.signed_on == date(2017, 3, 15) and agreement.document.name.endswith(".pdf")
    assert set(agreement.parties.all()) == set(parties)
    content = client_for(coordinator).get(url("agreement_detail", prog, agreement.pk)).content.decode()
    assert "Trung tâm MSD" in content and "15/03/2017" in content and "01/04/2017" in content
    assert 'id="document-link"' in content and "Nhật ký thay đổi" in content


def test_agreement_form_is_multipart_and_lists_organisations(client_for, coordinator, prog, parties):
    content = client_for(coordinator).get(url("agreement_create", prog)).content.decode()
    assert 'enctype="multipart/form-data"' in content
    assert 'name="parties__q"' in content  # a search-as-you-type picker (directory/picking.py)
    html = client_for(coordinator).get(reverse("directory:pick"), {"purpose": "directory.organisations", "q": "vileap"})
    assert "Viện ViLEAP" in html.content.decode()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"parties_count": 1}, "parties", "cần ít nhất hai bên"),
        ({"start_date": "01/01/2020", "end_date": "01/01/2019"}, "end_date", "phải sau hoặc trùng ngày bắt đầu"),
        ({"title": ""}, "title", ""),
        ({"signed_on": "32/13/2017"}, "signed_on", ""),
    ],
)
def test_bad_agreement_is_refused_beside_the_field(client_for, coordinator, prog, parties, change, field, message):
    change = dict(change)
    data = agreement_data(parties[: change.pop("parties_count", 2)], **change)
    response = client_for(coordinator).post(url("agreement_create", prog), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert f'id="id_{field}_error"' in content and message in content
    assert not Agreement.objects.exists() and not AuditEntry.objects.filter(action__contains="agreement").exists()


def test_agreement_document_of_a_wrong_type_is_refused(client_for, coordinator, prog, parties):
    program = SimpleUploadedFile("thoa-thuan.exe", b"MZ\x90\x00binary", content_type="application/octet-stream")
    response = client_for(coordinator).post(url("agreement_create", prog), agreement_data(parties, document=program))
    assert response.status_code == 200 and 'id="id_document_error"' in response.content.decode()
    assert not Agreement.objects.exists()


def test_coordinator_edits_an_agreement_keeping_or_clearing_its_document(client_for, coordinator, prog, parties):
    third = organisation("Hội Bảo vệ quyền trẻ em", short_name="TEV")
    document = SimpleUploadedFile("tt.pdf", PDF_BYTES, content_type="application/pdf")
    agreement = services.agreement_create(
        actor=coordinator, programme=prog, title="TT", parties=parties, document=document
    )
    client = client_for(coordinator)
    form = client.get(url("agreement_edit", prog, agreement.pk)).content.decode()
    assert f'name="parties" value="{parties[0].pk}" checked>' in form
    data = agreement_data([*parties, third], title="TT đã sửa")
    response = client.post(url("agreement_edit", prog, agreement.pk), data)
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.title == "TT đã sửa" and agreement.parties.count() == 3 and agreement.document
    response = client.post(url("agreement_edit", prog, agreement.pk), {**data, "document-clear": "on"})
    agreement.refresh_from_db()
    assert response.status_code == 302 and not agreement.document


def test_agreement_list_guides_when_empty(client_for, coordinator, viewer, prog, parties):
    content = client_for(coordinator).get(url("agreement_list", prog)).content.decode()
    assert "Chưa có thoả thuận hợp tác nào. Thêm thoả thuận đầu tiên" in content
    services.agreement_create(
        actor=coordinator, programme=prog, title="TT", parties=parties, signed_on=date(2017, 3, 1)
    )
    content = client_for(viewer).get(url("agreement_list", prog)).content.decode()
    assert "MSD, ViLEAP" in content and "01/03/2017" in content
    assert url("agreement_create", prog) not in content


# Objectives ----------------------------------------------------------------------------------


def test_coordinator_adds_and_edits_objectives(client_for, coordinator, prog):
    client = client_for(coordinator)
    response = client.post(url("objective_create", prog), {"title": "Nâng cao hiểu biết của cán bộ cơ sở"})
    objective = Objective.objects.get(programme=prog)
    assert objective.number == 1 and response["Location"].endswith(f"#objective-{objective.pk}")
    client.post(url("objective_create", prog), {"title": "Kết nối chính quyền và TCXH"})
    response = client.post(url("objective_edit", prog, objective.pk), {"title": "Đã sửa", "number": ""})
    objective.refresh_from_db()
    assert response.status_code == 302 and (objective.number, objective.title) == (1, "Đã sửa")
    content = client.get(url("objective_edit", prog, objective.pk)).content.decode()
    assert "Nhật ký thay đổi" in content and "programmes.objective_update" in content


def test_objective_number_clash_is_shown_beside_the_number(client_for, coordinator, prog):
    services.objective_create(actor=coordinator, programme=prog, title="Một", number=1)
    response = client_for(coordinator).post(url("objective_create", prog), {"title": "Hai", "number": "1"})
    content = response.content.decode()
    assert response.status_code == 200 and 'id="id_number_error"' in content and "Đã có mục tiêu số 1" in content
    assert Objective.objects.count() == 1


# Activities ----------------------------------------------------------------------------------


def activity_data(**extra):
    return {
        "title": "Đồng giảng dạy",
        "planned_quantity": "10",
        "unit": "tiết",
        "quantity_basis": "mỗi học kỳ, mỗi lớp, mỗi cơ sở",
        "start_date": "01/09/2017",
        "end_date": "30/06/2018",
        **extra,
    }


def test_coordinator_adds_an_activity_with_places(client_for, coordinator, prog):
    objective = services.objective_create(actor=coordinator, programme=prog, title="Mục tiêu")
    msd = organisation("Trung tâm MSD", short_name="MSD")
    hanoi, hcm = current_province("Hà Nội"), current_province("Hồ Chí Minh")
    client = client_for(coordinator)
    form = client.get(url("activity_create", prog) + f"?objective={objective.pk}").content.decode()
    assert f'<option value="{objective.pk}" selected>' in form
    assert form.count('<option value="', form.index('name="places"')) >= 34
    data = activity_data(objective=objective.pk, responsible=msd.pk, places=[hanoi.pk, hcm.pk], planned_quantity="1,5")
    response = client.post(url("activity_create", prog), data)
    activity = Activity.objects.get(programme=prog)
    assert response.status_code == 302 and response["Location"] == url("activity_detail", prog, activity.pk)
    assert activity.planned_quantity == Decimal("1.5") and set(activity.places.all()) == {hanoi, hcm}
    content = client.get(url("activity_detail", prog, activity.pk)).content.decode()
    assert "1,5 tiết</strong> – mỗi học kỳ, mỗi lớp, mỗi cơ sở" in content and "Hà Nội, Hồ Chí Minh" in content
    assert "Chưa có chỉ số nào cho hoạt động này" in content


def test_activity_places_offer_current_provinces_only(client_for, coordinator, prog):
    legacy = Province.objects.filter(scheme=Province.Scheme.LEGACY).first()
    response = client_for(coordinator).post(url("activity_create", prog), activity_data(places=[legacy.pk]))
    assert response.status_code == 200 and 'id="id_places_error"' in response.content.decode()
    assert not Activity.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"start_date": "01/07/2018", "end_date": "01/09/2017"}, "end_date", "phải sau hoặc trùng ngày bắt đầu"),
        ({"planned_quantity": "-3"}, "planned_quantity", "không được âm"),
        ({"unit": ""}, "unit", "Hãy ghi đơn vị tính"),
        ({"planned_quantity": "mười"}, "planned_quantity", ""),
    ],
)
def test_bad_activity_is_refused_beside_the_field(client_for, coordinator, prog, change, field, message):
    response = client_for(coordinator).post(url("activity_create", prog), activity_data(**change))
    content = response.content.decode()
    assert response.status_code == 200 and f'id="id_{field}_error"' in content and message in content
    assert not Activity.objects.exists()


def test_coordinator_edits_an_activity_and_keeps_a_legacy_place(client_for, coordinator, prog):
    plan = build_plan(coordinator, prog)
    legacy = Province.objects.filter(scheme=Province.Scheme.LEGACY).first()
    Activity.places.through.objects.create(activity=plan.activity, province=legacy)  # recorded before 2025
    client = client_for(coordinator)
    form = client.get(url("activity_edit", prog, plan.activity.pk)).content.decode()
    assert f'<option value="{legacy.pk}" selected>' in form
    places = [p.pk for p in plan.activity.places.all()]
    response = client.post(
        url("activity_edit", prog, plan.activity.pk), activity_data(title="Đồng giảng dạy (sửa)", places=places)
    )
    assert response.status_code == 302
    plan.activity.refresh_from_db()
    assert plan.activity.title == "Đồng giảng dạy (sửa)" and plan.activity.number == 1
    assert legacy in plan.activity.places.all()
    content = client.get(url("activity_detail", prog, plan.activity.pk)).content.decode()
    assert "programmes.activity_update" in content  # audit shown to the planner


@pytest.mark.parametrize("persona", ["outsider", "other_coordinator"])
def test_no_role_on_the_programme_gets_404_and_writes_nothing(request, client_for, coordinator, prog, persona):
    plan = build_plan(coordinator, prog)
    client = client_for(request.getfixturevalue(persona))
    for name, args in [
        ("agreement_list", []),
        ("agreement_detail", [plan.agreement.pk]),
        ("activity_detail", [plan.activity.pk]),
        ("objective_edit", [plan.objective.pk]),
    ]:
        assert client.get(url(name, prog, *args)).status_code == 404, name
    assert client.post(url("component_create", prog), {"name": "Lén thêm"}).status_code == 404
    assert client.post(url("objective_create", prog), {"title": "Lén thêm"}).status_code == 404
    assert client.post(url("activity_create", prog), {"title": "Lén thêm"}).status_code == 404
    assert not Component.objects.exists()
    assert not Objective.objects.filter(title="Lén thêm").exists()
    assert not Activity.objects.filter(title="Lén thêm").exists()
