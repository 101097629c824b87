"""The programme list, creating and editing a programme, and its members."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ketnoi.core.models import AuditEntry
from ketnoi.core.roles import Role
from ketnoi.programmes import services
from ketnoi.programmes.models import Programme, ProgrammeRole

from .factories import approved, build_plan

pytestmark = pytest.mark.django_db


# List ----------------------------------------------------------------------------------------


def test_list_shows_only_the_users_programmes_with_progress(client_for, coordinator, lecturer, prog, other_prog):
    plan = build_plan(coordinator, prog)
    approved(lecturer, coordinator, plan.indicator, plan.periods[0], 40)  # 40 of 80: 50 %
    content = client_for(coordinator).get(reverse("programmes:list")).content.decode()
    assert prog.name in content and other_prog.name not in content
    assert 'value="50.0"' in content and "50%" in content
    assert "Tạo chương trình" not in content


def test_list_counts_values_waiting_for_approval_for_coordinators_only(client_for, coordinator, lecturer, prog):
    plan = build_plan(coordinator, prog)
    from ketnoi.programmes import services

    services.indicator_value_submit(
        actor=lecturer, indicator=plan.indicator, period=plan.periods[0], value=3, evidence="Danh sách"
    )
    content = client_for(coordinator).get(reverse("programmes:list")).content.decode()
    assert "1 giá trị chờ phê duyệt" in content
    assert reverse("programmes:approvals", args=[prog.code]) in content
    content = client_for(lecturer).get(reverse("programmes:list")).content.decode()
    assert "chờ phê duyệt" not in content


@pytest.mark.parametrize("persona", ["outsider", "learner"])
def test_list_without_a_role_explains_what_to_do(request, client_for, prog, persona):
    response = client_for(request.getfixturevalue(persona)).get(reverse("programmes:list"))
    assert response.status_code == 200
    content = response.content.decode()
    assert prog.name not in content
    assert "Hãy nhờ điều phối viên chương trình thêm bạn vào chương trình" in content


def test_list_sends_anonymous_visitors_to_login(client, db):
    response = client.get(reverse("programmes:list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get("/").status_code == 200  # the public home page (ketnoi/home)


def test_staff_see_the_create_button_and_an_empty_state(client_for, staff_admin):
    content = client_for(staff_admin).get(reverse("programmes:list")).content.decode()
    assert reverse("programmes:create") in content
    assert "Chưa có chương trình nào. Tạo chương trình đầu tiên" in content


# Create and edit -----------------------------------------------------------------------------


def test_staff_create_a_programme_and_name_coordinators(client_for, staff_admin, make_user):
    make_user("lan")
    response = client_for(staff_admin).post(
        reverse("programmes:create"),
        {
            "name": "Inspiring CSOs",
            "code": "Inspiring-CSOs",
            "start_date": "01/01/2017",
            "end_date": "31/12/2019",
            "coordinators": "lan",
        },
    )
    programme = Programme.objects.get(code="inspiring-csos")
    assert response.status_code == 302 and response["Location"] == reverse("programmes:detail", args=[programme.code])
    assert programme.start_date == date(2017, 1, 1)
    assert ProgrammeRole.objects.filter(programme=programme, user__username="lan", role=Role.COORDINATOR).exists()


def test_create_refuses_unknown_coordinators_and_reversed_dates(client_for, staff_admin):
    client = client_for(staff_admin)
    data = {"name": "Mới", "code": "moi", "coordinators": "khong-co-ai"}
    response = client.post(reverse("programmes:create"), data)
    assert response.status_code == 200 and "khong-co-ai" in response.content.decode()
    data = {"name": "Mới", "code": "moi", "start_date": "31/12/2019", "end_date": "01/01/2017"}
    response = client.post(reverse("programmes:create"), data)
    assert response.status_code == 200
    assert "phải sau hoặc trùng ngày bắt đầu" in response.content.decode()
    assert not Programme.objects.filter(code="moi").exists()


def test_only_staff_may_create(client_for, coordinator):
    response = client_for(coordinator).get(reverse("programmes:create"))
    assert response.status_code == 403
    assert "Chỉ quản trị viên hệ thống mới được tạo chương trình mới." in response.content.decode()
    assert client_for(coordinator).post(reverse("programmes:create"), {"name": "X", "code": "x"}).status_code == 403
    assert not Programme.objects.filter(code="x").exists()


def test_code_new_is_reserved_for_the_create_page(client_for, staff_admin):
    response = client_for(staff_admin).post(reverse("programmes:create"), {"name": "Mới", "code": "New"})
    content = response.content.decode()
    assert response.status_code == 200 and 'id="id_code_error"' in content and "dành cho hệ thống" in content
    assert not Programme.objects.filter(code="new").exists()


def test_coordinator_edits_the_programme(client_for, coordinator, prog):
    response = client_for(coordinator).get(reverse("programmes:edit", args=[prog.code]))
    assert 'value="thu-nghiem"' in response.content.decode()
    response = client_for(coordinator).post(
        reverse("programmes:edit", args=[prog.code]),
        {"name": "Chương trình đã đổi tên", "code": "doi-ten", "description": "Mô tả", "start_date": "01/02/2017"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("programmes:detail", args=["doi-ten"])
    prog.refresh_from_db()
    assert (prog.name, prog.start_date) == ("Chương trình đã đổi tên", date(2017, 2, 1))
    assert AuditEntry.objects.filter(action="programmes.programme_update", object_id=str(prog.pk)).exists()


def test_edit_with_reversed_dates_shows_the_message_and_writes_nothing(client_for, coordinator, prog):
    response = client_for(coordinator).post(
        reverse("programmes:edit", args=[prog.code]),
        {"name": "Tên mới", "code": prog.code, "start_date": "01/01/2018", "end_date": "01/01/2017"},
    )
    assert response.status_code == 200
    assert "phải sau hoặc trùng ngày bắt đầu" in response.content.decode()
    prog.refresh_from_db()
    assert prog.name == "Chương trình thử nghiệm"


# Members -------------------------------------------------------------------------------------


def test_members_page_lists_roles_and_grants_one(client_for, coordinator, lecturer, make_user, prog):
    expert = make_user("chuyen-gia")  # not in the directory: chosen by typing its exact user name
    client = client_for(coordinator)
    content = client.get(reverse("programmes:members", args=[prog.code])).content.decode()
    assert "lecturer" in content and "Giảng viên" in content
    assert 'id="id_user_q"' in content  # the account is picked with the search, not typed
    response = client.post(
        reverse("programmes:members", args=[prog.code]),
        {"user": expert.pk, "user__q": "chuyen-gia", "role": Role.REVIEWER},
    )
    assert response.status_code == 302
    assert ProgrammeRole.objects.filter(programme=prog, user__username="chuyen-gia", role=Role.REVIEWER).exists()


def test_grant_to_an_unknown_or_locked_account_is_refused(client_for, coordinator, make_user, prog):
    locked = make_user("da-khoa", is_active=False)
    client = client_for(coordinator)
    url = reverse("programmes:members", args=[prog.code])
    before = ProgrammeRole.objects.count()
    response = client.post(url, {"user__q": "khong-co", "role": Role.VIEWER})
    assert response.status_code == 200 and "error-summary" in response.content.decode()
    response = client.post(url, {"user": locked.pk, "user__q": "da-khoa", "role": Role.VIEWER})
    assert response.status_code == 200 and "không có trong danh sách được phép" in response.content.decode()
    assert ProgrammeRole.objects.count() == before
    # the service's own rule stands behind the picker
    with pytest.raises(ValidationError, match="đã bị khoá"):
        services.programme_role_grant(actor=coordinator, programme=prog, user=locked, role=Role.VIEWER)


def test_revoking_the_last_coordinator_is_refused_with_its_message(client_for, coordinator, viewer, prog):
    client = client_for(coordinator)
    last = ProgrammeRole.objects.get(programme=prog, user=coordinator, role=Role.COORDINATOR)
    response = client.post(reverse("programmes:member_revoke", args=[prog.code, last.pk]), follow=True)
    assert "Chương trình cần ít nhất một điều phối viên" in response.content.decode()
    assert ProgrammeRole.objects.filter(pk=last.pk).exists()
    other = ProgrammeRole.objects.get(programme=prog, user=viewer)
    response = client.post(reverse("programmes:member_revoke", args=[prog.code, other.pk]), follow=True)
    assert "Đã bỏ vai trò" in response.content.decode()
    assert not ProgrammeRole.objects.filter(pk=other.pk).exists()


def test_revoke_needs_post(client_for, coordinator, viewer, prog):
    other = ProgrammeRole.objects.get(programme=prog, user=viewer)
    response = client_for(coordinator).get(reverse("programmes:member_revoke", args=[prog.code, other.pk]))
    assert response.status_code == 405 and ProgrammeRole.objects.filter(pk=other.pk).exists()


@pytest.mark.parametrize("persona", ["outsider", "other_coordinator"])
def test_no_role_on_the_programme_gets_404_and_changes_nothing(request, client_for, viewer, prog, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("programmes:edit", args=[prog.code])).status_code == 404
    response = client.post(reverse("programmes:edit", args=[prog.code]), {"name": "Đổi tên", "code": "doi-ten"})
    assert response.status_code == 404
    assert client.get(reverse("programmes:members", args=[prog.code])).status_code == 404
    role = ProgrammeRole.objects.get(programme=prog, user=viewer)
    assert client.post(reverse("programmes:member_revoke", args=[prog.code, role.pk])).status_code == 404
    prog.refresh_from_db()
    assert (prog.name, prog.code) == ("Chương trình thử nghiệm", "thu-nghiem")
    assert ProgrammeRole.objects.filter(pk=role.pk).exists()


def test_coordinator_requires_two_factor_sign_in_of_the_programme_s_coordinators(client_for, coordinator, prog):
    client = client_for(coordinator)
    page = client.get(reverse("programmes:edit", args=[prog.code])).content.decode()
    assert 'name="require_two_factor_for_coordinators"' in page
    response = client.post(
        reverse("programmes:edit", args=[prog.code]),
        {"name": prog.name, "code": prog.code, "require_two_factor_for_coordinators": "on"},
    )
    assert response.status_code == 302
    prog.refresh_from_db()
    assert prog.require_two_factor_for_coordinators
    entry = AuditEntry.objects.get(action="programmes.programme_update", object_id=str(prog.pk))
    assert entry.changes["require_two_factor_for_coordinators"] == [False, True]
    # Their own next page asks them to enrol.
    following = client.get(reverse("programmes:list"))
    assert following.status_code == 302 and following["Location"].startswith(reverse("account_security"))


def test_a_viewer_cannot_change_the_two_factor_requirement(client_for, viewer, prog):
    client_for(viewer).post(
        reverse("programmes:edit", args=[prog.code]),
        {"name": prog.name, "code": prog.code, "require_two_factor_for_coordinators": "on"},
    )
    prog.refresh_from_db()
    assert not prog.require_two_factor_for_coordinators
